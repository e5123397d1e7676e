/**
 * What a monthly audit pack holds: its sections (a catalogue report each, with the parameters the month and
 * team give it) and the month's window. The command line writes the whole pack (with HTML and PDF); the
 * delivery Lambda writes its tables on Athena. Both read the sections from here.
 */
import type { QueryResult } from './engine.js';
import { PatchboardError } from './errors.js';
import { formatInstant } from './timestamp.js';

/** One table of the pack: a catalogue report and the parameters the month and team give it. */
export interface PackSection {
  readonly file: string;
  readonly title: string;
  readonly intro: string;
  readonly report: string;
  readonly params: (month: MonthWindow, team: string | undefined) => Record<string, string>;
}

/** One section as run: its parameters after validation and defaults, and its rows. */
export interface PackTable {
  readonly section: PackSection;
  readonly params: Record<string, unknown>;
  readonly result: QueryResult;
}

export interface MonthWindow {
  /** `YYYY-MM`. */
  readonly month: string;
  /** First instant of the month, UTC. */
  readonly from: string;
  /** The instant the pack is evaluated at: the month's last second, or now for the running month. */
  readonly asOf: string;
  /** Whether the month had not ended at the evaluation time. */
  readonly partial: boolean;
}

const withTeam = (team: string | undefined, params: Record<string, string> = {}) =>
  team === undefined ? params : { ...params, team };

export const PACK_SECTIONS: readonly PackSection[] = [
  {
    file: 'summary',
    title: 'Fleet summary',
    intro: 'Managed nodes by status at the end of the month; compliance % = compliant / active nodes.',
    report: 'fleet-summary',
    params: (_m, team) => withTeam(team),
  },
  {
    file: 'team-environment',
    title: 'Team x Environment',
    intro: 'Active nodes per team and environment (from tags), by status.',
    report: 'team-environment',
    params: (_m, team) => withTeam(team),
  },
  {
    file: 'baselines',
    title: 'Compliance per patch baseline',
    intro: 'Nodes per patch baseline, by status.',
    report: 'fleet-summary',
    params: (_m, team) => withTeam(team, { 'group-by': 'baseline' }),
  },
  {
    file: 'instances',
    title: 'Per-instance status',
    intro:
      'Every managed node: OS, patch group, baseline, Patch compliance status, missing count, highest severity missing, last patch operation.',
    report: 'node-compliance',
    params: (_m, team) => withTeam(team),
  },
  {
    file: 'overdue-patches',
    title: 'Security patches missing 14 days or more',
    intro: 'Non-compliant security patches on active nodes, with the day first seen missing.',
    report: 'overdue-patches',
    params: (_m, team) => withTeam(team),
  },
  {
    file: 'sla',
    title: 'Patch SLA',
    intro: 'Open non-compliant items against the policy SLA (days allowed per severity and environment).',
    report: 'sla',
    params: (_m, team) => withTeam(team),
  },
  {
    file: 'time-to-remediate',
    title: 'Time to remediate this month',
    intro: 'Days from first seen missing to installed, for patches installed during the month.',
    report: 'mttr',
    params: (m, team) => withTeam(team, { from: m.from, to: m.asOf }),
  },
  {
    file: 'patch-evidence',
    title: 'CVE and patch evidence',
    intro:
      'Every patch item non-compliant at some time during the month: its CVEs, first seen non-compliant, installed time.',
    report: 'cve-evidence',
    params: (m, team) => withTeam(team, { from: m.from, to: m.asOf }),
  },
];

/** `2026-10` → its first instant and last second (UTC), cut at `now` for the running month. */
export function monthWindow(month: string, now: number): MonthWindow {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) {
    throw new PatchboardError(
      'USAGE',
      `The month ${JSON.stringify(month)} is not a month; give e.g. 2026-10.`,
    );
  }
  const start = Date.UTC(Number(match[1]), Number(match[2]) - 1, 1);
  const end = Date.UTC(Number(match[1]), Number(match[2]), 1) - 1000;
  if (start > now) {
    throw new PatchboardError(
      'USAGE',
      `The month ${month} has not begun at the evaluation time ${formatInstant(now)}; give a past or the current month.`,
    );
  }
  return {
    month,
    from: formatInstant(start),
    asOf: formatInstant(Math.min(end, now)),
    partial: end > now,
  };
}
