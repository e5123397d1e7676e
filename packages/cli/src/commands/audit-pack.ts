/**
 * `patchboard audit-pack`: a month's evidence as files an auditor can keep. Every table is evaluated as of the
 * month's last second from history, written as CSV and JSON (the same bytes for the same month and data), then
 * a self-contained HTML report with charts, its PDF, and a manifest with every file's SHA-256.
 *
 * The pack is written to a temporary folder beside `--out` and renamed into place at the end, so a failed or
 * interrupted run never leaves a half-written pack that looks complete.
 */
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  collectAuditPack,
  packManifest,
  type PackFile,
  type PackListing,
  PatchboardError,
  type QueryEngine,
} from '@patchboard/core';
import { type CommandContext, reportContext, resolveContext, type GlobalOptions } from '../context.js';
import { withQueryEngine } from '../print.js';
import { PACKAGE_VERSION } from '../version.js';

export interface WrittenPack {
  readonly dir: string;
  /** Every file but the manifest, as the manifest lists it. */
  readonly files: readonly PackListing[];
}

/** Writes the files into a fresh folder beside `out`, then renames it to `out`. */
async function writePack(out: string, files: readonly PackFile[], replace: boolean): Promise<void> {
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
    for (const file of files) await writeFile(join(staging, file.path), file.content);
    if (existing !== null) await rm(target, { recursive: true });
    await rename(staging, target);
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

/**
 * The pack of core's builder (tables, CSV, JSON, manifest: the same bytes as the delivery Lambda's), with the
 * HTML report and, when asked, its PDF; the manifest lists those too.
 */
export async function buildAuditPack(
  context: CommandContext,
  engine: QueryEngine,
  options: { month: string; out: string; team?: string; pdf: boolean; replace?: boolean },
): Promise<WrittenPack> {
  const pack = await collectAuditPack(engine, reportContext(context, engine), options);
  const files: PackFile[] = [...pack.files];
  const { renderPackHtml } = await import('../render/audit-pack-html.js');
  const html = renderPackHtml({ ...pack, version: PACKAGE_VERSION });
  files.push({ path: 'report.html', content: html, contentType: 'text/html' });
  if (options.pdf) {
    const { printPdf } = await import('../render/print-pdf.js');
    const pdf = await printPdf(html, `Patchboard audit pack ${pack.window.month}`);
    files.push({ path: 'report.pdf', content: pdf, contentType: 'application/pdf' });
  }
  const manifest = await packManifest(pack, files, {
    version: PACKAGE_VERSION,
    policy: context.config.policy,
  });
  await writePack(options.out, [...files, manifest.file], options.replace === true);
  return { dir: resolve(options.out), files: manifest.listed };
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
