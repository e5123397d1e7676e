/**
 * The monthly audit pack as the delivery Lambda writes it: the CSV and JSON tables of the CLI's pack
 * (packages/cli audit-pack.ts) from core's catalogue, and a manifest with every file's SHA-256. The HTML
 * report and its PDF are left out: they need Chromium, which a Lambda function does not carry.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import {
  compileReport,
  formatInstant,
  PatchboardError,
  type QueryEngine,
  type QueryResult,
  type ReportContext,
  type ResultValue,
} from '@patchboard/core';

/** One table of the pack: the CLI pack's sections, same files, reports and parameters. */
export interface PackSection {
  readonly file: string;
  readonly title: string;
  readonly report: string;
  readonly params: (window: MonthWindow) => Record<string, string>;
}

export interface MonthWindow {
  /** `YYYY-MM`. */
  readonly month: string;
  /** First instant of the month, UTC. */
  readonly from: string;
  /** The month's last second, UTC. */
  readonly to: string;
}

export const PACK_SECTIONS: readonly PackSection[] = [
  { file: 'summary', title: 'Fleet summary', report: 'fleet-summary', params: () => ({}) },
  { file: 'team-environment', title: 'Team x Environment', report: 'team-environment', params: () => ({}) },
  {
    file: 'baselines',
    title: 'Compliance per patch baseline',
    report: 'fleet-summary',
    params: () => ({ 'group-by': 'baseline' }),
  },
  { file: 'instances', title: 'Per-instance status', report: 'node-compliance', params: () => ({}) },
  {
    file: 'overdue-patches',
    title: 'Security patches missing 14 days or more',
    report: 'overdue-patches',
    params: () => ({}),
  },
  { file: 'sla', title: 'Patch SLA', report: 'sla', params: () => ({}) },
  {
    file: 'time-to-remediate',
    title: 'Time to remediate this month',
    report: 'mttr',
    params: (m) => ({ from: m.from, to: m.to }),
  },
  {
    file: 'patch-evidence',
    title: 'CVE and patch evidence',
    report: 'cve-evidence',
    params: (m) => ({ from: m.from, to: m.to }),
  },
];

/** The month before the one `now` falls in (UTC): what a run on the 1st reports on. */
export function previousMonth(now: number): string {
  const date = new Date(now);
  const first = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 1, 1);
  return new Date(first).toISOString().slice(0, 7);
}

export function monthWindow(month: string): MonthWindow {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) {
    throw new PatchboardError(
      'USAGE',
      `The month ${JSON.stringify(month)} is not a month; give e.g. 2026-10.`,
    );
  }
  const start = Date.UTC(Number(match[1]), Number(match[2]) - 1, 1);
  const end = Date.UTC(Number(match[1]), Number(match[2]), 1) - 1000;
  return { month, from: formatInstant(start), to: formatInstant(end) };
}

export interface PackFile {
  readonly path: string;
  readonly content: string;
  readonly contentType: string;
}

const cellText = (value: ResultValue): string => {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map(cellText).join(', ');
  return String(value);
};
/** A cell starting with = + - @ would run as a formula in a spreadsheet. */
const neutralise = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

export function renderCsv(result: QueryResult): string {
  const header = result.columns.map((c) => c.name);
  const rows = result.rows.map((row) => header.map((name) => neutralise(cellText(row[name] ?? null))));
  return stringify([header, ...rows], { record_delimiter: '\r\n' });
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface BuiltPack {
  readonly files: readonly PackFile[];
  /** Rows per section file, for the message. */
  readonly rows: Readonly<Record<string, number>>;
}

/**
 * Runs every section on the engine. Athena reads the current objects only, so the tables describe the fleet
 * at `context.now` (the run, just after the month ended); the month bounds the time-window reports.
 */
export async function buildPack(
  engine: QueryEngine,
  context: ReportContext,
  month: string,
): Promise<BuiltPack> {
  const window = monthWindow(month);
  const files: PackFile[] = [];
  const rows: Record<string, number> = {};
  for (const section of PACK_SECTIONS) {
    const compiled = compileReport(section.report, section.params(window), context);
    const result = await engine.run(compiled.query);
    rows[section.file] = result.rows.length;
    files.push({ path: `${section.file}.csv`, content: renderCsv(result), contentType: 'text/csv' });
    files.push({
      path: `${section.file}.json`,
      content: `${JSON.stringify(
        {
          report: section.report,
          title: section.title,
          month,
          evaluatedAt: formatInstant(context.now),
          params: compiled.params,
          columns: result.columns,
          rows: result.rows,
        },
        null,
        2,
      )}\n`,
      contentType: 'application/json',
    });
  }
  const manifest = {
    month,
    evaluatedAt: formatInstant(context.now),
    engine: 'athena',
    leftOut: 'report.html and report.pdf (they need Chromium; run `patchboard audit-pack` for them)',
    files: files.map((f) => ({
      path: f.path,
      bytes: Buffer.byteLength(f.content),
      sha256: sha256(f.content),
    })),
  };
  files.push({
    path: 'manifest.json',
    content: `${JSON.stringify(manifest, null, 2)}\n`,
    contentType: 'application/json',
  });
  return { files, rows };
}
