/**
 * The monthly audit pack as the delivery Lambda writes it: the CSV and JSON tables of the CLI's pack (the
 * sections are core's `PACK_SECTIONS`), and a manifest with every file's SHA-256. The HTML
 * report and its PDF are left out: they need Chromium, which a Lambda function does not carry.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import {
  compileReport,
  csvRows,
  formatInstant,
  monthWindow,
  PACK_SECTIONS,
  type QueryEngine,
  type QueryResult,
  type ReportContext,
} from '@patchboard/core';

/** The month before the one `now` falls in (UTC): what a run on the 1st reports on. */
export function previousMonth(now: number): string {
  const date = new Date(now);
  const first = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 1, 1);
  return new Date(first).toISOString().slice(0, 7);
}

export interface PackFile {
  readonly path: string;
  readonly content: string;
  readonly contentType: string;
}

export function renderCsv(result: QueryResult): string {
  return stringify(csvRows(result), { record_delimiter: '\r\n' });
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
  const window = monthWindow(month, context.now);
  const files: PackFile[] = [];
  const rows: Record<string, number> = {};
  for (const section of PACK_SECTIONS) {
    const compiled = compileReport(section.report, section.params(window, undefined), context);
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
