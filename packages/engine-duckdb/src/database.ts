/**
 * Opening a Patchboard database: one DuckDB file (or memory), in UTC, with no extension downloads, the
 * schema in place and the Trino compatibility macros installed.
 */
import { totalmem } from 'node:os';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { PatchboardError } from '@patchboard/core';
import { loadDerivedTables } from './derived.js';
import { SCHEMA_VERSION, schemaStatements } from './schema.js';
import { TRINO_MACROS } from './trino-compat.js';

export interface OpenedDatabase {
  readonly instance: DuckDBInstance;
  readonly connection: DuckDBConnection;
  readonly path: string;
}

/** How long a writer waits for readers (a dashboard taking its snapshot copy) to let go of the file. */
const DEFAULT_LOCK_WAIT_MS = 30_000;
const LOCK_RETRY_MS = 200;
const MIB = 1024 * 1024;

/**
 * DuckDB's memory for buffers and queries, in MiB: a quarter of the machine, at least 256 and at most 2048.
 * DuckDB's own default is 80% of the machine, so an ingest of 100,000 nodes grew to 6.5 GB; bounded, its large
 * joins (history of 2.4 million compliance items) spill to the temporary folder instead, and the process with
 * Node's part stays under 4 GB.
 */
export function storeMemoryLimitMiB(machineBytes = totalmem()): number {
  return Math.max(256, Math.min(2048, Math.floor(machineBytes / 4 / MIB)));
}

/** Where DuckDB spills what does not fit: a folder beside the database file (DuckDB creates it on demand). */
export function spillFolder(path: string): string | undefined {
  return path === ':memory:' || path === '' ? undefined : `${path}.tmp`;
}

const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`;

export function isLockConflict(error: unknown): boolean {
  return /Could not set lock|Conflicting lock/i.test((error as Error).message);
}

export async function openDatabase(
  path: string,
  options: {
    readOnly?: boolean;
    lockWaitMs?: number;
    /** A reader that only holds the lock for a moment (to copy the file) need not read the schema. */
    skipSchemaCheck?: boolean;
    /** DuckDB's memory limit in MiB; default `storeMemoryLimitMiB()`. */
    memoryLimitMiB?: number;
  } = {},
): Promise<OpenedDatabase> {
  const waitUntil = Date.now() + (options.readOnly ? 0 : (options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS));
  let instance: DuckDBInstance | undefined;
  while (!instance) {
    try {
      instance = await DuckDBInstance.create(path, {
        // Nothing is fetched from the network: the extensions Patchboard needs are built in.
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        ...(options.readOnly ? { access_mode: 'READ_ONLY' } : {}),
      });
    } catch (error) {
      // A reader holds the file only for moments (the dashboard copies it), so a writer waits a little.
      if (isLockConflict(error) && Date.now() < waitUntil) {
        await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
        continue;
      }
      throw new PatchboardError(
        'IO',
        `Cannot open the database ${path}: ${(error as Error).message}. Check the path, or whether another Patchboard process is writing to it.`,
        { cause: error },
      );
    }
  }
  const connection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  // Settings of the instance, so every connection (each query gets one) is bounded the same.
  await connection.run(
    `SET memory_limit = '${Math.floor(options.memoryLimitMiB ?? storeMemoryLimitMiB())}MiB'`,
  );
  const spill = spillFolder(path);
  if (spill !== undefined) await connection.run(`SET temp_directory = ${sqlText(spill)}`);
  if (options.readOnly) {
    if (!options.skipSchemaCheck) await refuseOlderSchema(connection, path);
  } else {
    for (const statement of [...schemaStatements(), ...TRINO_MACROS]) await connection.run(statement);
    // Every schema change so far only adds tables, columns and views, so upgrading is re-running the DDL.
    await connection.run(`DELETE FROM patchboard_meta WHERE key = 'schema_version'`);
    await connection.run(`INSERT INTO patchboard_meta VALUES ('schema_version', ?)`, [
      String(SCHEMA_VERSION),
    ]);
  }
  await loadDerivedTables(connection);
  return { instance, connection, path };
}

/**
 * A reader cannot upgrade the schema, and a report reading a table an older Patchboard never made would fail
 * with DuckDB's catalog error; say what to do instead.
 */
async function refuseOlderSchema(connection: DuckDBConnection, path: string): Promise<void> {
  let found: number | undefined;
  try {
    const reader = await connection.runAndReadAll(
      `SELECT value FROM patchboard_meta WHERE key = 'schema_version'`,
    );
    found = Number(reader.getRowsJS()[0]?.[0] ?? 0);
  } catch {
    return; // Not a Patchboard database (or an empty one): the query that follows says what is missing.
  }
  if (found < SCHEMA_VERSION) {
    connection.closeSync();
    throw new PatchboardError(
      'USAGE',
      `The database ${path} was written by an older Patchboard (schema ${found}; this version reads ${SCHEMA_VERSION}). Run \`patchboard ingest <source> --db ${path}\` once: it upgrades the database, then every command reads it.`,
    );
  }
}

export function closeDatabase(db: OpenedDatabase): void {
  db.connection.closeSync();
  db.instance.closeSync();
}
