/**
 * What a signed-in person may see: the whole fleet (an admin, or the local token), or the nodes of some teams
 * (the Team tag's value). The scope is applied by the server to every question before it is asked — a report's
 * `team` parameter, the node table's rows, a node page's lookup — and is part of every cache key, so one
 * person's answer is never handed to another.
 */
import {
  type AccessConfig,
  findReport,
  PatchboardError,
  type QueryResult,
  reportParameterNames,
} from '@patchboard/core';

export type Scope =
  { readonly kind: 'fleet' } | { readonly kind: 'teams'; readonly teams: readonly string[] };

/** Someone the dashboard knows: from the local token, an OpenID Connect sign-in, or the load balancer's header. */
export interface Viewer {
  /** E-mail, preferred user name or subject: what the access log records. */
  readonly name: string;
  readonly groups: readonly string[];
  readonly scope: Scope;
  /** How they got in, so the page can offer the right sign-out. */
  readonly via: 'token' | 'oidc' | 'alb';
}

export const FLEET: Scope = { kind: 'fleet' };

/** Reports without a team parameter that hold nothing about any node (the ingests' own bookkeeping). */
const NODELESS_REPORTS = new Set(['ingest-runs']);

/** The scope `groups` earn under `access`: admin groups see the fleet, team groups their teams, others nothing. */
export function scopeFor(groups: readonly string[], access: AccessConfig): Scope {
  const held = new Set(groups);
  if (access.admins.some((group) => held.has(group))) return FLEET;
  const teams = Object.entries(access.teams)
    .filter(([, teamGroups]) => teamGroups.some((group) => held.has(group)))
    .map(([team]) => team)
    .sort();
  return { kind: 'teams', teams };
}

/** A stable text for cache keys: the same scope always gives the same key, two scopes never the same. */
export function scopeKey(scope: Scope): string {
  return scope.kind === 'fleet' ? 'fleet' : `teams:${JSON.stringify(scope.teams)}`;
}

/** Why someone signed in sees nothing, in words they can act on. */
export function noAccessMessage(viewer: Viewer): string {
  const groups = viewer.groups.length > 0 ? viewer.groups.join(', ') : 'none';
  return `You are signed in as ${viewer.name}, but none of your groups (${groups}) is given access to this dashboard (dashboard.access in its configuration: admins, or a team's groups). Ask whoever runs Patchboard to add one of your groups, then sign in again.`;
}

/**
 * The team a team member's question is narrowed to: the one asked for if it is theirs, their only team when none
 * is asked for. Another team's name answers as if it did not exist.
 */
export function teamFor(scope: Scope & { kind: 'teams' }, asked: string | undefined): string {
  if (asked !== undefined) {
    if (scope.teams.includes(asked)) return asked;
    throw new PatchboardError(
      'NOT_FOUND',
      `There is no team ${JSON.stringify(asked)} among the teams you see (${scope.teams.join(', ')}).`,
    );
  }
  const [only, ...others] = scope.teams;
  if (only === undefined) {
    throw new PatchboardError('NOT_FOUND', 'You see no team: your groups are given no access here.');
  }
  if (others.length > 0) {
    throw new PatchboardError(
      'USAGE',
      `You see several teams (${scope.teams.join(', ')}); choose one with team=<name> (for example team=${only}).`,
    );
  }
  return only;
}

/**
 * A report's parameters narrowed to the scope. Reports with a `team` parameter answer for the viewer's team;
 * reports without one cover the whole fleet and are for admins only (ingest bookkeeping, which names no node,
 * excepted).
 */
export function scopedReportParameters(
  scope: Scope,
  id: string,
  raw: Record<string, string>,
): Record<string, string> {
  if (scope.kind === 'fleet') return raw;
  const report = findReport(id);
  if (reportParameterNames(report).includes('team')) return { ...raw, team: teamFor(scope, raw.team) };
  if (NODELESS_REPORTS.has(id)) return raw;
  throw new PatchboardError(
    'NOT_FOUND',
    `Report ${id} covers the whole fleet, not one team; it is open to the dashboard's admins only.`,
  );
}

/** The node table (or any rows with a `team` column) with only the scope's rows. */
export function scopedRows(scope: Scope, nodes: QueryResult): QueryResult {
  if (scope.kind === 'fleet') return nodes;
  const teams = new Set(scope.teams);
  return { columns: nodes.columns, rows: nodes.rows.filter((row) => teams.has(String(row.team))) };
}
