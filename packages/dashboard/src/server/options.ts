import type { Policy, QueryEngine, ReportDocument, SnapshotLookups } from '@patchboard/core';
import type { SignInOptions } from './sign-in.js';

/** One consistent view of the database; `version` changes whenever an ingest commits. */
export interface DataSnapshot {
  readonly version: string;
  /** When this snapshot was taken, epoch milliseconds. */
  readonly takenAt: number;
  readonly engine: QueryEngine;
  /**
   * The engine's lookup tables for node pages and evidence, on a private copy that reads the data as it is now
   * (no as-of time). The dashboard asks for them to be prepared and reads them; it never creates tables.
   */
  readonly lookups?: SnapshotLookups;
}

/**
 * Where the dashboard's data comes from. The command line injects it (a DuckDB snapshot follower, or later
 * Athena): the dashboard never opens a database itself.
 */
export interface DashboardData {
  /** Runs `work` on the current snapshot, which stays valid until `work` ends. */
  use<T>(work: (snapshot: DataSnapshot) => Promise<T>): Promise<T>;
  /**
   * Looks for newly committed data; cheap when nothing changed. `prepare` runs on a new snapshot before it
   * replaces the current one (which keeps answering meanwhile).
   */
  refresh(prepare?: (next: DataSnapshot) => Promise<void>): Promise<void>;
}

/** The CLI's own renderers, so a download is byte for byte what `--format csv|pdf` would write. */
export interface Exporters {
  csv(document: ReportDocument): string;
  pdf(document: ReportDocument): Promise<Uint8Array>;
}

/** How a scheduled ingest (`serve --ingest SOURCE --every 1h`) last went; times are ISO 8601 UTC. */
export interface RefreshStatus {
  /** The schedule as given, e.g. `1h`. */
  readonly every: string;
  /** When the last successful ingest committed; absent until one has since the server started. */
  readonly lastRefreshedAt?: string;
  /** Present while the latest attempt is a failure: the dashboard still shows the last good data. */
  readonly lastFailure?: { readonly at: string; readonly reason: string };
  /** When the next ingest starts (absent while one runs). */
  readonly nextAt?: string;
}

export interface DashboardOptions {
  readonly data: DashboardData;
  readonly policy: Policy;
  readonly exporters: Exporters;
  /**
   * The secret in the URL printed at start. Exchanged once for a session cookie; `undefined` turns access
   * control off, which the command line allows on a loopback address only.
   */
  readonly token: string | undefined;
  /** The evaluation time: fixed (`--now`, `--as-of`) or the wall clock's current minute. */
  readonly now: () => number;
  /** The built client (index.html and assets); without it the API still works. */
  readonly clientDirectory?: string;
  /**
   * Sign-in with the organisation's identity provider (OpenID Connect) or behind an AWS Application Load
   * Balancer, and who sees what; replaces the token. Without it the token (or nothing, on loopback) decides.
   */
  readonly signIn?: SignInOptions;
  /** Receives the access log, one JSON line per request; none is written without it. */
  readonly accessLog?: (line: string) => void;
  /** Host names the Host header may carry (DNS-rebinding defence); undefined accepts any. */
  readonly allowedHosts?: readonly string[];
  readonly version: string;
  /** The scheduled ingest's state, shown on the overview; absent when nothing refreshes the data. */
  readonly refreshStatus?: () => RefreshStatus;
}
