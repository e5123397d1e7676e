/**
 * Tolerant parsing of one Resource Data Sync object (JSON lines) into table rows.
 *
 * Every byte comes from some member account, so nothing here trusts the input: a bad line becomes an error
 * with its line number and the rest of the file is kept; a bad field becomes an error and an empty value, and
 * the rest of the record is kept.
 */
import type { BucketKey } from './bucket-key.js';
import { type ColumnKind, type InventoryTypeSpec, RECORD_COLUMNS, tableColumns } from './inventory-types.js';
import { normalisePatchState } from './patch-state.js';
import { formatInstant, parseIsoInstant } from './timestamp.js';

/** A column value: text, whole number, or an instant in epoch milliseconds (kind `timestamp`). */
export type CellValue = string | number | null;

export interface LineError {
  /** 1-based line number, or null for a problem with the whole object. */
  readonly line: number | null;
  readonly reason: string;
  /** The start of the offending line, for the person reading the error. */
  readonly excerpt: string;
}

export interface ParsedObject {
  /** Rows in `tableColumns(type)` order. */
  readonly rows: CellValue[][];
  readonly errors: LineError[];
  /** Lines that held a record (blank lines are not counted). */
  readonly records: number;
}

const EXCERPT_CHARS = 160;
/**
 * The longest line read as a record. The agent's records are a few kilobytes; a line of megabytes is not
 * inventory, and parsing it would cost memory out of proportion to anything it could hold.
 */
export const MAX_LINE_CHARS = 1_000_000;
const BOM = 0xfeff;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false });

interface TypePlan {
  readonly kinds: ColumnKind[];
  /** Lower-cased attribute name -> column index. */
  readonly indexByAttribute: Map<string, number>;
  readonly names: string[];
}

const plans = new WeakMap<InventoryTypeSpec, TypePlan>();

function planFor(type: InventoryTypeSpec): TypePlan {
  let plan = plans.get(type);
  if (!plan) {
    const columns = tableColumns(type);
    const attributes = [...RECORD_COLUMNS, ...type.columns];
    const indexByAttribute = new Map<string, number>();
    attributes.forEach((c, i) => indexByAttribute.set(c.attribute.toLowerCase(), i + 3));
    plan = { kinds: columns.map((c) => c.kind), indexByAttribute, names: columns.map((c) => c.name) };
    plans.set(type, plan);
  }
  return plan;
}

/** Splits bytes into decoded lines, reporting lines that are not UTF-8 instead of mangling them. */
function decodeLines(bytes: Uint8Array, errors: LineError[]): (string | undefined)[] {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    // Rare path: find the offending lines one by one, keep the others.
    const lines: (string | undefined)[] = [];
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        const slice = bytes.subarray(start, i);
        try {
          lines.push(strictUtf8.decode(slice));
        } catch {
          lines.push(undefined);
          errors.push({
            line: lines.length,
            reason: 'the line is not valid UTF-8; skipped',
            excerpt: lenientUtf8.decode(slice.subarray(0, EXCERPT_CHARS)),
          });
        }
        start = i + 1;
      }
    }
    return lines;
  }
  return text.split('\n');
}

export interface ParseOptions {
  /**
   * The latest instant a timestamp may name (epoch milliseconds), e.g. the ingest's start plus a day of clock
   * skew. A time after it is an error and stored empty: one record dated 2099 would otherwise become the data's
   * newest time, which history and audit packs cite as the cut-off.
   */
  readonly notAfter?: number;
}

function convert(
  raw: unknown,
  kind: ColumnKind,
  options: ParseOptions,
): { value: CellValue; problem?: string } {
  if (raw === null || raw === undefined) return { value: null };
  if (typeof raw === 'object')
    return { value: null, problem: 'expected a single value, got an object or list' };
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
  switch (kind) {
    case 'text':
      return { value: text };
    case 'upper':
      return { value: text === '' ? null : text.toUpperCase() };
    case 'integer': {
      if (typeof raw === 'number' && Number.isSafeInteger(raw)) return { value: raw };
      const trimmed = text.trim();
      if (trimmed === '') return { value: null };
      if (/^-?\d{1,15}$/.test(trimmed)) return { value: Number(trimmed) };
      return { value: null, problem: `expected a whole number, got ${JSON.stringify(raw)}` };
    }
    case 'timestamp': {
      if (text.trim() === '') return { value: null };
      const millis = typeof raw === 'string' ? parseIsoInstant(raw) : undefined;
      if (millis === undefined) {
        return {
          value: null,
          problem: `expected an ISO-8601 time such as 2026-10-31T23:59:59Z, got ${JSON.stringify(raw)}`,
        };
      }
      if (options.notAfter !== undefined && millis > options.notAfter) {
        return {
          value: null,
          problem: `${JSON.stringify(raw)} is in the future (after ${formatInstant(options.notAfter)})`,
        };
      }
      return { value: millis };
    }
    case 'patchState': {
      if (text.trim() === '') return { value: null };
      const state = normalisePatchState(text);
      if (!state)
        return {
          value: null,
          problem: `expected a patch state such as Missing or Installed, got ${JSON.stringify(raw)}`,
        };
      return { value: state };
    }
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown column kind ${String(unreachable)}`);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses one object of the given type. Tolerates a UTF-8 BOM, CRLF line ends, blank lines, empty files,
 * numbers written as strings, any spelling of patch states and any casing of attribute names; also a file
 * holding one pretty-printed object or a JSON array of records.
 */
export function parseInventoryObject(
  bytes: Uint8Array,
  key: BucketKey,
  type: InventoryTypeSpec,
  options: ParseOptions = {},
): ParsedObject {
  const errors: LineError[] = [];
  const rows: CellValue[][] = [];
  const plan = planFor(type);
  const lines = decodeLines(bytes, errors);
  let records = 0;

  const addRecord = (record: unknown, line: number | null, excerpt: () => string): void => {
    records++;
    if (!isRecord(record)) {
      errors.push({ line, reason: 'expected a JSON object per line; skipped', excerpt: excerpt() });
      return;
    }
    const row: CellValue[] = new Array<CellValue>(plan.kinds.length).fill(null);
    row[0] = key.accountId;
    row[1] = key.region;
    row[2] = key.resourceType;
    for (const attribute in record) {
      const index = plan.indexByAttribute.get(attribute.toLowerCase());
      if (index === undefined || row[index] !== null) continue;
      const kind = plan.kinds[index] ?? 'text';
      const { value, problem } = convert(record[attribute], kind, options);
      if (problem)
        errors.push({ line, reason: `field ${attribute}: ${problem}; stored as empty`, excerpt: excerpt() });
      row[index] = value;
    }
    // The key names the node; a body that names another node is not trusted with this node's rows.
    const bodyNode = row[3];
    if (bodyNode !== null && bodyNode !== key.nodeId) {
      errors.push({
        line,
        reason: `resourceId ${JSON.stringify(bodyNode)} does not match the node ${key.nodeId} named by the object key; skipped`,
        excerpt: excerpt(),
      });
      return;
    }
    row[3] = key.nodeId;
    rows.push(row);
  };

  const first = lines[0];
  if (first !== undefined && first.charCodeAt(0) === BOM) lines[0] = first.slice(1);

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw === undefined) continue; // not UTF-8, already reported
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    if (line.length > MAX_LINE_CHARS) {
      errors.push({
        line: i + 1,
        reason: `the line is ${line.length.toLocaleString('en-US')} characters, over the ${MAX_LINE_CHARS.toLocaleString('en-US')} a record may take; skipped`,
        excerpt: excerptOf(line),
      });
      records++;
      continue;
    }
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      // A whole file holding one pretty-printed object or an array is not JSON lines, but is still data.
      if (records === 0 && rows.length === 0) {
        const whole = parseWholeDocument(lines);
        if (whole) {
          errors.length = 0;
          for (const item of whole) addRecord(item, null, () => excerptOf(JSON.stringify(item)));
          return { rows, errors, records };
        }
      }
      errors.push({
        line: i + 1,
        reason: `not valid JSON (${(error as Error).message}); skipped`,
        excerpt: excerptOf(line),
      });
      records++;
      continue;
    }
    // A line holding an array of records is read as those records (some writers batch them).
    if (Array.isArray(record) && record.length > 0 && record.every(isRecord)) {
      for (const element of record) addRecord(element, i + 1, () => excerptOf(line));
    } else addRecord(record, i + 1, () => excerptOf(line));
  }
  return { rows, errors, records };
}

function parseWholeDocument(lines: (string | undefined)[]): unknown[] | undefined {
  if (lines.some((l) => l === undefined)) return undefined;
  try {
    const doc: unknown = JSON.parse(lines.join('\n'));
    if (Array.isArray(doc)) return doc as unknown[];
    if (isRecord(doc)) return [doc];
  } catch {
    // not a whole document either: the caller reports the line
  }
  return undefined;
}

function excerptOf(line: string): string {
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS)}…` : line;
}
