/**
 * Ingest: one observation of a source (a bucket copy, S3, a collector) made the database's current state.
 *
 * - Only objects whose version changed since the last ingest are read; rows of objects that changed or vanished
 *   are replaced or removed. Re-ingesting the same source therefore adds nothing twice.
 * - The whole ingest is one transaction: killed half-way, the database is as it was before.
 * - A bad line or field never stops the run. It is recorded in `ingest_errors` with the object key, line number
 *   and reason, and everything else in the object is kept.
 */
import { type DuckDBAppender, type DuckDBConnection, DuckDBTimestampTZValue } from '@duckdb/node-api';
import {
  type BucketKey,
  type CellValue,
  type ColumnKind,
  INVENTORY_TYPES,
  type InventoryTypeSpec,
  inventoryType,
  type LineError,
  parseBucketKey,
  PatchboardError,
  parseInventoryObject,
  type Policy,
  type SourceObject,
  type SourceReader,
  tableColumns,
} from '@patchboard/core';
import { withConfigSnapshots } from './config-snapshots.js';
import { refreshDerivedTables } from './derived.js';
import { type ObjectIdentity, recordHistory, type TouchedObject, unobservedObjects } from './history.js';

export interface IngestProgress {
  readonly phase: 'listing' | 'reading';
  readonly done: number;
  readonly total: number;
}

export interface IngestOptions {
  onProgress?: (progress: IngestProgress) => void;
  /** Objects read at once; reading overlaps parsing. */
  readConcurrency?: number;
  /** Objects larger than this are reported and not read. */
  maxObjectBytes?: number;
  /** The policy's tag keys, which the derived node facts resolve team and environment with (default: the default policy's). */
  tagKeys?: Policy['tagKeys'];
}

export interface IngestSummary {
  readonly ingestId: number;
  readonly source: string;
  readonly objectsListed: number;
  readonly objectsRead: number;
  readonly objectsUnchanged: number;
  readonly objectsRemoved: number;
  /** Keys that are not inventory objects (the `test.json` probe, other files) or types Patchboard does not store. */
  readonly objectsSkipped: number;
  readonly records: number;
  readonly rowsStored: number;
  readonly errors: number;
  /** History intervals this ingest opened and closed. */
  readonly historyOpened: number;
  readonly historyClosed: number;
  /** The newest captureTime in the source: the data cut-off of this observation. */
  readonly dataTime: string | null;
  readonly durationMs: number;
}

interface PlannedObject {
  readonly object: SourceObject;
  readonly key: BucketKey;
  readonly type: InventoryTypeSpec;
}

const DEFAULT_MAX_OBJECT_BYTES = 512 * 1024 * 1024;
/** How far past the ingest's own clock a record's time may be (clocks of member accounts' machines drift). */
const CLOCK_SKEW_MS = 86_400_000;

/** Appends one parsed row, cell by cell, with the appender call that matches each column's kind. */
function appendRow(appender: DuckDBAppender, kinds: readonly ColumnKind[], row: readonly CellValue[]): void {
  for (let i = 0; i < kinds.length; i++) {
    const value = row[i];
    if (value === null || value === undefined) appender.appendNull();
    else if (kinds[i] === 'timestamp')
      appender.appendTimestampTZ(new DuckDBTimestampTZValue(BigInt(value) * 1000n));
    else if (kinds[i] === 'integer') appender.appendBigInt(BigInt(value));
    else appender.appendVarchar(String(value));
  }
  appender.endRow();
}

type ReadResult = { planned: PlannedObject; bytes?: Uint8Array; error?: Error };

/**
 * Reads up to `concurrency` objects at once and yields each as soon as it arrives, not in the order started:
 * one slow read (an S3 request being retried) must not hold back the ones behind it. At most `concurrency`
 * objects are in flight or waiting to be parsed, so memory stays bounded.
 */
async function* readPool(
  source: SourceReader,
  objects: readonly PlannedObject[],
  concurrency: number,
): AsyncGenerator<ReadResult> {
  const arrived: ReadResult[] = [];
  let wake: (() => void) | undefined;
  let next = 0;
  let running = 0;
  const start = () => {
    const planned = objects[next++]!;
    running++;
    void source
      .read(planned.object.key)
      .then(
        (bytes): ReadResult => ({ planned, bytes }),
        (error: unknown): ReadResult => ({
          planned,
          error: error instanceof Error ? error : new Error(String(error)),
        }),
      )
      .then((result) => {
        running--;
        arrived.push(result);
        wake?.();
        wake = undefined;
      });
  };
  while (next < objects.length && running < concurrency) start();
  while (running > 0 || arrived.length > 0) {
    if (arrived.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    const result = arrived.shift()!;
    if (next < objects.length) start();
    yield result;
  }
}

async function nextIngestId(connection: DuckDBConnection): Promise<number> {
  const reader = await connection.runAndReadAll(`SELECT coalesce(max(ingest_id), 0) + 1 FROM ingests`);
  return Number(reader.getRowsJS()[0]?.[0] ?? 1);
}

async function storedVersions(connection: DuckDBConnection): Promise<Map<string, string>> {
  const reader = await connection.runAndReadAll(`SELECT object_key, version FROM source_objects`);
  return new Map(reader.getRowsJS().map(([key, version]) => [key as string, version as string]));
}

const identityOf = (key: ObjectIdentity) =>
  `${key.typeName}\u0000${key.accountId}\u0000${key.region}\u0000${key.resourceType}\u0000${key.nodeId}`;

export async function ingest(
  connection: DuckDBConnection,
  bucket: SourceReader,
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const started = Date.now();
  const source = withConfigSnapshots(bucket);
  const maxObjectBytes = options.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES;
  const progress = options.onProgress ?? (() => undefined);

  // 1. List and classify. Listing happens before the transaction: it may be slow (S3), and reads nothing stored.
  const planned: PlannedObject[] = [];
  const seenKeys = new Set<string>();
  const duplicates: { object: SourceObject; original: string }[] = [];
  const firstKeyByIdentity = new Map<string, string>();
  let listed = 0;
  let skipped = 0;
  for await (const object of source.list()) {
    listed++;
    if (listed % 10_000 === 0) progress({ phase: 'listing', done: listed, total: 0 });
    const key = parseBucketKey(object.key);
    const type = key && inventoryType(key.typeName);
    if (!key || !type) {
      skipped++;
      continue;
    }
    const identity = identityOf(key);
    const original = firstKeyByIdentity.get(identity);
    if (original !== undefined) {
      duplicates.push({ object, original });
      continue;
    }
    firstKeyByIdentity.set(identity, object.key);
    seenKeys.add(object.key);
    planned.push({ object, key, type });
  }

  const ingestId = await nextIngestId(connection);
  const previous = await storedVersions(connection);
  const changed = planned.filter((p) => previous.get(p.object.key) !== p.object.version);
  const removedKeys = [...previous.keys()].filter((key) => !seenKeys.has(key));

  await connection.run('BEGIN TRANSACTION');
  try {
    // 2. Forget what changed or vanished: its rows, its errors and its bookkeeping.
    const staleKeys = [...changed.map((p) => p.object.key), ...removedKeys].filter((key) =>
      previous.has(key),
    );
    if (staleKeys.length > 0) await forgetObjects(connection, staleKeys);
    // Problems of objects that hold no rows (unreadable, too large, duplicated, a bad Config snapshot) are found
    // again by every ingest that still meets them: forget the old reports so each is listed once.
    await connection.run(
      `DELETE FROM ingest_errors WHERE object_key IS NULL
         OR object_key NOT IN (SELECT object_key FROM source_objects)`,
    );

    // 3. Read, parse and append what changed.
    const appenders = new Map<string, { appender: DuckDBAppender; kinds: ColumnKind[] }>();
    for (const type of INVENTORY_TYPES) {
      appenders.set(type.typeName, {
        appender: await connection.createAppender(type.table),
        kinds: tableColumns(type).map((c) => c.kind),
      });
    }
    const objectsAppender = await connection.createAppender('source_objects');
    const errorsAppender = await connection.createAppender('ingest_errors');
    const ingestedAt = new DuckDBTimestampTZValue(BigInt(started) * 1000n);
    let errors = 0;
    const recordError = (objectKey: string | null, error: LineError) => {
      errors++;
      errorsAppender.appendInteger(ingestId);
      errorsAppender.appendVarchar(source.location);
      if (objectKey === null) errorsAppender.appendNull();
      else errorsAppender.appendVarchar(objectKey);
      if (error.line === null) errorsAppender.appendNull();
      else errorsAppender.appendInteger(error.line);
      errorsAppender.appendVarchar(error.reason);
      errorsAppender.appendVarchar(error.excerpt);
      errorsAppender.appendTimestampTZ(ingestedAt);
      errorsAppender.endRow();
    };
    for (const { key, error } of source.listingProblems?.() ?? []) recordError(key, error);
    for (const { object, original } of duplicates) {
      recordError(object.key, {
        line: null,
        reason: `another object, ${original}, already holds this node's ${parseBucketKey(object.key)?.typeName ?? ''} inventory (two sync prefixes?); this one was not read`,
        excerpt: '',
      });
    }

    let records = 0;
    let rowsStored = 0;
    let done = 0;
    progress({ phase: 'reading', done: 0, total: changed.length });
    const readable = changed.filter((p) => {
      if (p.object.size <= maxObjectBytes) return true;
      recordError(p.object.key, {
        line: null,
        reason: `object is ${p.object.size} bytes, over the ${maxObjectBytes}-byte limit; not read`,
        excerpt: '',
      });
      return false;
    });
    for await (const { planned: p, bytes, error } of readPool(
      source,
      readable,
      options.readConcurrency ?? 32,
    )) {
      done++;
      if (done % 500 === 0 || done === readable.length)
        progress({ phase: 'reading', done, total: readable.length });
      if (!bytes) {
        // A source that cannot go on (access revoked, a store that keeps failing) says so with a PatchboardError:
        // the whole ingest stops and rolls back rather than store a fleet with holes in it.
        if (error instanceof PatchboardError) throw error;
        // Not recorded in source_objects, so the next ingest tries it again.
        recordError(p.object.key, {
          line: null,
          reason: `could not read the object: ${error?.message ?? 'unknown error'}`,
          excerpt: '',
        });
        continue;
      }
      const parsed = parseInventoryObject(bytes, p.key, p.type, { notAfter: started + CLOCK_SKEW_MS });
      const target = appenders.get(p.type.typeName)!;
      for (const row of parsed.rows) appendRow(target.appender, target.kinds, row);
      for (const lineError of parsed.errors) recordError(p.object.key, lineError);
      records += parsed.records;
      rowsStored += parsed.rows.length;
      appendRow(objectsAppender, OBJECT_KINDS, [
        p.object.key,
        p.object.version,
        p.key.typeName,
        p.key.accountId,
        p.key.region,
        p.key.resourceType,
        p.key.nodeId,
        parsed.records,
        parsed.errors.length,
        ingestId,
      ]);
    }
    for (const { appender } of appenders.values()) appender.closeSync();
    objectsAppender.closeSync();
    errorsAppender.closeSync();

    // 4. History: every object whose rows changed, vanished, or that history has not seen yet.
    const touched: TouchedObject[] = [
      ...changed.map((p) => ({ key: p.key, present: true })),
      ...removedKeys.flatMap((key) => {
        const parsed = parseBucketKey(key);
        return parsed ? [{ key: parsed, present: false }] : [];
      }),
    ];
    const touchedIdentities = new Set(touched.map((t) => identityOf(t.key)));
    for (const key of await unobservedObjects(connection)) {
      if (!touchedIdentities.has(identityOf(key))) touched.push({ key, present: true });
    }
    const history = await recordHistory(connection, touched);

    const summary: IngestSummary = {
      ingestId,
      source: source.location,
      objectsListed: listed,
      objectsRead: readable.length,
      objectsUnchanged: planned.length - changed.length,
      objectsRemoved: removedKeys.length,
      objectsSkipped: skipped + duplicates.length,
      records,
      rowsStored,
      errors,
      historyOpened: history.opened,
      historyClosed: history.closed,
      dataTime: history.observedAt,
      durationMs: Date.now() - started,
    };
    await connection.run(
      `INSERT INTO ingests (ingest_id, source, started_at, finished_at, objects_listed, objects_read,
         objects_unchanged, objects_removed, objects_skipped, records, rows_stored, errors, data_time,
         history_opened, history_closed)
       VALUES (?, ?, CAST(? AS TIMESTAMPTZ), now(), ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMPTZ), ?, ?)`,
      [
        ingestId,
        source.location,
        new Date(started).toISOString(),
        listed,
        summary.objectsRead,
        summary.objectsUnchanged,
        summary.objectsRemoved,
        summary.objectsSkipped,
        records,
        rowsStored,
        errors,
        history.observedAt,
        history.opened,
        history.closed,
      ],
    );
    await refreshDerivedTables(
      connection,
      touched.map((t) => t.key),
      options.tagKeys,
    );
    await connection.run('COMMIT');
    return summary;
  } catch (error) {
    // After a failed write DuckDB may refuse even the rollback; the first error is the one that says why.
    await connection.run('ROLLBACK').catch(() => undefined);
    if (isWriteFailure(error)) {
      throw new PatchboardError(
        'IO',
        `The database could not be written (${firstLine(error)}): the disk is full or a file size limit was reached. Nothing of this ingest was kept; free space and run it again.`,
        { cause: error },
      );
    }
    throw error;
  }
}

function isWriteFailure(error: unknown): boolean {
  return /No space left on device|File too large|Could not write file|Disk quota exceeded/i.test(
    String((error as Error)?.message ?? error),
  );
}

/** The operating system's words from DuckDB's message, without its advice to restart. */
function firstLine(error: unknown): string {
  const message = String((error as Error)?.message ?? error);
  return (
    /(No space left on device|File too large|Disk quota exceeded)/i.exec(message)?.[1] ??
    message.split('\n')[0]!
  );
}

const OBJECT_KINDS: ColumnKind[] = [
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'integer',
  'integer',
  'integer',
];

/** Deletes the rows, errors and bookkeeping of the given object keys, set-wise per table. */
async function forgetObjects(connection: DuckDBConnection, keys: readonly string[]): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE forget_keys (object_key VARCHAR)`);
  const appender = await connection.createAppender('forget_keys');
  for (const key of keys) {
    appender.appendVarchar(key);
    appender.endRow();
  }
  appender.closeSync();
  for (const type of INVENTORY_TYPES) {
    await connection.run(
      `DELETE FROM ${type.table} t USING (
         SELECT o.accountid, o.region, o.resourcetype, o.resourceid FROM source_objects o
         JOIN forget_keys f ON f.object_key = o.object_key WHERE o.type_name = ?) s
       WHERE t.accountid = s.accountid AND t.region = s.region AND t.resourcetype = s.resourcetype
         AND t.resourceid = s.resourceid`,
      [type.typeName],
    );
  }
  await connection.run(`DELETE FROM ingest_errors WHERE object_key IN (SELECT object_key FROM forget_keys)`);
  await connection.run(`DELETE FROM source_objects WHERE object_key IN (SELECT object_key FROM forget_keys)`);
  await connection.run(`DROP TABLE forget_keys`);
}
