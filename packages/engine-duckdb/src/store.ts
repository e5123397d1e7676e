/**
 * The store: a Patchboard database as the rest of Patchboard sees it. Callers ingest a source, run reports,
 * compact to Parquet and close; the DuckDB instance and connection stay inside this package. (The dashboard's
 * reader, which never holds the file, is `DatabaseSnapshots` in snapshot.ts.)
 */
import type { QueryEngine, SourceReader } from '@patchboard/core';
import { type CompactedTable, compactToParquet } from './compact.js';
import { openDatabase } from './database.js';
import { ingest, type IngestOptions, type IngestSummary } from './ingest.js';
import { DuckDbQueryEngine } from './query-engine.js';

export interface StoreOptions {
  /** Reports only: shares the file with other readers, and cannot ingest. */
  readonly readOnly?: boolean;
  /** How long a writer waits for readers to let go of the file; default 30 s. */
  readonly lockWaitMs?: number;
  /** DuckDB's memory limit in MiB; default a quarter of the machine, at most 2048 (`storeMemoryLimitMiB`). */
  readonly memoryLimitMiB?: number;
}

export interface Store {
  readonly path: string;
  /** Runs compiled reports; closing it closes the store. */
  readonly engine: QueryEngine;
  /** One observation of `source` made the current state, in one transaction (see ingest.ts). */
  ingest(source: SourceReader, options?: IngestOptions): Promise<IngestSummary>;
  /** The inventory tables and their history as Parquet under `dir` (see compact.ts). */
  compact(dir: string): Promise<CompactedTable[]>;
  close(): Promise<void>;
}

export async function openStore(path: string, options: StoreOptions = {}): Promise<Store> {
  const db = await openDatabase(path, options);
  const engine = new DuckDbQueryEngine(db);
  return {
    path,
    engine,
    ingest: (source, ingestOptions) => ingest(db.connection, source, ingestOptions),
    compact: (dir) => compactToParquet(db.connection, dir),
    close: () => engine.close(),
  };
}
