import { describe, expect, it } from 'vitest';
import { judge } from './check.js';
import { checkRuleSchema } from './config.js';

const teams = {
  columns: [
    { name: 'team', type: 'string' as const },
    { name: 'environment', type: 'string' as const },
    { name: 'compliance_pct', type: 'number' as const },
  ],
  rows: [
    { team: 'payments', environment: 'prod', compliance_pct: 82.5 },
    { team: 'search', environment: 'prod', compliance_pct: 97 },
    { team: 'data', environment: 'dev', compliance_pct: null },
  ],
};
const rule = (fields: Record<string, unknown>) => checkRuleSchema.parse(fields);

describe('check rules', () => {
  it('names every group under the floor and the worst value', () => {
    expect(judge(rule({ report: 'team-environment', column: 'compliance_pct', min: 90 }), teams)).toEqual({
      rule: 'team-environment compliance_pct',
      passed: false,
      observed: 82.5,
      threshold: 'compliance_pct >= 90',
      detail: 'team=payments, environment=prod: 82.5',
    });
    expect(judge(rule({ report: 'team-environment', column: 'compliance_pct', min: 80 }), teams).passed).toBe(
      true,
    );
  });

  it('bounds the row count', () => {
    const outcome = judge(rule({ name: 'no overdue', report: 'overdue-patches', maxRows: 1 }), teams);
    expect(outcome).toMatchObject({ rule: 'no overdue', passed: false, observed: 3, threshold: 'rows <= 1' });
    expect(outcome.detail).toBe(
      'team=payments, environment=prod; team=search, environment=prod; team=data, environment=dev',
    );
  });

  it('refuses a rule without a bound, and a column the report lacks', () => {
    expect(() => rule({ report: 'fleet-summary' })).toThrow(/min, max or maxRows/);
    expect(() => rule({ report: 'fleet-summary', min: 3 })).toThrow(/need the column/);
    expect(() => judge(rule({ report: 'team-environment', column: 'pct', min: 1 }), teams)).toThrow(
      /has no column pct; it has team, environment, compliance_pct/,
    );
  });
});
