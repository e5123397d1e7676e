/**
 * "As of" on Athena: every inventory table name a report reads is shadowed, for that one query, by the rows of
 * its rows that held at the instant — core's `rowsAsOf`, the rule DuckDB's `history_at` views follow too.
 *
 * Athena has no session variables, so the instant is bound in each shadowing CTE, and those CTEs come before
 * the report's own: a report's SQL is unchanged, whichever engine runs it.
 */
import {
  type CompiledQuery,
  formatInstant,
  INVENTORY_TYPES,
  type InventoryTypeSpec,
  rowsAsOf,
  sql,
  type SqlFragment,
} from '@patchboard/core';

/**
 * Athena takes `?` only inside WHERE clauses (its documented limit on execution parameters), so the instant is
 * bound once per comparison rather than once in a CTE of its own. Inside its own CTE a table's name still names
 * the table (a WITH query does not see itself), so the current rows are read as they are.
 */
function shadow(type: InventoryTypeSpec, at: string): SqlFragment {
  return sql`${sql.raw(type.table)} AS (
  ${rowsAsOf(type, sql`from_iso8601_timestamp(${at})`)}
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
