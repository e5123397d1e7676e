import { describe, expect, it } from 'vitest';
import { compliancePercent, evaluateNodeStatus, type NodeFacts } from './compliance.js';
import { DEFAULT_POLICY, parseConfig } from './config.js';

const NOW = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;
const facts = (overrides: Partial<NodeFacts>): NodeFacts => ({
  instanceStatus: 'Active',
  hasPatchData: true,
  nonCompliantCount: 0,
  lastScanTime: NOW - DAY,
  ...overrides,
});

describe('evaluateNodeStatus', () => {
  it('tries the rules in order: inactive, not scanned, non-compliant, stale, compliant', () => {
    expect(
      evaluateNodeStatus(facts({ instanceStatus: 'Terminated', nonCompliantCount: 3 }), DEFAULT_POLICY, NOW),
    ).toBe('INACTIVE');
    expect(
      evaluateNodeStatus(facts({ instanceStatus: 'Stopped', hasPatchData: false }), DEFAULT_POLICY, NOW),
    ).toBe('INACTIVE');
    expect(evaluateNodeStatus(facts({ hasPatchData: false, lastScanTime: null }), DEFAULT_POLICY, NOW)).toBe(
      'NOT_SCANNED',
    );
    expect(
      evaluateNodeStatus(facts({ nonCompliantCount: 1, lastScanTime: NOW - 30 * DAY }), DEFAULT_POLICY, NOW),
    ).toBe('NON_COMPLIANT');
    expect(evaluateNodeStatus(facts({ lastScanTime: NOW - 7 * DAY - 1 }), DEFAULT_POLICY, NOW)).toBe('STALE');
    expect(evaluateNodeStatus(facts({ lastScanTime: NOW - 7 * DAY }), DEFAULT_POLICY, NOW)).toBe('COMPLIANT');
  });

  it('treats a missing InstanceStatus and ConnectionLost as active', () => {
    expect(evaluateNodeStatus(facts({ instanceStatus: null }), DEFAULT_POLICY, NOW)).toBe('COMPLIANT');
    expect(evaluateNodeStatus(facts({ instanceStatus: 'ConnectionLost' }), DEFAULT_POLICY, NOW)).toBe(
      'COMPLIANT',
    );
  });

  it('follows the declared policy', () => {
    const { policy } = parseConfig(
      { policy: { staleAfterDays: 1, inactiveInstanceStatuses: ['ConnectionLost'] } },
      'test',
    );
    expect(evaluateNodeStatus(facts({ lastScanTime: NOW - 2 * DAY }), policy, NOW)).toBe('STALE');
    expect(evaluateNodeStatus(facts({ instanceStatus: 'ConnectionLost' }), policy, NOW)).toBe('INACTIVE');
    expect(evaluateNodeStatus(facts({ instanceStatus: 'Stopped' }), policy, NOW)).toBe('COMPLIANT');
  });

  it('computes compliance % over active nodes', () => {
    expect(compliancePercent(2, 3)).toBe(66.7);
    expect(compliancePercent(0, 0)).toBeNull();
  });
});

describe('parseConfig', () => {
  it('names the key that is wrong and what was expected', () => {
    expect(() => parseConfig({ policy: { staleAfterDays: 'seven' } }, 'patchboard.yaml')).toThrow(
      /patchboard\.yaml is not a valid Patchboard configuration — policy\.staleAfterDays: .*number/,
    );
    expect(() => parseConfig({ polcy: {} }, 'x.yaml')).toThrow(/Unrecognized key.*polcy/);
  });

  it('fills every default', () => {
    expect(parseConfig({}, 'defaults').policy).toEqual({
      staleAfterDays: 7,
      inactiveInstanceStatuses: ['Stopped', 'Terminated'],
      tagKeys: { team: ['Team', 'team'], environment: ['Environment', 'environment', 'Env', 'env'] },
      sla: { default: { CRITICAL: 7, HIGH: 14, MEDIUM: 30, LOW: 90 }, environments: {} },
    });
  });
});
