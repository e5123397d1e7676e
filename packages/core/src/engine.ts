/**
 * What every query engine (embedded DuckDB, Amazon Athena) offers the rest of Patchboard: it runs compiled
 * queries and hands back one row shape. Engines normalise at their boundary: timestamps become ISO-8601 strings
 * in UTC (`2026-10-31T23:59:59Z`), counts become numbers.
 */
import type { Dialect } from './dialect.js';
import { HISTORY_TABLES } from './history-tables.js';
import type { CompiledQuery } from './sql.js';

export type ColumnType =
  'string' | 'integer' | 'number' | 'boolean' | 'timestamp' | 'date' | 'list' | 'other';

export interface ResultColumn {
  readonly name: string;
  readonly type: ColumnType;
}

export type ResultValue = string | number | boolean | null | ResultValue[];
export type ResultRow = Record<string, ResultValue>;

export interface QueryResult {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly ResultRow[];
}

export interface RunOptions {
  /**
   * Evaluate against the fleet as history knew it at this instant (epoch milliseconds): the inventory tables
   * show the rows that held then. History tables (`*_history`) stay visible as they are.
   */
  readonly asOf?: number;
}

export interface QueryEngine {
  readonly dialect: Dialect;
  /**
   * How far `asOf` can look back. Default `kept`: the engine holds history (DuckDB's store, Athena over
   * `compact`'s Parquet). `current-only`: it reads the current objects alone (Athena over the sync bucket, whose
   * history views start at each object's newest capture time), so an instant before the newest capture would lose
   * nodes; callers then evaluate at now (the audit pack says so).
   */
  readonly history?: 'kept' | 'current-only';
  run(query: CompiledQuery, options?: RunOptions): Promise<QueryResult>;
  close(): Promise<void>;
}

/** The `cve-evidence` parameters, as its schema parsed them. */
export interface EvidenceLookupParams {
  readonly cve?: string;
  readonly patch?: string;
  readonly from?: string;
  readonly to?: string;
  readonly team?: string;
}

/**
 * Lookup tables an engine can build once on a private snapshot (DuckDB's copy the dashboard reads): a node's
 * patch history and the evidence for a patch or CVE then read a few rows instead of every history row. They
 * answer for evaluation times at or after the snapshot's data time; otherwise (or until built) the methods
 * give undefined and the exact queries answer. The tables are the engine's own; callers never send DDL.
 */
export interface SnapshotLookups {
  /**
   * Builds the tables; later calls share the first build. Rejects when building failed, which costs speed,
   * not answers (the methods then keep giving undefined).
   */
  prepare(): Promise<void>;
  /** The node page's history section (core `nodeDetailQueries(…).history`) at evaluation time `now`. */
  nodeHistory(nodeId: string, now: number): CompiledQuery | undefined;
  /** The `cve-evidence` report at evaluation time `now`; undefined also for a from/to window. */
  evidence(params: EvidenceLookupParams, now: number): CompiledQuery | undefined;
}

/**
 * What a report may read beyond the inventory tables (`aws_*`, `custom_*`), which every engine has. A report
 * declares the ones it reads (`requires`); an engine lists the ones it has (`ENGINES`).
 */
export const CAPABILITIES = {
  /** The inventory tables' change history: when an item was first seen, installed, fixed. */
  history: { title: 'history', tables: HISTORY_TABLES.map((t) => t.name) },
  /** Patchboard's own record of each `patchboard ingest`: its runs and the lines it could not read. */
  'ingest-log': { title: 'the ingest log', tables: ['ingests', 'ingest_errors'] },
} as const satisfies Record<string, { title: string; tables: readonly string[] }>;
export type Capability = keyof typeof CAPABILITIES;

export interface EngineSpec {
  /** The name people read in messages. */
  readonly title: string;
  /** One line for `--help`. */
  readonly summary: string;
  readonly provides: readonly Capability[];
}

/**
 * The engines reports run on, named once: `--engine`'s choices, the configuration's `engine`, and what each
 * can answer. Adding an engine is an entry here, its package, and its opener in the command line's context.
 */
export const ENGINES = {
  duckdb: {
    title: 'DuckDB',
    summary: 'the DuckDB database built by `patchboard ingest`',
    provides: ['history', 'ingest-log'],
  },
  athena: {
    title: 'Athena',
    // Over the bucket's JSON the history views hold one observation per object; over `compact`'s Parquet,
    // the DuckDB store's own history (engine-athena schema.ts).
    summary: 'Amazon Athena over the sync bucket, or over the Parquet of `patchboard compact`',
    provides: ['history'],
  },
} as const satisfies Record<string, EngineSpec>;
export type EngineName = keyof typeof ENGINES;
export const ENGINE_NAMES = Object.keys(ENGINES) as [EngineName, ...EngineName[]];
export const DEFAULT_ENGINE: EngineName = 'duckdb';
