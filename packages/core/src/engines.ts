/**
 * The engines reports run on and what each can read, named once. Apart from engine.ts (the interface every
 * engine implements) so that the configuration schema can name the engines without importing the interface.
 */
import { HISTORY_TABLES } from './history-tables.js';

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
