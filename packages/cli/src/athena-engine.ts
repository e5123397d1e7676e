/**
 * `--engine athena`: the Athena query engine as the CLI uses it. Each finished query's bytes scanned and
 * estimated cost go to standard error (the answer stays alone on standard output), and Ctrl-C stops the
 * running query in Athena instead of leaving it to run, and bill, on its own.
 */
import type { QueryEngine } from '@patchboard/core';
import { AthenaQueryEngine, type QueryStatistics } from '@patchboard/engine-athena';

/** `52.4 MB`, in decimal units as the Athena console shows them. */
function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

function describeStatistics(statistics: QueryStatistics): string {
  return `athena: query ${statistics.queryExecutionId} scanned ${formatBytes(statistics.dataScannedBytes)}, estimated cost USD ${statistics.estimatedCostUsd.toFixed(6)}\n`;
}

/** Where and how `--engine athena` runs queries: flags over the configuration file's `athena` section. */
export interface AthenaSettings {
  readonly workgroup: string;
  readonly database: string;
  readonly outputLocation: string | undefined;
  readonly region: string | undefined;
  readonly catalog: string | undefined;
}

export function athenaEngine(settings: AthenaSettings, signal?: AbortSignal): AthenaQueryEngine {
  const { workgroup, database, outputLocation, region, catalog } = settings;
  return new AthenaQueryEngine({
    workgroup,
    database,
    ...(outputLocation ? { outputLocation } : {}),
    ...(region ? { region } : {}),
    ...(catalog ? { catalog } : {}),
    ...(signal ? { signal } : {}),
    // DDL (athena setup) scans nothing and costs nothing: only queries are worth a line.
    onStatistics: (statistics) => {
      if (statistics.statementType !== 'DDL') process.stderr.write(describeStatistics(statistics));
    },
  });
}

/** The engine for a command, stopping its queries on Ctrl-C for as long as it is open. */
export function openAthenaEngine(settings: AthenaSettings): QueryEngine {
  const controller = new AbortController();
  const interrupt = () => {
    process.stderr.write('patchboard: stopping the Athena query (Ctrl-C)…\n');
    controller.abort();
  };
  process.once('SIGINT', interrupt);
  const engine = athenaEngine(settings, controller.signal);
  return {
    dialect: engine.dialect,
    run: (query, options) => engine.run(query, options),
    close: async () => {
      process.off('SIGINT', interrupt);
      await engine.close();
    },
  };
}
