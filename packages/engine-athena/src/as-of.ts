/**
 * "As of" on Athena: every inventory table name a report reads is shadowed, for that one query, by the rows of
 * its `<table>_history` that held at the instant — the same rule as DuckDB's `history_at` views (engine-duckdb
 * history.ts): an interval holds from `valid_from` (inclusive) until `valid_to` (exclusive, NULL while open),
 * and a node's last scan time is the newest scan logged up to the instant.
 *
 * Athena has no session variables, so the instant is one bound parameter in a leading CTE, and the shadowing
 * CTEs come before the report's own: a report's SQL is unchanged, whichever engine runs it.
 */
import {
  type CompiledQuery,
  formatInstant,
  INVENTORY_TYPES,
  type InventoryTypeSpec,
  tableColumns,
} from '@patchboard/core';

/** The one volatile value reports need as of an instant: the last scan time, from the scan log. */
const SCAN_LOG = { typeName: 'AWS:PatchSummary', column: 'operationendtime' } as const;
const OBJECT_KEY = ['accountid', 'region', 'resourcetype', 'resourceid'] as const;
const AS_OF_CTE = 'patchboard_as_of';

function shadow(type: InventoryTypeSpec): string {
  const select = tableColumns(type).map((c) =>
    type.typeName === SCAN_LOG.typeName && c.name === SCAN_LOG.column
      ? `coalesce((SELECT max(s.scan_time) FROM history_scans s WHERE ${OBJECT_KEY.map((k) => `s.${k} = h.${k}`).join(' AND ')}
      AND s.scan_time <= a.at), h.${c.name}) AS ${c.name}`
      : `h.${c.name}`,
  );
  return `${type.table} AS (
  SELECT ${select.join(', ')}
  FROM ${type.table}_history h CROSS JOIN ${AS_OF_CTE} a
  WHERE h.valid_from <= a.at AND (h.valid_to IS NULL OR h.valid_to > a.at)
)`;
}

/** `query` reading every inventory table as it stood at `asOf` (epoch milliseconds). */
export function queryAsOf(query: CompiledQuery, asOf: number): CompiledQuery {
  const ctes = [
    `${AS_OF_CTE} AS (SELECT from_iso8601_timestamp(?) AS at)`,
    ...INVENTORY_TYPES.map(shadow),
  ].join(',\n');
  // A report that starts with its own WITH continues our list; the instant's `?` stays the first parameter.
  const leadingWith = /^\s*WITH\s+/i.exec(query.sql);
  const sql = leadingWith
    ? `WITH ${ctes},\n${query.sql.slice(leadingWith[0].length)}`
    : `WITH ${ctes}\n${query.sql}`;
  return { sql, parameters: [formatInstant(asOf), ...query.parameters] };
}
