/**
 * `patchboard audit-pack`: a month's evidence as files an auditor can keep. Every table is evaluated as of the
 * month's last second from history, written as CSV and JSON (the same bytes for the same month and data), then
 * a self-contained HTML report with charts, its PDF, and a manifest with every file's SHA-256.
 *
 * The pack is written to a temporary folder beside `--out` and renamed into place at the end, so a failed or
 * interrupted run never leaves a half-written pack that looks complete.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  compileReport,
  type MonthWindow,
  monthWindow,
  PACK_SECTIONS,
  type PackTable,
  PatchboardError,
  type QueryEngine,
  type ReportContext,
} from '@patchboard/core';
import { type CommandContext, reportContext, resolveContext, type GlobalOptions } from '../context.js';
import { renderCsv } from '../output.js';
import { withQueryEngine } from '../print.js';
import { PACKAGE_VERSION } from '../version.js';

/** Runs every section as of the month's end. */
export async function collectPack(
  engine: QueryEngine,
  context: ReportContext,
  window: MonthWindow,
  team: string | undefined,
): Promise<PackTable[]> {
  const asOf = Date.parse(window.asOf);
  const tables: PackTable[] = [];
  for (const section of PACK_SECTIONS) {
    const compiled = compileReport(section.report, section.params(window, team), { ...context, now: asOf });
    tables.push({ section, params: compiled.params, result: await engine.run(compiled.query, { asOf }) });
  }
  return tables;
}

/** The JSON of one table: no wall-clock time in it, so the same month and data give the same bytes. */
function tableJson(table: PackTable, window: MonthWindow): string {
  return `${JSON.stringify(
    {
      report: table.section.report,
      title: table.section.title,
      month: window.month,
      asOf: window.asOf,
      params: table.params,
      columns: table.result.columns,
      rows: table.result.rows,
    },
    null,
    2,
  )}\n`;
}

const sha256 = (bytes: string | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface SourceFreshness {
  readonly source: string | null;
  readonly ingestedAt: string | null;
  readonly dataTime: string | null;
}

/** The last ingest that had happened by the pack's instant (by the data it carried), for the manifest. */
async function sourceFreshness(engine: QueryEngine, asOf: string): Promise<SourceFreshness> {
  const result = await engine.run({
    sql: `SELECT source, strftime(finished_at, '%Y-%m-%dT%H:%M:%SZ') AS ingested_at,
            strftime(data_time, '%Y-%m-%dT%H:%M:%SZ') AS data_time
          FROM main.ingests WHERE data_time <= CAST(? AS TIMESTAMPTZ)
          ORDER BY data_time DESC, ingest_id DESC LIMIT 1`,
    parameters: [asOf],
  });
  const row = result.rows[0];
  return {
    source: (row?.source as string | undefined) ?? null,
    ingestedAt: (row?.ingested_at as string | undefined) ?? null,
    dataTime: (row?.data_time as string | undefined) ?? null,
  };
}

export interface WrittenPack {
  readonly dir: string;
  readonly files: { path: string; bytes: number; sha256: string }[];
}

/** Writes the pack into a fresh folder beside `out`, then renames it to `out`. */
async function writePack(
  out: string,
  files: { path: string; content: string | Uint8Array }[],
  manifest: (listed: WrittenPack['files']) => string,
  replace: boolean,
): Promise<WrittenPack> {
  const target = resolve(out);
  const existing = await readdir(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (existing !== null && existing.length > 0 && !replace) {
    throw new PatchboardError(
      'USAGE',
      `--out ${out} already exists and is not empty; give a new folder, so that no earlier pack is mixed with this one.`,
    );
  }
  const staging = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    const listed: WrittenPack['files'] = [];
    for (const file of files) {
      await writeFile(join(staging, file.path), file.content);
      listed.push({ path: file.path, bytes: Buffer.byteLength(file.content), sha256: sha256(file.content) });
    }
    await writeFile(join(staging, 'manifest.json'), manifest(listed));
    if (existing !== null) await rm(target, { recursive: true });
    await rename(staging, target);
    return { dir: target, files: listed };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EFBIG' || code === 'EDQUOT') {
      throw new PatchboardError(
        'IO',
        `The audit pack could not be written to ${out} (${code}): the disk is full or a file size limit was reached. Nothing was left there; free space and run it again.`,
        { cause: error },
      );
    }
    throw error;
  }
}

export async function buildAuditPack(
  context: CommandContext,
  engine: QueryEngine,
  options: { month: string; out: string; team?: string; pdf: boolean; replace?: boolean },
): Promise<WrittenPack> {
  const window = monthWindow(options.month, context.now);
  const tables = await collectPack(engine, reportContext(context, engine), window, options.team);
  const freshness = await sourceFreshness(engine, window.asOf);
  const files: { path: string; content: string | Uint8Array }[] = [];
  for (const table of tables) {
    files.push({ path: `${table.section.file}.csv`, content: renderCsv(table.result) });
    files.push({ path: `${table.section.file}.json`, content: tableJson(table, window) });
  }
  const { renderPackHtml } = await import('../render/audit-pack-html.js');
  const html = renderPackHtml({ window, team: options.team, tables, freshness, version: PACKAGE_VERSION });
  files.push({ path: 'report.html', content: html });
  if (options.pdf) {
    const { printPdf } = await import('../render/print-pdf.js');
    files.push({
      path: 'report.pdf',
      content: await printPdf(html, `Patchboard audit pack ${window.month}`),
    });
  }
  return writePack(
    options.out,
    files,
    (listed) =>
      `${JSON.stringify(
        {
          patchboard: PACKAGE_VERSION,
          month: window.month,
          team: options.team ?? null,
          dataCutOff: window.asOf,
          monthComplete: !window.partial,
          source: freshness,
          policy: context.config.policy,
          files: listed,
        },
        null,
        2,
      )}\n`,
    options.replace === true,
  );
}

export function registerAuditPack(program: Command): void {
  program
    .command('audit-pack')
    .description(
      "A month's audit evidence: per-instance and per-baseline status, Team x Environment, overdue patches, SLA, time to remediate, CVE/patch evidence — CSV, JSON, HTML, PDF and a SHA-256 manifest",
    )
    .requiredOption('--month <yyyy-mm>', 'the month, e.g. 2026-10 (evaluated as of its last second, UTC)')
    // `--out <dir>` is the global option: here it names a new folder for the pack.
    .addHelpText(
      'after',
      '\nWrites the pack into the folder given with --out <dir>, which must be new or empty.',
    )
    .option('--team <team>', "only this team's nodes")
    .option('--no-pdf', 'skip the PDF (it needs Chromium)')
    .action(async (options: { month: string; team?: string; pdf: boolean }, command: Command) => {
      // The pack's --out is a folder; the global --out (a file) is shadowed by it.
      const globals = command.optsWithGlobals<GlobalOptions & { out: string }>();
      const context = await resolveContext({ ...globals, out: undefined });
      const pack = await withQueryEngine(context, (engine) =>
        buildAuditPack(context, engine, { ...options, out: globals.out }),
      );
      process.stderr.write(
        `Wrote the ${options.month} audit pack${options.team ? ` for team ${options.team}` : ''} to ${pack.dir}: ${pack.files.length + 1} files (manifest.json lists each with its SHA-256).\n`,
      );
    });
}
