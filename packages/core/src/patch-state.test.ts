import { describe, expect, it } from 'vitest';
import { normalisePatchState } from './patch-state.js';

describe('normalisePatchState', () => {
  it.each([
    ['Missing', 'MISSING'],
    ['MISSING', 'MISSING'],
    ['missing', 'MISSING'],
    ['InstalledPendingReboot', 'INSTALLED_PENDING_REBOOT'],
    ['INSTALLED_PENDING_REBOOT', 'INSTALLED_PENDING_REBOOT'],
    ['InstalledOther', 'INSTALLED_OTHER'],
    ['installed_rejected', 'INSTALLED_REJECTED'],
    ['NotApplicable', 'NOT_APPLICABLE'],
    ['Failed', 'FAILED'],
    ['AvailableSecurityUpdate', 'AVAILABLE_SECURITY_UPDATE'],
  ])('maps %s to %s', (raw, expected) => {
    expect(normalisePatchState(raw)).toBe(expected);
  });

  it('refuses values that are no patch state', () => {
    expect(normalisePatchState('Broken')).toBeUndefined();
    expect(normalisePatchState('')).toBeUndefined();
  });
});
