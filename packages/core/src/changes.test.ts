import { describe, expect, it } from 'vitest';
import { compareFleets } from './changes.js';

const node = (id: string, status: string, baseline: string | null = 'pb-1') => ({
  account_id: '011111111111',
  region: 'us-east-1',
  node_id: id,
  name: `n-${id}`,
  team: 'payments',
  environment: 'prod',
  status,
  baseline_id: baseline,
});

describe('compareFleets', () => {
  it('names each kind of change once, in a stable order', () => {
    const before = [
      node('i-1', 'COMPLIANT'),
      node('i-2', 'NON_COMPLIANT'),
      node('i-3', 'COMPLIANT'),
      node('i-4', 'COMPLIANT'),
      node('i-5', 'COMPLIANT', 'pb-1'),
      node('i-6', 'NON_COMPLIANT'),
    ];
    const after = [
      node('i-1', 'NON_COMPLIANT'),
      node('i-2', 'COMPLIANT'),
      node('i-3', 'STALE'),
      node('i-5', 'COMPLIANT', 'pb-2'),
      node('i-6', 'NON_COMPLIANT'),
      node('i-7', 'NOT_SCANNED', null),
    ];
    const summary = compareFleets(before, after).rows.map((r) =>
      [r.change, r.node_id, r.status_before, r.status_after, r.baseline_before, r.baseline_after].join(' '),
    );
    expect(summary).toEqual([
      'NEW_NODE i-7  NOT_SCANNED  ',
      'GONE i-4 COMPLIANT  pb-1 ',
      'NEWLY_NON_COMPLIANT i-1 COMPLIANT NON_COMPLIANT pb-1 pb-1',
      'FIXED i-2 NON_COMPLIANT COMPLIANT pb-1 pb-1',
      'STATUS_CHANGED i-3 COMPLIANT STALE pb-1 pb-1',
      'BASELINE_CHANGED i-5 COMPLIANT COMPLIANT pb-1 pb-2',
    ]);
  });
});
