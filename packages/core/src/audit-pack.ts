/**
 * The monthly audit pack, built once for every engine: its sections (a catalogue report each, with the
 * parameters the month and team give it), the month's window, the tables run on any `QueryEngine`, their CSV and
 * JSON files, and the manifest that lists every file with its size and SHA-256. The command line adds the HTML
 * report and its PDF and writes the files to a folder; the delivery Lambda (Athena) writes the same files to S3.
 * For the same data, month and evaluation time both give the same bytes.
 */
import { dataAgeWarnings, type DataSpan } from './data-span.js';
import { renderCsv } from './cells.js';
import type { Policy } from './config.js';
import type { QueryEngine, QueryResult } from './engine.js';
import { PatchboardError } from './errors.js';
import { compileReport } from './reports/catalogue.js';
import type { ReportContext } from './reports/report.js';
import { formatInstant } from './timestamp.js';

/** One table of the pack: a catalogue report and the parameters the month and team give it. */
export interface PackSection {
  readonly file: string;
  readonly title: string;
  readonly intro: string;
  readonly report: string;
  readonly params: (month: MonthWindow, team: string | undefined) => Record<string, string>;
}

/** One section as run: its parameters after validation and defaults, and its rows. */
export interface PackTable {
  readonly section: PackSection;
  readonly params: Record<string, unknown>;
  readonly result: QueryResult;
}

export interface MonthWindow {
  /** `YYYY-MM`. */
  readonly month: string;
  /** First instant of the month, UTC. */
  readonly from: string;
  /** The instant the pack is evaluated at: the month's last second, or now for the running month. */
  readonly asOf: string;
  /** Whether the month had not ended at the evaluation time. */
  readonly partial: boolean;
}

const withTeam = (team: string | undefined, params: Record<string, string> = {}) =>
  team === undefined ? params : { ...params, team };

export const PACK_SECTIONS: readonly PackSection[] = [
  {
    file: 'summary',
    title: 'Fleet summary',
    intro: 'Managed nodes by status at the end of the month; compliance % = compliant / active nodes.',
    report: 'fleet-summary',
    params: (_m, team) => withTeam(team),
  },
  {
    file: 'team-environment',
    title: 'Team x Environment',
    intro: 'Active nodes per team and environment (from tags), by status.',
    report: 'team-environment',
    params: (_m, team) => withTeam(team),
  },
  {
    file: 'baselines',
    title: 'Compliance per patch baseline',
    intro: 'Nodes per patch baseline, by status.',
    report: 'fleet-summary',
    params: (_m, team) => withTeam(team, { 'group-by': 'baseline' }),
  },
  {
    file: 'instances',
    title: 'Per-instance status',
    intro:
      'Every managed node: OS, patch group, baseline, Patch compliance status, missing count, highest severity missing, last patch operation.',
    report: 'node-compliance',
    params: (_m, team) => withTeam(team),
  },
  {
    file: 'overdue-patches',
    title: 'Security patches missing 14 days or more',
    intro: 'Non-compliant security patches on active nodes, with the day first seen missing.',
    report: 'overdue-patches',
    params: (_m, team) => withTeam(team),
  },
  {
    file: 'sla',
    title: 'Patch SLA',
    intro: 'Open non-compliant items against the policy SLA (days allowed per severity and environment).',
    report: 'sla',
    params: (_m, team) => withTeam(team),
  },
  {
    file: 'time-to-remediate',
    title: 'Time to remediate this month',
    intro: 'Days from first seen missing to installed, for patches installed during the month.',
    report: 'mttr',
    params: (m, team) => withTeam(team, { from: m.from, to: m.asOf }),
  },
  {
    file: 'patch-evidence',
    title: 'CVE and patch evidence',
    intro:
      'Every patch item non-compliant at some time during the month: its CVEs, first seen non-compliant, installed time.',
    report: 'cve-evidence',
    params: (m, team) => withTeam(team, { from: m.from, to: m.asOf }),
  },
];

/** `2026-10` → its first instant and last second (UTC), cut at `now` for the running month. */
export function monthWindow(month: string, now: number): MonthWindow {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) {
    throw new PatchboardError(
      'USAGE',
      `The month ${JSON.stringify(month)} is not a month; give e.g. 2026-10.`,
    );
  }
  const start = Date.UTC(Number(match[1]), Number(match[2]) - 1, 1);
  const end = Date.UTC(Number(match[1]), Number(match[2]), 1) - 1000;
  if (start > now) {
    throw new PatchboardError(
      'USAGE',
      `The month ${month} has not begun at the evaluation time ${formatInstant(now)}; give a past or the current month.`,
    );
  }
  return {
    month,
    from: formatInstant(start),
    asOf: formatInstant(Math.min(end, now)),
    partial: end > now,
  };
}

/** One file of the pack, as written to a folder or to S3. */
export interface PackFile {
  readonly path: string;
  readonly content: string | Uint8Array;
  readonly contentType: string;
}

/** One line of the manifest's file list. */
export interface PackListing {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** What the engine knows of where the data came from, up to the pack's instant; `null` where it cannot say. */
export interface SourceFreshness {
  /** The bucket or folder the last ingest read. */
  readonly source: string | null;
  /** When that ingest finished (UTC). */
  readonly ingestedAt: string | null;
  /** The newest record it carried (UTC). */
  readonly dataTime: string | null;
}

/** The tables of one month, and their CSV and JSON files. */
export interface AuditPack {
  readonly window: MonthWindow;
  readonly team: string | undefined;
  /** The instant every table describes (UTC). */
  readonly evaluatedAt: string;
  readonly tables: readonly PackTable[];
  readonly freshness: SourceFreshness;
  /** What a reader must know about the data behind the figures (core data-span.ts): old data. */
  readonly warnings: readonly string[];
  /** `<section>.csv` and `<section>.json` of every section, in section order. */
  readonly files: readonly PackFile[];
}

/**
 * An engine that can say where its data came from (engine-duckdb, from its ingest log). Athena reads the bucket
 * in place and keeps no ingest log: its packs say `null` there.
 */
export interface DescribesSource {
  sourceFreshness(at: number): Promise<SourceFreshness>;
  /** The instants the data covers (data-span.ts). */
  dataSpan(): Promise<DataSpan>;
}

export const describesSource = (engine: QueryEngine): engine is QueryEngine & DescribesSource =>
  typeof (engine as Partial<DescribesSource>).sourceFreshness === 'function';

const UNKNOWN_SOURCE: SourceFreshness = { source: null, ingestedAt: null, dataTime: null };

/**
 * The instant the pack describes. Where the engine keeps history, the month's last second (or now, for the
 * running month), read through `RunOptions.asOf`. An engine that reads the current objects only (Athena over the
 * sync bucket, whose history views start at each object's newest capture time) would lose every node captured
 * since that second, so it is evaluated at now, which the pack then names.
 */
function evaluationInstant(engine: QueryEngine, window: MonthWindow): number | undefined {
  return engine.history === 'current-only' ? undefined : Date.parse(window.asOf);
}

/** The JSON of one table: no wall-clock time in it, so the same month and data give the same bytes. */
function tableJson(table: PackTable, window: MonthWindow, evaluatedAt: string): string {
  const document = {
    report: table.section.report,
    title: table.section.title,
    month: window.month,
    asOf: evaluatedAt,
    params: table.params,
    columns: table.result.columns,
    rows: table.result.rows,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Runs every section on `engine` for `month` (and `team`), and renders their CSV and JSON. */
export async function collectAuditPack(
  engine: QueryEngine,
  context: ReportContext,
  options: { readonly month: string; readonly team?: string | undefined },
): Promise<AuditPack> {
  const window = monthWindow(options.month, context.now);
  const asOf = evaluationInstant(engine, window);
  const at = asOf ?? context.now;
  const evaluatedAt = formatInstant(at);
  const freshness = describesSource(engine) ? await engine.sourceFreshness(at) : UNKNOWN_SOURCE;
  if (describesSource(engine) && freshness.dataTime === null) {
    // Nineteen files of zeros would read as a fleet with no nodes; there is simply no data for the month.
    const { first } = await engine.dataSpan();
    throw new PatchboardError(
      'NOT_FOUND',
      `There is no data for ${window.month}: no ingest carried data from before ${evaluatedAt}${first ? ` (history starts at ${first})` : ' (nothing was ingested yet)'}. Give a later --month, or ingest older copies of the bucket first (oldest first) into a new database.`,
    );
  }
  const tables: PackTable[] = [];
  for (const section of PACK_SECTIONS) {
    const compiled = compileReport(section.report, section.params(window, options.team), {
      ...context,
      now: at,
    });
    const result = await engine.run(compiled.query, asOf === undefined ? {} : { asOf });
    tables.push({ section, params: compiled.params, result });
  }
  const files = tables.flatMap((table): PackFile[] => [
    { path: `${table.section.file}.csv`, content: renderCsv(table.result), contentType: 'text/csv' },
    {
      path: `${table.section.file}.json`,
      content: tableJson(table, window, evaluatedAt),
      contentType: 'application/json',
    },
  ]);
  const warnings = dataAgeWarnings(freshness.dataTime, at, context.policy);
  return { window, team: options.team, evaluatedAt, tables, freshness, warnings, files };
}

/** SHA-256 of a file's bytes (text as UTF-8), lower-case hex: the hash every manifest and its check use. */
export async function sha256Hex(content: string | Uint8Array): Promise<string> {
  // Web Crypto takes an ArrayBuffer-backed view (the DOM typings refuse a possibly shared buffer).
  const bytes = new Uint8Array(typeof content === 'string' ? new TextEncoder().encode(content) : content);
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

const byteLength = (content: string | Uint8Array) =>
  typeof content === 'string' ? new TextEncoder().encode(content).length : content.length;

/**
 * `manifest.json`: the pack's month, team, evaluation instant, source freshness, policy and version, and every
 * one of `files` with its size and SHA-256.
 */
export async function packManifest(
  pack: AuditPack,
  files: readonly PackFile[],
  about: { readonly version: string; readonly policy: Policy },
): Promise<{ readonly file: PackFile; readonly listed: readonly PackListing[] }> {
  const listed: PackListing[] = [];
  for (const file of files) {
    listed.push({ path: file.path, bytes: byteLength(file.content), sha256: await sha256Hex(file.content) });
  }
  const manifest = {
    patchboard: about.version,
    month: pack.window.month,
    team: pack.team ?? null,
    dataCutOff: pack.evaluatedAt,
    monthComplete: !pack.window.partial,
    source: pack.freshness,
    warnings: pack.warnings,
    policy: about.policy,
    files: listed,
  };
  const content = `${JSON.stringify(manifest, null, 2)}\n`;
  return { file: { path: 'manifest.json', content, contentType: 'application/json' }, listed };
}
