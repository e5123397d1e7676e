/**
 * The few places where DuckDB and Athena (Trino) SQL differ in Patchboard's reports. Reports are written once
 * against this interface; each engine supplies its dialect.
 */
import type { Policy } from './config.js';
import { sql, type SqlFragment } from './sql.js';

/**
 * Tables a database keeps of what reports would otherwise derive from the inventory and its history on every
 * query: node facts and item runs, filled at ingest (engine-duckdb derived.ts). Reports read them when the
 * engine's dialect says they hold for the question, and derive the same rows in the query otherwise (Athena).
 */
export interface DerivedTables {
  /** The tag keys the node facts resolved team and environment with: a policy with others derives its own. */
  readonly tagKeys: Policy['tagKeys'];
  /**
   * The item runs are history's runs as they stand at any evaluation time from this instant on (epoch
   * milliseconds; the newest change history holds); an earlier evaluation reads history as it stood then.
   * Null when history holds no patch items.
   */
  readonly itemRunsFrom: number | null;
}

export interface Dialect {
  readonly name: 'duckdb' | 'trino';
  /** `value` from the row with the smallest `order`: DuckDB `arg_min`, Trino `min_by`. */
  minBy(value: SqlFragment, order: SqlFragment): SqlFragment;
  /** `value` from the row with the largest `order`: DuckDB `arg_max`, Trino `max_by`. */
  maxBy(value: SqlFragment, order: SqlFragment): SqlFragment;
  /** A bound ISO-8601 instant as a timestamp with time zone. */
  instant(iso: string): SqlFragment;
  /** Text of distinct values joined by ', ' in order. */
  stringAgg(value: SqlFragment): SqlFragment;
  /** Whether a comma-separated text (`CVEIds`: `CVE-1,CVE-2`) holds `item` as one whole element. */
  csvContains(list: SqlFragment, item: SqlFragment): SqlFragment;
  /** UTC calendar days from one instant's date to another's. */
  utcDaysBetween(from: SqlFragment, to: SqlFragment): SqlFragment;
  /** Seconds from one instant to another, as a number. */
  secondsBetween(from: SqlFragment, to: SqlFragment): SqlFragment;
  /** The `fraction` quantile of a numeric aggregate (exact on DuckDB, approximate on Athena). */
  quantile(value: SqlFragment, fraction: number): SqlFragment;
  /** The engine's derived tables, when its database keeps them. */
  readonly derived?: DerivedTables;
}

export const duckdbDialect: Dialect = {
  name: 'duckdb',
  // The _null variants keep a NULL value from the chosen row, as Trino's min_by/max_by do.
  minBy: (value, order) => sql`arg_min_null(${value}, ${order})`,
  maxBy: (value, order) => sql`arg_max_null(${value}, ${order})`,
  instant: (iso) => sql`CAST(${iso} AS TIMESTAMPTZ)`,
  stringAgg: (value) => sql`string_agg(DISTINCT ${value}, ', ' ORDER BY ${value})`,
  csvContains: (list, item) => sql`list_contains(string_split(replace(${list}, ' ', ''), ','), ${item})`,
  utcDaysBetween: (from, to) => sql`date_diff('day', CAST(${from} AS DATE), CAST(${to} AS DATE))`,
  secondsBetween: (from, to) => sql`(epoch(${to}) - epoch(${from}))`,
  quantile: (value, fraction) => sql`quantile_cont(${value}, ${sql.raw(String(Number(fraction)))})`,
};

export const trinoDialect: Dialect = {
  name: 'trino',
  minBy: (value, order) => sql`min_by(${value}, ${order})`,
  maxBy: (value, order) => sql`max_by(${value}, ${order})`,
  instant: (iso) => sql`from_iso8601_timestamp(${iso})`,
  stringAgg: (value) => sql`array_join(array_sort(array_distinct(array_agg(${value}))), ', ')`,
  csvContains: (list, item) => sql`contains(split(replace(${list}, ' ', ''), ','), ${item})`,
  utcDaysBetween: (from, to) =>
    sql`date_diff('day', CAST(${from} AT TIME ZONE 'UTC' AS date), CAST(${to} AT TIME ZONE 'UTC' AS date))`,
  secondsBetween: (from, to) => sql`(to_unixtime(${to}) - to_unixtime(${from}))`,
  quantile: (value, fraction) => sql`approx_percentile(${value}, ${sql.raw(String(Number(fraction)))})`,
};
