/**
 * Ingest: one observation of a source (a bucket copy, S3, a collector) made the database's current state.
 *
 * - Only objects whose version changed since the last ingest are read; rows of objects that changed or vanished
 *   are replaced or removed. Re-ingesting the same source therefore adds nothing twice.
 * - The whole ingest is one transaction: killed half-way, the database is as it was before.
 * - Memory stays bounded: the listing and its comparison with what is stored live in DuckDB's temp tables
 *   (which spill past the memory limit); Node holds a page of the plan and the objects being read.
 * - A bad line or field never stops the run. It is recorded in `ingest_errors` with the object key, line number
 *   and reason, and everything else in the object is kept.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import {
  type BucketKey,
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
} from '@patchboard/core';
import { ChunkWriter } from './chunk-writer.js';
import { withConfigSnapshots } from './config-snapshots.js';
import { recordHistory, touchUnobserved } from './history.js';
import { refreshDerivedTables } from './derived.js';

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
  /** Where the time went, in milliseconds (`durationMs` is their sum): what a slow ingest is profiled by. */
  readonly phasesMs: IngestPhases;
}

/**
 * The phases of an ingest: `list` (listing the source and comparing it with what is stored), `read` (reading,
 * parsing and appending the changed objects, and forgetting the rows they replace), `history` (bringing history
 * up to the new rows), `derived` (refreshing node facts, non-compliant items and item runs) and `commit` (DuckDB writing it all).
 */
export type IngestPhases = Readonly<Record<'list' | 'read' | 'history' | 'derived' | 'commit', number>>;

interface PlannedObject {
  readonly object: SourceObject;
  readonly key: BucketKey;
  readonly type: InventoryTypeSpec;
}

const DEFAULT_MAX_OBJECT_BYTES = 512 * 1024 * 1024;
/** How far past the ingest's own clock a record's time may be (clocks of member accounts' machines drift). */
const CLOCK_SKEW_MS = 86_400_000;

type ReadResult = { planned: PlannedObject; bytes?: Uint8Array; error?: Error };

/**
 * Reads up to `concurrency` objects at once and yields each as soon as it arrives, not in the order started:
 * one slow read (an S3 request being retried) must not hold back the ones behind it. At most `concurrency`
 * objects are in flight or waiting to be parsed, so memory stays bounded. Objects come a page at a time from
 * `nextPage` (empty when there are no more); it is awaited only here, between two results handed out, so it
 * never runs while the caller writes, and reads in flight carry on across pages.
 */
async function* readPool(
  source: SourceReader,
  nextPage: () => Promise<PlannedObject[]>,
  concurrency: number,
): AsyncGenerator<ReadResult> {
  const arrived: ReadResult[] = [];
  let wake: (() => void) | undefined;
  let page: PlannedObject[] = [];
  let next = 0;
  let more = true;
  let running = 0;
  const start = (planned: PlannedObject) => {
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
  for (;;) {
    while (running < concurrency && more) {
      if (next === page.length) {
        page = await nextPage();
        next = 0;
        more = page.length > 0;
      } else start(page[next++]!);
    }
    if (running === 0 && arrived.length === 0) return;
    if (arrived.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    yield arrived.shift()!;
  }
}

/** Objects fetched from the plan at once: the plan of a large fleet stays in DuckDB, not in Node. */
const PAGE_ROWS = 2048;

/**
 * The rows of `select` (which must have an increasing column `n`) a page at a time, in `n` order. Each page is
 * its own query, so the connection is free for writes between pages.
 */
function pager(
  connection: DuckDBConnection,
  select: string,
  parameters: DuckDBValue[] = [],
): () => Promise<Record<string, unknown>[]> {
  let after = 0;
  return async () => {
    const reader = await connection.runAndReadAll(
      `SELECT * FROM (${select}) WHERE n > ? ORDER BY n LIMIT ${PAGE_ROWS}`,
      [...parameters, after],
    );
    const rows = reader.getRowObjectsJS();
    after = Number(rows.at(-1)?.n ?? after);
    return rows;
  };
}

async function nextIngestId(connection: DuckDBConnection): Promise<number> {
  const reader = await connection.runAndReadAll(`SELECT coalesce(max(ingest_id), 0) + 1 FROM ingests`);
  return Number(reader.getRowsJS()[0]?.[0] ?? 1);
}

const IDENTITY = 'type_name, accountid, region, resourcetype, resourceid';
const prefixed = (alias: string) => IDENTITY.replaceAll(/(\w+)/g, `${alias}.$1`);

/**
 * Lists the source into the temp table `ingest_listing`, one row per inventory object in listing order; Node
 * holds one object at a time, however large the bucket.
 */
async function listSource(
  connection: DuckDBConnection,
  source: SourceReader,
  progress: (progress: IngestProgress) => void,
): Promise<{ listed: number; skipped: number }> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE ingest_listing (n INTEGER, object_key VARCHAR,
    version VARCHAR, size BIGINT, ${IDENTITY.replaceAll(',', ' VARCHAR,')} VARCHAR)`);
  const listing = await ChunkWriter.open(connection, 'ingest_listing');
  let listed = 0;
  let skipped = 0;
  for await (const object of source.list()) {
    listed++;
    if (listed % 10_000 === 0) progress({ phase: 'listing', done: listed, total: 0 });
    const key = parseBucketKey(object.key);
    if (!key || !inventoryType(key.typeName)) {
      skipped++;
      continue;
    }
    listing.add([
      listed,
      object.key,
      object.version,
      object.size,
      key.typeName,
      key.accountId,
      key.region,
      key.resourceType,
      key.nodeId,
    ]);
  }
  listing.close();
  return { listed, skipped };
}

interface Plan {
  /** Inventory objects listed, each node's type counted once. */
  readonly objects: number;
  /** Further objects holding a node's type that an earlier-listed object already holds. */
  readonly duplicates: number;
  readonly changed: number;
  /** Of the changed, those small enough to read. */
  readonly readable: number;
  readonly removed: number;
}

/**
 * Compares the listing with what is stored, in SQL (hash joins and one aggregate: an unchanged bucket of
 * 88,000 objects is compared in well under a second). Leaves the temp tables `ingest_duplicates` (objects
 * holding a node's type that an earlier-listed `original` holds), `ingest_changed` (new or changed objects;
 * `stored` when rows of an older version are held) and `ingest_removed` (stored objects no longer listed, or
 * listed only as a duplicate).
 */
async function planChanges(connection: DuckDBConnection, maxObjectBytes: number): Promise<Plan> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE ingest_duplicates AS
    SELECT l.n, l.object_key, l.type_name, f.object_key AS original
    FROM (SELECT ${IDENTITY}, min(n) AS first FROM ingest_listing GROUP BY ALL HAVING count(*) > 1) d
    JOIN ingest_listing l USING (${IDENTITY}) JOIN ingest_listing f ON f.n = d.first
    WHERE l.n <> d.first`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE ingest_changed AS
    SELECT l.n, l.object_key, l.version, l.size, ${prefixed('l')}, s.object_key IS NOT NULL AS stored
    FROM ingest_listing l LEFT JOIN source_objects s ON s.object_key = l.object_key
    ANTI JOIN ingest_duplicates d ON d.n = l.n
    WHERE s.version IS DISTINCT FROM l.version`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE ingest_removed AS
    SELECT s.object_key, ${prefixed('s')} FROM source_objects s
    ANTI JOIN (SELECT l.object_key FROM ingest_listing l ANTI JOIN ingest_duplicates d ON d.n = l.n) k
      ON k.object_key = s.object_key`);
  const reader = await connection.runAndReadAll(
    `SELECT (SELECT count(*) FROM ingest_listing), (SELECT count(*) FROM ingest_duplicates),
       (SELECT count(*) FROM ingest_changed), (SELECT count(*) FILTER (WHERE size <= ?) FROM ingest_changed),
       (SELECT count(*) FROM ingest_removed)`,
    [maxObjectBytes],
  );
  const [listed = 0, duplicates = 0, changed = 0, readable = 0, removed = 0] = (
    reader.getRowsJS()[0] ?? []
  ).map(Number);
  return { objects: listed - duplicates, duplicates, changed, readable, removed };
}

async function dropPlan(connection: DuckDBConnection): Promise<void> {
  const tables = ['listing', 'duplicates', 'changed', 'removed'].map((name) => `ingest_${name}`);
  for (const table of [...tables, 'touched_objects'])
    await connection.run(`DROP TABLE IF EXISTS temp.${table}`);
}

export async function ingest(
  connection: DuckDBConnection,
  bucket: SourceReader,
  options: IngestOptions = {},
): Promise<IngestSummary> {
  try {
    return await ingestPlanned(connection, bucket, options);
  } finally {
    await dropPlan(connection).catch(() => undefined);
  }
}

async function ingestPlanned(
  connection: DuckDBConnection,
  bucket: SourceReader,
  options: IngestOptions,
): Promise<IngestSummary> {
  const started = Date.now();
  const source = withConfigSnapshots(bucket);
  const maxObjectBytes = options.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES;
  const progress = options.onProgress ?? (() => undefined);

  // 1. List and compare. This happens before the transaction: listing may be slow (S3) and writes nothing stored.
  const { listed, skipped } = await listSource(connection, source, progress);
  const plan = await planChanges(connection, maxObjectBytes);
  const ingestId = await nextIngestId(connection);
  // Each phase's time: from the previous mark to now.
  let mark = started;
  const lap = () => {
    const now = Date.now();
    const ms = now - mark;
    mark = now;
    return ms;
  };
  const listMs = lap();

  await connection.run('BEGIN TRANSACTION');
  try {
    // 2. Forget what changed or vanished: its rows, its errors and its bookkeeping.
    if (plan.changed + plan.removed > 0) await forgetObjects(connection);
    // Problems of objects that hold no rows (unreadable, too large, duplicated, a bad Config snapshot) are found
    // again by every ingest that still meets them: forget the old reports so each is listed once.
    await connection.run(
      `DELETE FROM ingest_errors WHERE object_key IS NULL
         OR object_key NOT IN (SELECT object_key FROM source_objects)`,
    );

    // 3. Read, parse and append what changed.
    const tables = new Map<string, ChunkWriter>();
    for (const type of INVENTORY_TYPES)
      tables.set(type.typeName, await ChunkWriter.open(connection, type.table));
    const objectsTable = await ChunkWriter.open(connection, 'source_objects');
    const errorsTable = await ChunkWriter.open(connection, 'ingest_errors');
    let errors = 0;
    const recordError = (objectKey: string | null, error: LineError) => {
      errors++;
      errorsTable.add([
        ingestId,
        source.location,
        objectKey,
        error.line,
        error.reason,
        error.excerpt,
        started,
      ]);
    };
    for (const { key, error } of source.listingProblems?.() ?? []) recordError(key, error);
    if (plan.duplicates > 0) {
      const duplicates = pager(
        connection,
        `SELECT n, object_key, original, type_name FROM ingest_duplicates`,
      );
      for (let page = await duplicates(); page.length > 0; page = await duplicates()) {
        for (const { object_key, original, type_name } of page) {
          recordError(String(object_key), {
            line: null,
            reason: `another object, ${String(original)}, already holds this node's ${String(type_name)} inventory (two sync prefixes?); this one was not read`,
            excerpt: '',
          });
        }
      }
    }

    let records = 0;
    let rowsStored = 0;
    let done = 0;
    progress({ phase: 'reading', done: 0, total: plan.readable });
    const tooLarge = pager(connection, `SELECT n, object_key, size FROM ingest_changed WHERE size > ?`, [
      maxObjectBytes,
    ]);
    for (let page = await tooLarge(); page.length > 0; page = await tooLarge()) {
      for (const { object_key, size } of page) {
        recordError(String(object_key), {
          line: null,
          reason: `object is ${String(size)} bytes, over the ${maxObjectBytes}-byte limit; not read`,
          excerpt: '',
        });
      }
    }
    const readablePage = pager(
      connection,
      `SELECT n, object_key, version, size FROM ingest_changed WHERE size <= ?`,
      [maxObjectBytes],
    );
    const nextPage = async (): Promise<PlannedObject[]> =>
      (await readablePage()).map((row) => {
        // Listed keys were parsed once already; parsing again is cheaper than carrying them through SQL.
        const key = parseBucketKey(String(row.object_key))!;
        return {
          object: { key: String(row.object_key), version: String(row.version), size: Number(row.size) },
          key,
          type: inventoryType(key.typeName)!,
        };
      });
    for await (const { planned: p, bytes, error } of readPool(
      source,
      nextPage,
      options.readConcurrency ?? 32,
    )) {
      done++;
      if (done % 500 === 0 || done === plan.readable)
        progress({ phase: 'reading', done, total: plan.readable });
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
      const table = tables.get(p.type.typeName)!;
      for (const row of parsed.rows) table.add(row);
      for (const lineError of parsed.errors) recordError(p.object.key, lineError);
      records += parsed.records;
      rowsStored += parsed.rows.length;
      objectsTable.add([
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
    for (const table of tables.values()) table.close();
    objectsTable.close();
    errorsTable.close();

    const readMs = lap();

    // 4. History: every object whose rows changed, vanished, or that history has not seen yet.
    await touchedObjects(connection);
    const history = await recordHistory(connection);
    const historyMs = lap();

    // 5. Derived data (node facts, non-compliant items, item runs) of the nodes whose objects were touched, in
    //    this transaction so no reader sees them out of step with the tables.
    await refreshDerivedTables(connection, options.tagKeys);
    const derivedMs = lap();

    const summary: Omit<IngestSummary, 'durationMs' | 'phasesMs'> = {
      ingestId,
      source: source.location,
      objectsListed: listed,
      objectsRead: plan.readable,
      objectsUnchanged: plan.objects - plan.changed,
      objectsRemoved: plan.removed,
      objectsSkipped: skipped + plan.duplicates,
      records,
      rowsStored,
      errors,
      historyOpened: history.opened,
      historyClosed: history.closed,
      dataTime: history.observedAt,
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
    await connection.run('COMMIT');
    const phasesMs = { list: listMs, read: readMs, history: historyMs, derived: derivedMs, commit: lap() };
    return { ...summary, durationMs: mark - started, phasesMs };
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

/**
 * Deletes the rows, errors and bookkeeping of the stale objects (changed ones that were stored, and vanished
 * ones), set-wise per table.
 */
async function forgetObjects(connection: DuckDBConnection): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE forget_keys AS
    SELECT object_key FROM ingest_changed WHERE stored UNION ALL SELECT object_key FROM ingest_removed`);
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

/**
 * The temp table `touched_objects`: every object this ingest read (`present`), removed (not `present`), or that
 * the current tables hold but history has never observed (a database from before history). History fills in
 * `observed_at`.
 */
async function touchedObjects(connection: DuckDBConnection): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE touched_objects AS
    SELECT ${IDENTITY}, true AS present, NULL::TIMESTAMPTZ AS observed_at FROM ingest_changed
    UNION ALL SELECT ${IDENTITY}, false, NULL FROM ingest_removed`);
  await touchUnobserved(connection);
}
