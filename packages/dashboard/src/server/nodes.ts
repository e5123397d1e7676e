/**
 * The Nodes table: the `node-compliance` report, read once per snapshot and then filtered, sorted and paged in
 * memory. At 100,000 nodes a filter or a page is a few milliseconds this way, where re-running the report's SQL
 * for every keystroke would cost the database work for the whole fleet each time.
 */
import * as z from 'zod';
import { NODE_STATUSES, type QueryResult, type ResultRow, SEVERITIES } from '@patchboard/core';
import { NODE_FACETS, NODE_SORT_COLUMNS } from '../shared/node-table.js';

export { NODE_FACETS, NODE_SORT_COLUMNS };

const text = z.string().max(256).optional();

export const nodeQuerySchema = z
  .object({
    account: text,
    region: text,
    team: text,
    environment: text,
    platform: text,
    baseline: text,
    status: z.enum(NODE_STATUSES).optional(),
    severity: z.enum(SEVERITIES).optional(),
    /** Case-insensitive substring of node id, name or any of the owner columns. */
    q: text,
    sort: z.enum(NODE_SORT_COLUMNS).default('node_id'),
    order: z.enum(['asc', 'desc']).default('asc'),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(50),
  })
  .strict();
export type NodeQuery = z.infer<typeof nodeQuerySchema>;

export interface NodePage {
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly result: QueryResult;
}

/** SEVERITIES runs from UNSPECIFIED up to CRITICAL, so its index is the rank. */
const SEVERITY_RANK = new Map<string, number>(SEVERITIES.map((severity, i) => [severity, i + 1]));
const SEARCHED = ['node_id', 'name', 'account_id', 'region', 'team', 'environment', 'platform'] as const;

/** Orders two rows by one column; empty values go last whichever the direction. */
function compare(column: string, direction: 1 | -1): (a: ResultRow, b: ResultRow) => number {
  return (a, b) => {
    const x = a[column] ?? null;
    const y = b[column] ?? null;
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    if (column === 'highest_severity') {
      return direction * ((SEVERITY_RANK.get(String(x)) ?? 0) - (SEVERITY_RANK.get(String(y)) ?? 0));
    }
    if (typeof x === 'number' && typeof y === 'number') return direction * (x - y);
    return direction * (String(x) < String(y) ? -1 : 1);
  };
}

/**
 * What a node table has worked out once and keeps while the table lives (one data version): each row's
 * lower-cased search text, and the rows in each order asked for. A filter is then one pass over rows already
 * sorted, instead of a sort of the whole fleet per request.
 */
interface Prepared {
  readonly haystacks: Map<ResultRow, string>;
  readonly orders: Map<string, ResultRow[]>;
}
const prepared = new WeakMap<QueryResult, Prepared>();

function prepare(nodes: QueryResult): Prepared {
  let ready = prepared.get(nodes);
  if (!ready) {
    const haystacks = new Map<ResultRow, string>();
    for (const row of nodes.rows) {
      haystacks.set(row, SEARCHED.map((column) => String(row[column] ?? '').toLowerCase()).join('\u0000'));
    }
    ready = { haystacks, orders: new Map() };
    prepared.set(nodes, ready);
  }
  return ready;
}

function sortedRows(nodes: QueryResult, sort: NodeQuery['sort'], order: NodeQuery['order']): ResultRow[] {
  const { orders } = prepare(nodes);
  const key = `${sort} ${order}`;
  let rows = orders.get(key);
  if (!rows) {
    const byColumn = compare(sort, order === 'asc' ? 1 : -1);
    const tieBreak = compare('node_id', 1);
    rows = [...nodes.rows].sort((a, b) => byColumn(a, b) || tieBreak(a, b));
    orders.set(key, rows);
  }
  return rows;
}

/** All rows matching the query's filters, in its order (paging is the caller's). */
export function filterNodes(nodes: QueryResult, query: NodeQuery): ResultRow[] {
  const exact: [string, string][] = [];
  for (const [param, column] of Object.entries(NODE_FACETS)) {
    const wanted = query[param as keyof typeof NODE_FACETS];
    if (wanted !== undefined && wanted !== '') exact.push([column, wanted]);
  }
  if (query.status) exact.push(['status', query.status]);
  if (query.severity) exact.push(['highest_severity', query.severity]);
  const needle = query.q?.trim().toLowerCase();
  const { haystacks } = prepare(nodes);
  return sortedRows(nodes, query.sort, query.order).filter(
    (row) =>
      exact.every(([column, wanted]) => row[column] === wanted) &&
      (!needle || haystacks.get(row)!.includes(needle)),
  );
}

export function pageNodes(nodes: QueryResult, query: NodeQuery): NodePage {
  const rows = filterNodes(nodes, query);
  return {
    total: rows.length,
    offset: query.offset,
    limit: query.limit,
    result: { columns: nodes.columns, rows: rows.slice(query.offset, query.offset + query.limit) },
  };
}

const facetsOf = new WeakMap<QueryResult, Record<keyof typeof NODE_FACETS, string[]>>();

/** Each facet's distinct values, for the filter drop-downs; worked out once per node table. */
export function nodeFacets(nodes: QueryResult): Record<keyof typeof NODE_FACETS, string[]> {
  let facets = facetsOf.get(nodes);
  if (facets) return facets;
  facets = {} as Record<keyof typeof NODE_FACETS, string[]>;
  for (const [param, column] of Object.entries(NODE_FACETS)) {
    const values = new Set<string>();
    for (const row of nodes.rows) {
      const value = row[column];
      if (typeof value === 'string') values.add(value);
    }
    facets[param as keyof typeof NODE_FACETS] = [...values].sort();
  }
  facetsOf.set(nodes, facets);
  return facets;
}
