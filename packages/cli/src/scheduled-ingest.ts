/**
 * `serve --ingest SOURCE --every 1h`: the dashboard keeps itself current.
 *
 * Each refresh is `patchboard ingest SOURCE` run as a child process of this same command line: the very ingest a
 * person runs (one transaction, history kept), while a crash or the memory of a large ingest stays out of the
 * server. The server's snapshot follower (engine-duckdb's DatabaseSnapshots) notices the committed file and
 * switches to it; a failed ingest keeps nothing, so the dashboard goes on showing the last good data and says
 * why the refresh failed.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatInstant } from '@patchboard/core';
import type { RefreshStatus } from '@patchboard/dashboard';

/** The command line itself (bin/ sits beside both src/ and the compiled lib/). */
const PATCHBOARD_BIN = fileURLToPath(new URL('../bin/patchboard.js', import.meta.url));
/** The end of an ingest's error output kept for the reason: its last line is the message. */
const STDERR_TAIL_BYTES = 16 * 1024;
/** A reason longer than this is cut: the overview shows one line. */
const REASON_MAX_CHARS = 500;
/** An ingest still running after this long (or after the interval, if longer) is stopped and reported. */
const MIN_TIMEOUT_MS = 30 * 60_000;

export interface ScheduledIngestOptions {
  /** `patchboard` arguments of one ingest, e.g. `['--db', 'fleet.duckdb', 'ingest', 's3://bucket/prefix']`. */
  readonly args: readonly string[];
  readonly everyMs: number;
  /** The schedule as the user wrote it, for the status. */
  readonly every: string;
  /** Where each run's outcome is logged (one line each). */
  readonly log: (line: string) => void;
}

export interface IngestOutcome {
  readonly ok: boolean;
  /** The ingest's summary line, or why it failed. */
  readonly message: string;
}

/** The last line of an ingest's error output, without the `patchboard: ` prefix. */
function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const last = (lines.at(-1) ?? '').replace(/^patchboard: /, '');
  return last.length > REASON_MAX_CHARS ? `${last.slice(0, REASON_MAX_CHARS - 1)}…` : last;
}

export class ScheduledIngest {
  private lastRefreshedAt: number | undefined;
  private lastFailure: { at: number; reason: string } | undefined;
  private nextAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: { promise: Promise<IngestOutcome>; stop: () => void } | undefined;
  private stopped = false;

  constructor(private readonly options: ScheduledIngestOptions) {}

  /** Runs one ingest now and records its outcome; never throws. */
  runOnce(): Promise<IngestOutcome> {
    let child: ReturnType<typeof spawn> | undefined;
    const promise = new Promise<IngestOutcome>((resolve) => {
      child = spawn(process.execPath, [PATCHBOARD_BIN, ...this.options.args], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
        timeout: Math.max(MIN_TIMEOUT_MS, this.options.everyMs),
      });
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
      });
      child.on('error', (error) =>
        resolve({ ok: false, message: `the ingest did not start: ${error.message}` }),
      );
      child.on('close', (code, signal) => {
        if (code === 0) resolve({ ok: true, message: lastLine(stderr) });
        else if (signal)
          resolve({ ok: false, message: `the ingest was stopped (${signal}); nothing of it was kept` });
        else resolve({ ok: false, message: lastLine(stderr) || `the ingest exited with code ${code}` });
      });
    }).then((outcome) => {
      const at = Date.now();
      if (outcome.ok) {
        this.lastRefreshedAt = at;
        this.lastFailure = undefined;
        this.options.log(`Refreshed at ${formatInstant(at)}: ${outcome.message}`);
      } else {
        this.lastFailure = { at, reason: outcome.message };
        this.options.log(
          `Refresh failed at ${formatInstant(at)}: ${outcome.message} (still serving the last good data)`,
        );
      }
      this.running = undefined;
      return outcome;
    });
    this.running = { promise, stop: () => child?.kill('SIGTERM') };
    return promise;
  }

  /** Runs an ingest every `everyMs`, counted from the end of the previous one (runs never overlap). */
  start(): void {
    if (this.stopped) return;
    this.nextAt = Date.now() + this.options.everyMs;
    this.timer = setTimeout(() => {
      this.nextAt = undefined;
      void this.runOnce().then(() => this.start());
    }, this.options.everyMs);
  }

  /** Stops the schedule, and an ingest in progress (which then keeps nothing). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.nextAt = undefined;
    const running = this.running;
    running?.stop();
    await running?.promise;
  }

  status(): RefreshStatus {
    return {
      every: this.options.every,
      ...(this.lastRefreshedAt === undefined ? {} : { lastRefreshedAt: formatInstant(this.lastRefreshedAt) }),
      ...(this.lastFailure
        ? { lastFailure: { at: formatInstant(this.lastFailure.at), reason: this.lastFailure.reason } }
        : {}),
      ...(this.nextAt === undefined ? {} : { nextAt: formatInstant(this.nextAt) }),
    };
  }
}
