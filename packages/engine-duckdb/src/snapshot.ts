/**
 * A long-running reader (the dashboard) that never blocks an ingest.
 *
 * DuckDB lets one process write a file or many processes read it, never both: a reader holding the file open
 * would make every `patchboard ingest` fail for as long as it runs. So the reader works on a private copy. It
 * takes the shared lock only for the moment of copying (an ingest that starts then waits for it, see
 * `openDatabase`), and while an ingest holds the file it keeps answering from the copy it has. A committed
 * ingest changes the file; the next refresh sees that and swaps in a fresh copy.
 */
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { PatchboardError, type Policy, type QueryEngine, type SnapshotLookups } from '@patchboard/core';
import { isLockConflict, openDatabase } from './database.js';
import { DuckDbSnapshotLookups } from './lookups.js';
import { DuckDbQueryEngine } from './query-engine.js';

export interface Snapshot {
  /** Changes whenever the database file does: a cache key for anything computed from this snapshot. */
  readonly version: string;
  /** When this copy was taken, epoch milliseconds. */
  readonly takenAt: number;
  readonly engine: QueryEngine;
  /** The copy's lookup tables, when the snapshots were opened with `lookups` (built on the first `prepare`). */
  readonly lookups?: SnapshotLookups;
}

export interface SnapshotsOptions {
  /** Give each copy lookup tables evaluated under this policy (the dashboard's node pages and evidence). */
  readonly lookups?: { readonly policy: Policy };
}

const MIB = 1024 * 1024;

/**
 * DuckDB's memory for one snapshot's buffers and queries, in MiB: 256, which holds every report and the lookup
 * tables of a 10,000-node month (~110 MB on disk) with spilling (128 does not), or twice the database for a
 * larger one; never more than a fifth of the machine, as two snapshots are open while new data is prepared.
 */
export function snapshotMemoryLimitMiB(databaseBytes: number, machineBytes = totalmem()): number {
  const wanted = Math.max(256, Math.ceil((2 * databaseBytes) / MIB));
  return Math.min(wanted, Math.floor(machineBytes / 5 / MIB));
}

interface Held {
  readonly snapshot: Snapshot;
  readonly folder: string;
  users: number;
  retired: boolean;
}

/** The file's identity as the file system sees it; a committed ingest always changes it. */
async function fileVersion(path: string): Promise<string> {
  const main = await stat(path);
  const wal = await stat(`${path}.wal`).catch(() => undefined);
  return [main.ino, main.size, main.mtimeMs, wal?.size ?? 0, wal?.mtimeMs ?? 0].join(':');
}

export class DatabaseSnapshots {
  private current: Held | undefined;
  private refreshing: Promise<void> | undefined;
  private readonly held = new Set<Held>();

  private constructor(
    private readonly path: string,
    private readonly options: SnapshotsOptions,
  ) {}

  /** Takes the first copy; fails when the database cannot be read at all (missing, or written right now). */
  static async open(path: string, options: SnapshotsOptions = {}): Promise<DatabaseSnapshots> {
    const snapshots = new DatabaseSnapshots(path, options);
    await snapshots.refresh({ mustSucceed: true });
    return snapshots;
  }

  /**
   * Takes a new copy when the file has changed since the current one. While an ingest holds the file the
   * current copy stays in use; the next refresh tries again. Concurrent calls share one refresh.
   *
   * `prepare` runs on the new copy before it replaces the current one, while requests are still answered from
   * the current one: a reader warms its caches there, so nobody waits for the first answers on new data.
   */
  refresh(
    options: { mustSucceed?: boolean; prepare?: (next: Snapshot) => Promise<void> } = {},
  ): Promise<void> {
    this.refreshing ??= this.takeCopy(options.mustSucceed ?? false, options.prepare).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /**
   * Runs `work` on the current snapshot. The snapshot stays open until `work` ends, even when a newer one
   * replaces it meanwhile, so a request never sees its tables vanish.
   */
  async use<T>(work: (snapshot: Snapshot) => Promise<T>): Promise<T> {
    const held = this.current;
    if (!held) throw new PatchboardError('IO', `The database snapshot of ${this.path} is closed.`);
    held.users += 1;
    try {
      return await work(held.snapshot);
    } finally {
      held.users -= 1;
      if (held.retired && held.users === 0) await this.dispose(held);
    }
  }

  get version(): string | undefined {
    return this.current?.snapshot.version;
  }

  async close(): Promise<void> {
    await this.refreshing?.catch(() => undefined);
    for (const held of [...this.held]) await this.dispose(held);
    this.current = undefined;
  }

  private async takeCopy(
    mustSucceed: boolean,
    prepare: ((next: Snapshot) => Promise<void>) | undefined,
  ): Promise<void> {
    let version: string;
    try {
      version = await fileVersion(this.path);
    } catch (error) {
      throw new PatchboardError(
        'NOT_FOUND',
        `There is no database at ${this.path}. Run \`patchboard ingest <bucket-copy> --db ${this.path}\` first.`,
        { cause: error },
      );
    }
    if (version === this.current?.snapshot.version) return;
    const folder = await mkdtemp(join(tmpdir(), 'patchboard-snapshot-'));
    const copy = join(folder, 'snapshot.duckdb');
    try {
      // The shared lock keeps an ingest from starting while the bytes are copied.
      const source = await openDatabase(this.path, { readOnly: true, skipSchemaCheck: true });
      try {
        version = await fileVersion(this.path);
        await copyFile(this.path, copy);
        await copyFile(`${this.path}.wal`, `${copy}.wal`).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
      } finally {
        source.connection.closeSync();
        source.instance.closeSync();
      }
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      const lockedByIngest = error instanceof PatchboardError && isLockConflict(error.cause);
      if (lockedByIngest && !mustSucceed) return;
      throw error;
    }
    // The copy is private, so it is opened for writing: a database from an older Patchboard gets the current
    // schema here, and the dashboard reads it without waiting for the next ingest.
    const bytes = (await stat(copy)).size + ((await stat(`${copy}.wal`).catch(() => undefined))?.size ?? 0);
    const opened = await openDatabase(copy);
    // Two copies are open while a new one is prepared beside the one shown; DuckDB would let each take most of
    // the machine's memory for its buffers. Bounded, each spills to its private folder instead.
    await opened.connection.run(`SET memory_limit = '${snapshotMemoryLimitMiB(bytes)}MiB'`);
    await opened.connection.run(`SET temp_directory = '${join(folder, 'spill').replaceAll("'", "''")}'`);
    // The copy is deleted once closed, so writing its changes (the lookup tables) back into the file on close is
    // wasted, and DuckDB closes on the event loop: at every switch to new data the dashboard stopped answering
    // for about 1.5 s on a 10,000-node month while it did so.
    await opened.connection.run('PRAGMA disable_checkpoint_on_shutdown');
    const engine = new DuckDbQueryEngine(opened);
    const { lookups } = this.options;
    const next: Held = {
      snapshot: {
        version,
        takenAt: Date.now(),
        engine,
        ...(lookups ? { lookups: new DuckDbSnapshotLookups(engine, lookups.policy) } : {}),
      },
      folder,
      users: 0,
      retired: false,
    };
    this.held.add(next);
    // A failed warm-up costs speed, not correctness (answers are computed on demand); the preparer reports it.
    await prepare?.(next.snapshot).catch(() => undefined);
    const previous = this.current;
    this.current = next;
    if (previous) {
      previous.retired = true;
      if (previous.users === 0) await this.dispose(previous);
    }
  }

  private async dispose(held: Held): Promise<void> {
    if (!this.held.delete(held)) return;
    await held.snapshot.engine.close();
    await rm(held.folder, { recursive: true, force: true });
  }
}
