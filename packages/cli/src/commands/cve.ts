import type { Command } from 'commander';
import { compileReport, CVE_ID, PatchboardError } from '@patchboard/core';
import { reportContext, resolveContext, type GlobalOptions } from '../context.js';
import { printResult, withQueryEngine } from '../print.js';

export function registerCve(program: Command): void {
  program
    .command('cve')
    .description(
      'Which nodes ever had a patch item carrying a CVE (or a patch id, with --patch), and when it was first seen missing, installed and last seen',
    )
    .argument('[cve-id]', 'e.g. CVE-2026-1234')
    .option('--patch <id>', 'a patch id instead of a CVE, e.g. ALAS2-2026-201 or KB5031111')
    .action(async (cveId: string | undefined, options: { patch?: string }, command: Command) => {
      const context = await resolveContext(command.optsWithGlobals<GlobalOptions>());
      if ((cveId === undefined) === (options.patch === undefined)) {
        throw new PatchboardError(
          'USAGE',
          'Give either a CVE id (`patchboard cve CVE-2026-1234`) or a patch id (`patchboard cve --patch KB5031111`), not both or neither.',
        );
      }
      const cve = cveId?.trim().toUpperCase();
      if (cve !== undefined && !CVE_ID.test(cve)) {
        throw new PatchboardError(
          'USAGE',
          `${JSON.stringify(cveId)} is not a CVE id; expected the form CVE-2026-1234.`,
        );
      }
      const params = cve !== undefined ? { cve } : { patch: options.patch };
      await withQueryEngine(context, async (engine) => {
        const compiled = compileReport('cve-evidence', params, reportContext(context, engine));
        const result = await engine.run(compiled.query);
        await printResult(context, {
          report: 'cve',
          title: compiled.report.title,
          params: compiled.params,
          result,
        });
        // An empty answer must not read as "not affected" where the data cannot name CVEs at all.
        if (cve !== undefined) {
          const visibility = compileReport('cve-visibility', {}, reportContext(context, engine));
          process.stderr.write(cveBlindSpotNote((await engine.run(visibility.query)).rows));
        }
      });
    });
}

/** The note under a CVE answer naming the nodes it cannot see; empty when there are none. */
function cveBlindSpotNote(rows: readonly Record<string, unknown>[]): string {
  const blind = rows.reduce((sum, row) => sum + Number(row.nodes), 0);
  if (blind === 0) return '';
  const platforms = rows.map((row) => `${String(row.nodes)} ${String(row.platform)}`).join(', ');
  return (
    `Note: ${blind} of ${String(rows[0]?.active_nodes)} active nodes (${platforms}) run a platform whose patch ` +
    'items carry no CVE ids (the SSM Agent writes none for apt packages), so this answer cannot include them. ' +
    'Search them by package instead: patchboard cve --patch <name.arch>, e.g. --patch openssl.amd64.\n'
  );
}
