/**
 * The few places where DuckDB and Athena (Trino) SQL differ in Patchboard's reports. Reports are written once
 * against this interface; each engine supplies its dialect.
 */
import { sql, type SqlFragment } from './sql.js';

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
}

export const duckdbDialect: Dialect = {
  name: 'duckdb',
  minBy: (value, order) => sql`arg_min(${value}, ${order})`,
  maxBy: (value, order) => sql`arg_max(${value}, ${order})`,
  instant: (iso) => sql`CAST(${iso} AS TIMESTAMPTZ)`,
  stringAgg: (value) => sql`string_agg(DISTINCT ${value}, ', ' ORDER BY ${value})`,
};

export const trinoDialect: Dialect = {
  name: 'trino',
  minBy: (value, order) => sql`min_by(${value}, ${order})`,
  maxBy: (value, order) => sql`max_by(${value}, ${order})`,
  instant: (iso) => sql`from_iso8601_timestamp(${iso})`,
  stringAgg: (value) => sql`array_join(array_sort(array_distinct(array_agg(${value}))), ', ')`,
};
