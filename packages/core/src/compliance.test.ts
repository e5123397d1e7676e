import { describe, expect, it } from 'vitest';
import { compliancePercent, coveragePercent, evaluateNodeStatus, type NodeFacts } from './compliance.js';
import { DEFAULT_POLICY, parseConfig } from './config.js';

const NOW = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;
const facts = (overrides: Partial<NodeFacts>): NodeFacts => ({
  instanceStatus: 'Active',
  hasPatchData: true,
  nonCompliantCount: 0,
  lastScanTime: NOW - DAY,
  instanceState: null,
  agentReportTime: NOW - DAY,
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

  it('counts a running instance without a reporting agent as UNMANAGED, a stopped one as INACTIVE', () => {
    const unlisted = facts({ hasPatchData: false, lastScanTime: null, agentReportTime: null });
    expect(evaluateNodeStatus({ ...unlisted, instanceState: 'running' }, DEFAULT_POLICY, NOW)).toBe(
      'UNMANAGED',
    );
    expect(evaluateNodeStatus({ ...unlisted, instanceState: 'pending' }, DEFAULT_POLICY, NOW)).toBe(
      'UNMANAGED',
    );
    expect(evaluateNodeStatus({ ...unlisted, instanceState: 'stopped' }, DEFAULT_POLICY, NOW)).toBe(
      'INACTIVE',
    );
    expect(evaluateNodeStatus({ ...unlisted, instanceState: 'terminated' }, DEFAULT_POLICY, NOW)).toBe(
      'INACTIVE',
    );
    // An agent silent for longer than the stale window no longer vouches for the instance.
    const silent = facts({ instanceState: 'running', agentReportTime: NOW - 7 * DAY - 1 });
    expect(evaluateNodeStatus(silent, DEFAULT_POLICY, NOW)).toBe('UNMANAGED');
    expect(evaluateNodeStatus({ ...silent, agentReportTime: NOW - 7 * DAY }, DEFAULT_POLICY, NOW)).toBe(
      'COMPLIANT',
    );
    // Without an instance list nothing is UNMANAGED: an on-premises node is judged by its agent alone.
    expect(evaluateNodeStatus(facts({ agentReportTime: null }), DEFAULT_POLICY, NOW)).toBe('COMPLIANT');
  });

  it('computes coverage % over active instances, and none without an instance list', () => {
    expect(coveragePercent(800, 100, 800)).toBe(87.5);
    expect(coveragePercent(3, 0, 0)).toBeNull();
    expect(coveragePercent(0, 0, 5)).toBeNull();
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
      inactiveInstanceStates: ['stopping', 'stopped', 'shutting-down', 'terminated'],
      tagKeys: { team: ['Team', 'team'], environment: ['Environment', 'environment', 'Env', 'env'] },
      sla: { default: { CRITICAL: 7, HIGH: 14, MEDIUM: 30, LOW: 90 }, environments: {} },
    });
  });
});
