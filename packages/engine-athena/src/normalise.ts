/**
 * Athena answers every value as text (`VarCharValue`), NULL as a datum without one, and names each column's
 * type in `ResultSetMetadata`. This turns them into the one row shape every engine hands out: numbers for
 * counts and decimals, ISO-8601 strings in UTC for instants (`2026-10-31T23:59:59Z`), `YYYY-MM-DD` for dates,
 * plain arrays for lists, and NULL kept apart from the empty string.
 */
import { type ColumnType, PatchboardError, type ResultValue } from '@patchboard/core';

/** The engine-neutral type of an Athena (Trino) type name such as `bigint` or `timestamp(3) with time zone`. */
export function columnType(athenaType: string): ColumnType {
  const base = athenaType
    .toLowerCase()
    .replace(/\(.*?\)/g, '')
    .trim();
  switch (base) {
    case 'varchar':
    case 'char':
    case 'string':
    case 'json':
    case 'uuid':
    case 'ipaddress':
      return 'string';
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'int':
    case 'bigint':
      return 'integer';
    case 'double':
    case 'real':
    case 'float':
    case 'decimal':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'timestamp':
    case 'timestamp with time zone':
      return 'timestamp';
    case 'date':
      return 'date';
    case 'array':
      return 'list';
    default:
      return base.startsWith('array') ? 'list' : 'other';
  }
}

/** `2026-10-31 23:59:59.000`, optionally followed by ` UTC`, ` Z` or ` +02:00`. */
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d{1,12})? ?(UTC|Z|[+-]\d{2}:\d{2})?$/;

function isoInstant(text: string): string {
  const match = TIMESTAMP.exec(text.trim());
  if (!match) {
    throw new PatchboardError(
      'ENGINE',
      `Athena answered the timestamp ${JSON.stringify(text)}, which is not in the form 2026-10-31 23:59:59.000 UTC that Patchboard reads. Convert the column to UTC in the query (AT TIME ZONE 'UTC').`,
    );
  }
  const [, date, time, fraction = '', zone = 'UTC'] = match;
  const offset = zone === 'UTC' || zone === 'Z' ? 'Z' : zone;
  // Milliseconds are kept only when there are any, as the DuckDB engine prints them.
  const millis = fraction.slice(1, 4).padEnd(3, '0');
  const epoch = Date.parse(`${date}T${time}.${millis}${offset}`);
  if (Number.isNaN(epoch)) {
    throw new PatchboardError(
      'ENGINE',
      `Athena answered the timestamp ${JSON.stringify(text)}, which names no instant.`,
    );
  }
  const iso = new Date(epoch).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

function number(text: string): number {
  switch (text) {
    case 'NaN':
      return Number.NaN;
    case 'Infinity':
      return Number.POSITIVE_INFINITY;
    case '-Infinity':
      return Number.NEGATIVE_INFINITY;
    default: {
      const value = Number(text);
      if (text.trim() === '' || Number.isNaN(value)) {
        throw new PatchboardError('ENGINE', `Athena answered ${JSON.stringify(text)} for a numeric column.`);
      }
      return value;
    }
  }
}

/**
 * Athena prints an array as `[a, b, c]` without quoting its elements, so an element holding ", " cannot be
 * told apart from two; elements come back as text. Reports return no arrays; this serves ad-hoc SQL.
 */
function list(text: string): ResultValue[] {
  const inner = text.trim().replace(/^\[/, '').replace(/\]$/, '');
  return inner === '' ? [] : inner.split(', ');
}

/** One Athena datum (undefined `VarCharValue` = NULL) as the engine-neutral value for its column type. */
export function normaliseValue(text: string | undefined, type: ColumnType): ResultValue {
  if (text === undefined) return null;
  switch (type) {
    case 'string':
    case 'other':
      return text;
    case 'integer':
    case 'number':
      return number(text);
    case 'boolean':
      return text === 'true';
    case 'timestamp':
      return isoInstant(text);
    case 'date':
      return text.slice(0, 10);
    case 'list':
      return list(text);
    default: {
      const unreachable: never = type;
      throw new Error(`unknown column type ${String(unreachable)}`);
    }
  }
}
