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
      });
    });
}
