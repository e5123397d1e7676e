/**
 * "As of" on Athena: every inventory table name a report reads is shadowed, for that one query, by the rows of
 * its `<table>_history` that held at the instant — the same rule as DuckDB's `history_at` views (engine-duckdb
 * history.ts): an interval holds from `valid_from` (inclusive) until `valid_to` (exclusive, NULL while open),
 * and a node's last scan time is the newest scan logged up to the instant.
 *
 * Athena has no session variables, so the instant is bound in each shadowing CTE, and those CTEs come before
 * the report's own: a report's SQL is unchanged, whichever engine runs it.
 */
import {
  type CompiledQuery,
  formatInstant,
  INVENTORY_TYPES,
  type InventoryTypeSpec,
  sql,
  type SqlFragment,
  tableColumns,
} from '@patchboard/core';

/** The one volatile value reports need as of an instant: the last scan time, from the scan log. */
const SCAN_LOG = { typeName: 'AWS:PatchSummary', column: 'operationendtime' } as const;
const OBJECT_KEY = ['accountid', 'region', 'resourcetype', 'resourceid'] as const;

/**
 * Athena takes `?` only inside WHERE clauses (its documented limit on execution parameters), so the instant is
 * bound once per comparison rather than once in a CTE of its own.
 */
function shadow(type: InventoryTypeSpec, at: string): SqlFragment {
  const instant = sql`from_iso8601_timestamp(${at})`;
  const select = tableColumns(type).map((c) =>
    type.typeName === SCAN_LOG.typeName && c.name === SCAN_LOG.column
      ? sql`coalesce((SELECT max(s.scan_time) FROM history_scans s
      WHERE ${sql.raw(OBJECT_KEY.map((k) => `s.${k} = h.${k}`).join(' AND '))} AND s.scan_time <= ${instant}),
      h.${sql.raw(c.name)}) AS ${sql.raw(c.name)}`
      : sql.raw(`h.${c.name}`),
  );
  return sql`${sql.raw(type.table)} AS (
  SELECT ${sql.join(select)}
  FROM ${sql.raw(`${type.table}_history`)} h
  WHERE h.valid_from <= ${instant} AND (h.valid_to IS NULL OR h.valid_to > ${instant})
)`;
}

/** `query` reading every inventory table as it stood at `asOf` (epoch milliseconds). */
export function queryAsOf(query: CompiledQuery, asOf: number): CompiledQuery {
  const at = formatInstant(asOf);
  const ctes = sql
    .join(
      INVENTORY_TYPES.map((type) => shadow(type, at)),
      ',\n',
    )
    .compile();
  // A report that starts with its own WITH continues our list; our parameters come first in the text.
  const leadingWith = /^\s*WITH\s+/i.exec(query.sql);
  const text = leadingWith
    ? `WITH ${ctes.sql},\n${query.sql.slice(leadingWith[0].length)}`
    : `WITH ${ctes.sql}\n${query.sql}`;
  return { sql: text, parameters: [...ctes.parameters, ...query.parameters] };
}
