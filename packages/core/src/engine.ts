/**
 * What every query engine (embedded DuckDB, Amazon Athena) offers the rest of Patchboard: it runs compiled
 * queries and hands back one row shape. Engines normalise at their boundary: timestamps become ISO-8601 strings
 * in UTC (`2026-10-31T23:59:59Z`), counts become numbers.
 */
import type { Dialect } from './dialect.js';
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
