/**
 * Global options, configuration and the database, resolved once per command: the composition root.
 */
import { access, readFile } from 'node:fs/promises';
import {
  type Config,
  formatInstant,
  parseConfig,
  parseIsoInstant,
  PatchboardError,
  type QueryEngine,
  type ReportContext,
} from '@patchboard/core';
import type { OutputFormat } from './output.js';

export type EngineName = 'duckdb' | 'athena';

export interface GlobalOptions {
  readonly db?: string;
  readonly engine?: EngineName;
  readonly workgroup?: string;
  readonly database?: string;
  readonly outputLocation?: string;
  readonly config?: string;
  readonly now?: string;
  readonly asOf?: string;
  readonly format?: OutputFormat;
  readonly out?: string;
}

/** Where and how `--engine athena` runs queries: flags over the configuration file's `athena` section. */
export interface AthenaSettings {
  readonly workgroup: string;
  readonly database: string;
  readonly outputLocation: string | undefined;
  readonly region: string | undefined;
  readonly catalog: string | undefined;
}

export interface CommandContext {
  readonly config: Config;
  readonly databasePath: string;
  /** `--engine`: the embedded DuckDB database (default) or Amazon Athena over the sync bucket. */
  readonly engine: EngineName;
  readonly athena: AthenaSettings;
  /** Evaluation time in epoch milliseconds: `--as-of`, `--now` or the wall clock. */
  readonly now: number;
  /** `--as-of`: reports read history as it was at `now` instead of the current tables. */
  readonly asOf: number | undefined;
  readonly format: OutputFormat;
  readonly out: string | undefined;
  /** Whether standard output is a person's terminal (tables get colour, long jobs a progress bar). */
  readonly interactive: boolean;
}

export const DEFAULT_DATABASE = 'patchboard.duckdb';

async function loadConfig(path: string | undefined): Promise<Config> {
  if (!path) return parseConfig({}, 'the default configuration');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PatchboardError(
      'CONFIG',
      `Cannot read the configuration file ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}). Check the --config path.`,
      { cause: error },
    );
  }
  // Loaded only when there is a file to read: the parser costs more start-up time than the rest of the CLI.
  const { parse: parseYaml } = await import('yaml');
  let document: unknown;
  try {
    // YAML is a superset of JSON: one parser reads both.
    document = parseYaml(text);
  } catch (error) {
    throw new PatchboardError('CONFIG', `${path} is neither YAML nor JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseConfig(document, path);
}

export async function resolveContext(options: GlobalOptions): Promise<CommandContext> {
  const config = await loadConfig(options.config ?? process.env.PATCHBOARD_CONFIG);
  const instant = (flag: string, value: string) => {
    const parsed = parseIsoInstant(value);
    if (parsed === undefined) {
      throw new PatchboardError(
        'USAGE',
        `${flag} ${JSON.stringify(value)} is not an ISO-8601 time; give e.g. 2026-10-31T23:59:59Z.`,
      );
    }
    return parsed;
  };
  if (options.now && options.asOf) {
    throw new PatchboardError(
      'USAGE',
      '--now and --as-of were both given; --as-of already sets the evaluation time, so give only one.',
    );
  }
  const asOf = options.asOf ? instant('--as-of', options.asOf) : undefined;
  const now = asOf ?? (options.now ? instant('--now', options.now) : Date.now());
  const engine = options.engine ?? config.engine ?? 'duckdb';
  if (engine !== 'duckdb' && engine !== 'athena') {
    throw new PatchboardError('USAGE', `--engine ${String(engine)} is not an engine; give duckdb or athena.`);
  }
  const outputLocation = options.outputLocation ?? config.athena?.outputLocation;
  if (outputLocation !== undefined && !/^s3:\/\/[^/]+/.test(outputLocation)) {
    throw new PatchboardError(
      'USAGE',
      `--output-location ${JSON.stringify(outputLocation)} is not an S3 location; give s3://bucket/prefix/ for Athena's query results.`,
    );
  }
  return {
    config,
    databasePath: options.db ?? process.env.PATCHBOARD_DB ?? config.database ?? DEFAULT_DATABASE,
    engine,
    athena: {
      workgroup: options.workgroup ?? config.athena?.workgroup ?? 'primary',
      database: options.database ?? config.athena?.database ?? 'patchboard',
      outputLocation,
      region: config.athena?.region,
      catalog: config.athena?.catalog,
    },
    now,
    asOf,
    format: options.format ?? 'table',
    out: options.out,
    interactive: Boolean(process.stdout.isTTY) && !options.out,
  };
}

export function reportContext(context: CommandContext, engine: QueryEngine): ReportContext {
  return { policy: context.config.policy, now: context.now, dialect: engine.dialect };
}

export function evaluationTime(context: CommandContext): string {
  return formatInstant(context.now);
}

/** Opens the database read-only for queries; the engine package is loaded only by commands that need it. */
export async function openQueryEngine(context: CommandContext): Promise<QueryEngine> {
  if (context.engine === 'athena') {
    const { openAthenaEngine } = await import('./athena-engine.js');
    const engine = openAthenaEngine(context);
    // The engine refuses --as-of with its own message, so it must see it.
    return context.asOf === undefined ? engine : readingAsOf(engine, context.asOf);
  }
  try {
    await access(context.databasePath);
  } catch {
    throw new PatchboardError(
      'NOT_FOUND',
      `There is no database at ${context.databasePath}. Run \`patchboard ingest <bucket-copy> --db ${context.databasePath}\` first, or point --db at an existing one.`,
    );
  }
  const { openDatabase, DuckDbQueryEngine } = await import('@patchboard/engine-duckdb');
  const engine = new DuckDbQueryEngine(await openDatabase(context.databasePath, { readOnly: true }));
  return context.asOf === undefined ? engine : readingAsOf(engine, context.asOf);
}

/** The engine with every query reading history as of `asOf`, unless a query asks for another instant. */
export function readingAsOf(engine: QueryEngine, asOf: number): QueryEngine {
  return {
    dialect: engine.dialect,
    run: (query, options) => engine.run(query, { asOf, ...options }),
    close: () => engine.close(),
  };
}
