import type { Command } from 'commander';
import { PatchboardError } from '@patchboard/core';
import type { GlobalOptions } from '../context.js';
import { startProgress } from '../progress.js';
import { percentage, wholeNumber } from './options.js';

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('Write a synthetic fleet as a copy of a Resource Data Sync bucket, plus its ground truth')
    // `--out <dir>` is the global option: here it names the folder to write, <dir>/bucket (the bucket copy),
    // <dir>/truth (ground truth) and <dir>/days (daily snapshots).
    .addHelpText(
      'after',
      '\nWrites <--out dir>/bucket (the bucket copy), <dir>/truth and, with --days, <dir>/days/<date>.',
    )
    .option('--nodes <n>', 'nodes: managed nodes and unmanaged EC2 instances', wholeNumber, 800)
    .option('--accounts <n>', 'AWS accounts', wholeNumber, 3)
    .option('--regions <n>', 'Regions per account', wholeNumber, 1)
    .option('--days <n>', 'dated daily snapshots in which the fleet evolves', wholeNumber, 1)
    .option('--seed <n>', 'random seed: the same seed writes the same bytes', wholeNumber, 1)
    .option('--at <iso>', 'time of the (last) snapshot, e.g. 2026-10-31T23:00:00Z (default: today 00:00 UTC)')
    .option('--prefix <prefix>', 'sync prefix before the AWS:<Type>/ folders')
    .option(
      '--unmanaged-pct <pct>',
      'share of nodes (0-100) that are EC2 instances with no working SSM Agent, listed only in AWS Config snapshots under AWSLogs/',
      percentage,
      0,
    )
    .option(
      '--quirks',
      'add the robustness layer: BOMs, CRLF, key casing, upper-case states, numeric counts, empty objects (off: exactly what the SSM Agent writes)',
    )
    .option(
      '--catalogue',
      'also write the patch catalogue as `collect` would: every version of every patch with its release date',
    )
    .action(
      async (
        options: {
          nodes: number;
          accounts: number;
          regions: number;
          days: number;
          seed: number;
          at?: string;
          prefix?: string;
          unmanagedPct: number;
          quirks?: boolean;
          catalogue?: boolean;
        },
        command: Command,
      ) => {
        const { out } = command.optsWithGlobals<GlobalOptions>();
        if (!out) {
          throw new PatchboardError(
            'USAGE',
            'generate needs --out <dir>: the folder for the bucket copy and its ground truth.',
          );
        }
        const { generateFleet } = await import('@patchboard/generator');
        const progress = startProgress('Generating');
        const summary = await generateFleet({
          outDir: out,
          nodes: options.nodes,
          accounts: options.accounts,
          regions: options.regions,
          days: options.days,
          seed: options.seed,
          unmanagedPct: options.unmanagedPct,
          quirks: options.quirks === true,
          catalogue: options.catalogue === true,
          ...(options.at ? { at: options.at } : {}),
          ...(options.prefix ? { prefix: options.prefix } : {}),
          onProgress: (done, total) => progress.update(done, total, 'nodes'),
        });
        progress.stop();
        process.stderr.write(
          `Generated ${summary.nodes} nodes${summary.unmanaged > 0 ? ` (${summary.unmanaged} EC2 instances without an agent, in AWS Config snapshots only)` : ''}: ${summary.files} files, ${(summary.bytes / 1e6).toFixed(1)} MB in ${summary.bucketDir} (${summary.snapshots.length} snapshot${summary.snapshots.length === 1 ? '' : 's'}); ground truth in ${summary.truthDir}\n`,
        );
      },
    );
}
