/**
 * Who sees what, decided from groups, and the parameters and rows a scope lets through; the server-side session
 * store's expiry and one-time use; the configuration the sign-in modes need.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig, REPORTS, reportParameterNames } from '@patchboard/core';
import {
  FLEET,
  scopedReportParameters,
  scopedRows,
  scopeFor,
  scopeKey,
  type Scope,
} from '../src/server/scope.js';
import { ExpiringStore } from '../src/server/session.js';

const ACCESS = {
  admins: ['platform-security'],
  teams: { payments: ['team-payments', 'payments-leads'], checkout: ['team-checkout'] },
};
const payments: Scope = { kind: 'teams', teams: ['payments'] };

describe('scopeFor', () => {
  it('gives admins the fleet, team groups their teams, anyone else nothing', () => {
    expect(scopeFor(['everyone', 'platform-security', 'team-payments'], ACCESS)).toEqual(FLEET);
    expect(scopeFor(['payments-leads'], ACCESS)).toEqual(payments);
    expect(scopeFor(['team-checkout', 'team-payments'], ACCESS)).toEqual({
      kind: 'teams',
      teams: ['checkout', 'payments'],
    });
    expect(scopeFor(['contractors'], ACCESS)).toEqual({ kind: 'teams', teams: [] });
    expect(scopeFor([], ACCESS)).toEqual({ kind: 'teams', teams: [] });
  });

  it('keys each scope apart, and the same scope the same way', () => {
    const keys = [FLEET, payments, { kind: 'teams', teams: [] }, { kind: 'teams', teams: ['checkout'] }].map(
      (scope) => scopeKey(scope as Scope),
    );
    expect(new Set(keys).size).toBe(4);
    expect(scopeKey(scopeFor(['team-payments'], ACCESS))).toBe(
      scopeKey(scopeFor(['payments-leads'], ACCESS)),
    );
    // A team named like another scope's key cannot collide with it.
    expect(scopeKey({ kind: 'teams', teams: ['fleet'] })).not.toBe(scopeKey(FLEET));
  });
});

describe('scopedReportParameters', () => {
  it('runs every report with a team parameter for the member’s team, and refuses another team', () => {
    const withTeam = REPORTS.filter((report) => reportParameterNames(report).includes('team'));
    expect(withTeam.map((report) => report.id).sort()).toEqual([
      'agent-versions',
      'cve-evidence',
      'cve-visibility',
      'fleet-summary',
      'missing-patches',
      'mttr',
      'node-compliance',
      'overdue-patches',
      'severity-summary',
      'sla',
      'team-environment',
    ]);
    for (const report of withTeam) {
      expect(scopedReportParameters(payments, report.id, { x: '1' })).toEqual({ x: '1', team: 'payments' });
      expect(scopedReportParameters(payments, report.id, { team: 'payments' })).toEqual({ team: 'payments' });
      expect(() => scopedReportParameters(payments, report.id, { team: 'checkout' })).toThrow(
        /no team "checkout" among the teams you see \(payments\)/,
      );
      expect(scopedReportParameters(FLEET, report.id, { team: 'checkout' })).toEqual({ team: 'checkout' });
    }
  });

  it('keeps fleet-wide reports for admins, and asks a member of several teams to choose', () => {
    const fleetWide = REPORTS.filter(
      (report) => !reportParameterNames(report).includes('team') && report.id !== 'ingest-runs',
    ).map((report) => report.id);
    expect(fleetWide).toEqual(
      expect.arrayContaining(['applications', 'ingest-errors', 'recipe-patch-summary']),
    );
    for (const id of fleetWide) {
      expect(() => scopedReportParameters(payments, id, {})).toThrow(/open to the dashboard's admins only/);
      expect(scopedReportParameters(FLEET, id, {})).toEqual({});
    }
    expect(scopedReportParameters(payments, 'ingest-runs', { limit: '1' })).toEqual({ limit: '1' });
    const both: Scope = { kind: 'teams', teams: ['checkout', 'payments'] };
    expect(() => scopedReportParameters(both, 'fleet-summary', {})).toThrow(/choose one with team=/);
    expect(scopedReportParameters(both, 'fleet-summary', { team: 'checkout' })).toEqual({ team: 'checkout' });
    expect(() => scopedReportParameters({ kind: 'teams', teams: [] }, 'fleet-summary', {})).toThrow(
      /no team/,
    );
  });

  it('takes the scope’s rows of a table', () => {
    const table = {
      columns: [{ name: 'team', type: 'string' as const }],
      rows: [{ team: 'payments' }, { team: 'checkout' }, { team: '(untagged)' }, { team: 'payments' }],
    };
    expect(scopedRows(payments, table).rows).toEqual([{ team: 'payments' }, { team: 'payments' }]);
    expect(scopedRows(FLEET, table)).toBe(table);
    expect(scopedRows({ kind: 'teams', teams: [] }, table).rows).toEqual([]);
  });
});

describe('ExpiringStore', () => {
  afterEach(() => vi.useRealTimers());

  it('forgets an entry at its end, and a taken one at once', () => {
    vi.useFakeTimers({ now: Date.parse('2026-10-31T00:00:00Z') });
    const store = new ExpiringStore<string>();
    const id = store.add('alice', 60_000);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    vi.setSystemTime(Date.parse('2026-10-31T00:00:59Z'));
    expect(store.get(id)).toBe('alice');
    vi.setSystemTime(Date.parse('2026-10-31T00:01:00Z'));
    expect(store.get(id)).toBeUndefined();
    const once = store.add('sign-in', 60_000);
    expect(store.take(once)).toBe('sign-in');
    expect(store.take(once)).toBeUndefined();
    const other = store.add('bob', 60_000);
    store.delete(other);
    expect(store.get(other)).toBeUndefined();
  });
});

describe('the dashboard configuration', () => {
  const access = { admins: ['platform-security'] };
  it('needs publicUrl and access for OpenID Connect, one sign-in mode, and a load balancer ARN', () => {
    const oidc = { issuer: 'https://idp.example.com', clientId: 'patchboard' };
    expect(() => parseConfig({ dashboard: { auth: { oidc }, access } }, 'p.yaml')).toThrow(/publicUrl/);
    expect(() =>
      parseConfig({ dashboard: { publicUrl: 'https://p.example.com', auth: { oidc } } }, 'p.yaml'),
    ).toThrow(/access/);
    const alb = {
      arn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/p/50dc6c495c0c9188',
    };
    expect(() =>
      parseConfig(
        { dashboard: { publicUrl: 'https://p.example.com', auth: { oidc, alb }, access } },
        'p.yaml',
      ),
    ).toThrow(/either oidc or alb/);
    expect(() =>
      parseConfig({ dashboard: { auth: { alb: { arn: 'arn:aws:s3:::bucket' } }, access } }, 'p.yaml'),
    ).toThrow(/loadbalancer\/app/);
    const parsed = parseConfig(
      { dashboard: { publicUrl: 'https://p.example.com', auth: { oidc }, access } },
      'p',
    );
    expect(parsed.dashboard?.auth).toEqual({
      oidc: { ...oidc, groupsClaim: 'groups', scopes: ['openid', 'profile', 'email'] },
      sessionHours: 8,
    });
    expect(parsed.dashboard?.access).toEqual({ admins: ['platform-security'], teams: {} });
  });
});
