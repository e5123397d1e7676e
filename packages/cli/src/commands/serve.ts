import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { formatInstant, PatchboardError, renderCsv } from '@patchboard/core';
import { readingAsOf, resolveContext, type CommandContext, type GlobalOptions } from '../context.js';
import { renderHtmlReport } from '../output.js';
import type { RefreshStatus } from '@patchboard/dashboard';
import type { Snapshot } from '@patchboard/engine-duckdb';
import { PACKAGE_VERSION } from '../version.js';
import { dashboardAccess } from '../dashboard-access.js';
import { ScheduledIngest } from '../scheduled-ingest.js';
import { duration } from './options.js';

const MINUTE_MS = 60_000;

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    throw new InvalidArgumentError(`expected a port number from 0 to 65535, got ${value}`);
  }
  return parsed;
}

/** Resolves on Ctrl-C or a termination signal: the end of a foreground server. */
function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
  });
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Open the web dashboard on the database; it follows new ingests as they commit')
    .option('--host <address>', 'address to listen on (another than loopback needs the token)', '127.0.0.1')
    .option('--port <number>', 'port to listen on (0 picks a free one)', port, 8470)
    .option('--no-token', 'no access token (allowed on a loopback address only)')
    .option('--access-log <file>', 'append one JSON line per request to FILE (- for standard output)')
    .option(
      '--ingest <source>',
      'keep the data current: ingest s3://bucket/prefix or a folder at start and then --every (history kept)',
    )
    .option(
      '--every <duration>',
      'with --ingest: time between ingests, e.g. 30s, 15m, 1h, 1d (default 1h)',
      // Checked here, kept as written: the overview shows the schedule as given.
      (value: string) => (duration(value), value),
    )
    .option('--region <region>', "with an s3:// --ingest: the bucket's Region")
    .option('--endpoint <url>', 'with an s3:// --ingest: an S3-compatible store, addressed path-style')
    .action(async (options: ServeOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const context = await resolveContext(globals);
      const schedule = await startScheduledIngest(context, globals, options);
      try {
        const { url, close, signIn } = await startDashboard(context, {
          ...options,
          fixedTime: Boolean(globals.now ?? globals.asOf),
          ...(schedule ? { refreshStatus: () => schedule.status() } : {}),
        });
        process.stdout.write(`Patchboard dashboard on ${context.databasePath}: ${url}\n`);
        process.stdout.write(
          signIn
            ? 'People sign in with the identity provider configured under dashboard.auth. Ctrl-C stops.\n'
            : 'Open that link once in a browser (the token in it works once). Ctrl-C stops.\n',
        );
        await untilStopped();
        await close();
      } finally {
        await schedule?.stop();
      }
    });
}

interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly token: boolean;
  readonly accessLog?: string;
  readonly ingest?: string;
  readonly every?: string;
  readonly region?: string;
  readonly endpoint?: string;
}

/**
 * With `--ingest`, ingests once before serving (a database that does not exist yet must come from it), then
 * every `--every`; without it, nothing (the data changes when someone runs `patchboard ingest`).
 */
async function startScheduledIngest(
  context: CommandContext,
  globals: GlobalOptions,
  options: ServeOptions,
): Promise<ScheduledIngest | undefined> {
  if (options.ingest === undefined) {
    const stray = (['every', 'region', 'endpoint'] as const).filter((name) => options[name] !== undefined);
    if (stray.length > 0) {
      throw new PatchboardError(
        'USAGE',
        `${stray.map((name) => `--${name}`).join(', ')} given without --ingest: they set the scheduled ingest. Add --ingest s3://bucket/prefix (or a folder), or drop them.`,
      );
    }
    return undefined;
  }
  const every = options.every ?? '1h';
  const everyMs = duration(every);
  const args = [
    '--db',
    context.databasePath,
    ...(globals.config === undefined ? [] : ['--config', globals.config]),
    'ingest',
    options.ingest,
    ...(options.region === undefined ? [] : ['--region', options.region]),
    ...(options.endpoint === undefined ? [] : ['--endpoint', options.endpoint]),
  ];
  const schedule = new ScheduledIngest({
    args,
    every,
    everyMs,
    log: (line) => process.stderr.write(`patchboard: ${line}\n`),
  });
  const first = await schedule.runOnce();
  if (!first.ok && !(await stat(context.databasePath).catch(() => undefined))) {
    throw new PatchboardError(
      'IO',
      `The first ingest of ${options.ingest} failed and there is no database at ${context.databasePath} to serve meanwhile: ${first.message}`,
    );
  }
  schedule.start();
  return schedule;
}

/** Starts the dashboard on the context's database; the caller prints the URL and closes it. */
export async function startDashboard(
  context: CommandContext,
  options: {
    host: string;
    port: number;
    token: boolean;
    fixedTime: boolean;
    accessLog?: string;
    refreshStatus?: () => RefreshStatus;
  },
): Promise<{ url: string; close: () => Promise<void>; signIn: boolean }> {
  const [dashboard, { DatabaseSnapshots }] = await Promise.all([
    import('@patchboard/dashboard'),
    import('@patchboard/engine-duckdb'),
  ]);
  const loopback = dashboard.isLoopback(options.host);
  // Sign-in with the identity provider (dashboard.auth) replaces the one-time token.
  const gate = dashboardAccess(context.config, options.accessLog);
  const signIn = gate.signIn;
  if (!options.token && !loopback && !signIn) {
    throw new PatchboardError(
      'USAGE',
      `--no-token with --host ${options.host}: anyone who can reach that address would see the fleet. Drop --no-token (the printed link carries the token), or bind 127.0.0.1.`,
    );
  }
  if (!loopback && !signIn) {
    process.stderr.write(
      `patchboard: listening on ${options.host}, reachable from other machines: only the printed link (with its one-time token) gets in. Traffic is plain HTTP; put TLS in front for anything but a trusted network.\n`,
    );
  }
  try {
    await access(join(dashboard.CLIENT_DIRECTORY, 'index.html'));
  } catch {
    throw new PatchboardError(
      'NOT_FOUND',
      'The dashboard client is not built. Run `npm run build` (or `npm run demo`, which builds it), then `patchboard serve` again.',
    );
  }
  const token = options.token && !signIn ? dashboard.newToken() : undefined;
  // A fixed evaluation time (--now, --as-of) stays fixed; otherwise the current minute, so answers can be
  // reused within it.
  const now = () => (options.fixedTime ? context.now : Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS);
  const asOf = context.asOf;
  // With --as-of every query reads history as it was then; otherwise each snapshot, a private copy, builds
  // lookup tables for the node pages and evidence, which answer for the data as it is now.
  const snapshots = await DatabaseSnapshots.open(
    context.databasePath,
    asOf === undefined ? { lookups: { policy: context.config.policy } } : {},
  );
  const { printPdf } = await import('../render/print-pdf.js');
  const shown = (s: Snapshot) => (asOf === undefined ? s : { ...s, engine: readingAsOf(s.engine, asOf) });
  const app = dashboard.createDashboardApp({
    data: {
      use: (work) => snapshots.use((s) => work(shown(s))),
      refresh: (prepare) => snapshots.refresh({ prepare: prepare && ((s) => prepare(shown(s))) }),
    },
    policy: context.config.policy,
    token,
    ...(signIn ? { signIn } : {}),
    ...(gate.accessLog ? { accessLog: gate.accessLog } : {}),
    now,
    version: PACKAGE_VERSION,
    ...(options.refreshStatus ? { refreshStatus: options.refreshStatus } : {}),
    clientDirectory: dashboard.CLIENT_DIRECTORY,
    // On loopback only the machine's own names are accepted (DNS rebinding); elsewhere the token guards.
    allowedHosts: loopback
      ? ['127.0.0.1', 'localhost', '[::1]', options.host, ...publicHost(gate.publicUrl)]
      : undefined,
    exporters: {
      csv: (document) => renderCsv(document.result),
      pdf: (document) =>
        printPdf(renderHtmlReport(document), `Patchboard ${document.report} ${formatInstant(now())}`),
    },
  });
  const running = await dashboard.listen(app, options.host, options.port);
  return {
    url: signIn
      ? (gate.publicUrl ?? `${running.origin}/`)
      : `${running.origin}/${token ? `?token=${token}` : ''}`,
    signIn: Boolean(signIn),
    close: async () => {
      await running.close();
      await snapshots.close();
      await gate.close();
    },
  };
}

/** The public address's host name, which the Host header carries when the dashboard is opened by that name. */
function publicHost(publicUrl: string | undefined): string[] {
  return publicUrl === undefined ? [] : [new URL(publicUrl).hostname];
}
