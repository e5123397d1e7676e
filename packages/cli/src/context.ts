/**
 * Global options, configuration and the database, resolved once per command: the composition root.
 */
import { access, readFile } from 'node:fs/promises';
import {
  type Config,
  dataAgeWarnings,
  DEFAULT_ENGINE,
  describesSource,
  ENGINE_NAMES,
  type EngineName,
  ENGINES,
  formatInstant,
  parseConfig,
  parseIsoInstant,
  PatchboardError,
  type QueryEngine,
  refuseUnanswerable,
  type ReportContext,
} from '@patchboard/core';
import type { AthenaSettings } from './athena-engine.js';
import type { OutputFormat } from './output.js';

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
  /** Whether `--now` chose the evaluation time (else the wall clock did, or `--as-of`). */
  readonly nowChosen: boolean;
  /** What the answer must say about the data behind it (old data); filled when the engine opens. */
  readonly warnings: string[];
  readonly format: OutputFormat;
  readonly out: string | undefined;
  /** Whether standard output is a person's terminal (tables get colour, long jobs a progress bar). */
  readonly interactive: boolean;
}

const DEFAULT_DATABASE = 'patchboard.duckdb';

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
  const engine = options.engine ?? config.engine ?? DEFAULT_ENGINE;
  if (!Object.hasOwn(ENGINES, engine)) {
    throw new PatchboardError(
      'USAGE',
      `--engine ${String(engine)} is not an engine; give ${ENGINE_NAMES.join(' or ')}.`,
    );
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
    nowChosen: asOf === undefined && options.now !== undefined,
    warnings: [],
    format: options.format ?? 'table',
    out: options.out,
    interactive: Boolean(process.stdout.isTTY) && !options.out,
  };
}

export function reportContext(context: CommandContext, engine: QueryEngine): ReportContext {
  return { policy: context.config.policy, now: context.now, dialect: engine.dialect };
}

/**
 * Standard output's width when a person reads it in a terminal (tables fit it); undefined for files and pipes,
 * and for a pseudo-terminal that was given no size (it reports 0 columns).
 */
export function terminalColumns(context: CommandContext): number | undefined {
  return context.interactive ? process.stdout.columns || undefined : undefined;
}

export function evaluationTime(context: CommandContext): string {
  return formatInstant(context.now);
}

/** How each engine opens for a command; its package is loaded only by commands that query. */
const OPEN_ENGINE: Record<EngineName, (context: CommandContext) => Promise<QueryEngine>> = {
  duckdb: async (context) => {
    try {
      await access(context.databasePath);
    } catch {
      throw new PatchboardError(
        'NOT_FOUND',
        `There is no database at ${context.databasePath}. Run \`patchboard ingest <bucket-copy> --db ${context.databasePath}\` first, or point --db at an existing one.`,
      );
    }
    const { openStore } = await import('@patchboard/engine-duckdb');
    return (await openStore(context.databasePath, { readOnly: true })).engine;
  },
  athena: async (context) => {
    const { openAthenaEngine } = await import('./athena-engine.js');
    return openAthenaEngine(context.athena);
  },
};

/**
 * The engine for queries (a DuckDB database opens read-only). With --as-of every query reads history as of
 * that instant; an engine that cannot refuses with its own message, so it must see it.
 */
export async function openQueryEngine(context: CommandContext): Promise<QueryEngine> {
  const engine = await OPEN_ENGINE[context.engine](context);
  try {
    await checkEvaluationTime(engine, context);
  } catch (error) {
    await engine.close();
    throw error;
  }
  return context.asOf === undefined ? engine : readingAsOf(engine, context.asOf);
}

/**
 * Refuses an instant the data cannot answer (core data-span.ts) and notes, on standard error and in the
 * answer's `warnings`, when the data behind the answer is older than the policy's stale threshold.
 */
async function checkEvaluationTime(engine: QueryEngine, context: CommandContext): Promise<void> {
  if (!describesSource(engine)) return;
  refuseUnanswerable(await engine.dataSpan(), {
    at: context.now,
    asOf: context.asOf !== undefined,
    chosen: context.nowChosen,
  });
  const { dataTime } = await engine.sourceFreshness(context.now);
  for (const warning of dataAgeWarnings(dataTime, context.now, context.config.policy)) {
    context.warnings.push(warning);
    process.stderr.write(`patchboard: note: ${warning}\n`);
  }
}

/** The engine with every query reading history as of `asOf`, unless a query asks for another instant. */
export function readingAsOf(engine: QueryEngine, asOf: number): QueryEngine {
  return {
    dialect: engine.dialect,
    run: (query, options) => engine.run(query, { asOf, ...options }),
    close: () => engine.close(),
  };
}
