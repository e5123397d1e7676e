/**
 * Result rows in one shape for every caller: numbers for counts and decimals, ISO-8601 strings in UTC for
 * timestamps (`2026-10-31T23:59:59Z`), `YYYY-MM-DD` for dates, plain arrays for lists.
 */
import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import type { ColumnType, ResultValue } from '@patchboard/core';

export function columnType(type: DuckDBType): ColumnType {
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.UUID:
    case DuckDBTypeId.ENUM:
      return 'string';
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
      return 'integer';
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL:
      return 'number';
    case DuckDBTypeId.BOOLEAN:
      return 'boolean';
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return 'timestamp';
    case DuckDBTypeId.DATE:
      return 'date';
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return 'list';
    default:
      return 'other';
  }
}

function isoInstant(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

export function normaliseValue(value: unknown, type: ColumnType): ResultValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return type === 'date' ? value.toISOString().slice(0, 10) : isoInstant(value);
  if (Array.isArray(value)) return value.map((v) => normaliseValue(v, 'other'));
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
}
