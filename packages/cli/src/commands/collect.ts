import type { Command } from 'commander';
import { PatchboardError } from '@patchboard/core';
import type { GlobalOptions } from '../context.js';
import { startProgress } from '../progress.js';
import { wholeNumber } from './options.js';

/** `--regions us-east-1,eu-west-1` -> the Region list, each checked for the shape of a Region name. */
export function parseRegions(value: string): string[] {
  const regions = [
    ...new Set(
      value
        .split(',')
        .map((r) => r.trim())
        .filter((r) => r !== ''),
    ),
  ];
  const bad = regions.find((r) => !/^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/.test(r));
  if (regions.length === 0 || bad !== undefined) {
    throw new PatchboardError(
      'USAGE',
      `--regions ${JSON.stringify(value)} is not a list of Regions${bad ? ` (${JSON.stringify(bad)})` : ''}; give e.g. --regions us-east-1,eu-west-1.`,
    );
  }
  return regions;
}

export function registerCollect(program: Command): void {
  program
    .command('collect')
    .description(
      'Write a copy of what Resource Data Sync would write, read from the SSM (and EC2) APIs of one account (for accounts without a sync); then ingest the folder',
    )
    // `--out <dir>` is the global option: here it names the folder to write.
    .addHelpText(
      'after',
      '\nWrites <--out dir>/AWS:<Type>/accountid=…/region=…/resourcetype=ManagedInstanceInventory/<node>.json and\n' +
        '<dir>/Custom:PatchboardCatalogue/… (the patch catalogue), <dir>/Custom:PatchboardEc2Instance/… and Custom:PatchboardEc2Tag/…\n' +
        '(every EC2 instance and its tags, from DescribeInstances); state in <dir>/.patchboard-collect lets an interrupted run continue.\n' +
        'Then: patchboard ingest <dir>. IAM permissions needed: docs/ingest.md, "Collecting without a Resource Data Sync".',
    )
    .option('--profile <name>', 'AWS profile (default: the SDK chain: AWS_PROFILE, environment, role)')
    .option(
      '--regions <list>',
      'Regions to collect, comma-separated (default: the profile or AWS_REGION Region)',
    )
    .option('--concurrency <n>', 'nodes fetched at once', wholeNumber, 4)
    .option('--max-rps <n>', 'SSM and EC2 requests per second, at most', wholeNumber, 10)
    .option('--no-catalogue', 'skip the patch catalogue (release dates and CVEs per patch)')
    .option(
      '--no-instances',
      'skip the EC2 instance list (DescribeInstances), which counts the instances SSM does not manage',
    )
    .action(
      async (
        options: {
          profile?: string;
          regions?: string;
          concurrency: number;
          maxRps: number;
          catalogue: boolean;
          instances: boolean;
        },
        command: Command,
      ) => {
        const { out } = command.optsWithGlobals<GlobalOptions>();
        if (!out) {
          throw new PatchboardError(
            'USAGE',
            'collect needs --out <dir>: the folder to write the bucket copy to.',
          );
        }
        if (options.concurrency < 1 || options.maxRps < 1) {
          throw new PatchboardError('USAGE', '--concurrency and --max-rps must be at least 1.');
        }
        const regions = options.regions
          ? parseRegions(options.regions)
          : await defaultRegion(options.profile);
        const { createCollectClients } = await import('../collect/clients.js');
        const { collectFleet } = await import('../collect/collector.js');
        const clients = await createCollectClients({
          stsRegion: regions[0]!,
          ...(options.profile ? { profile: options.profile } : {}),
        });
        const progress = startProgress('Collecting');
        try {
          const summary = await collectFleet({
            outDir: out,
            regions,
            clients,
            concurrency: options.concurrency,
            maxRequestsPerSecond: options.maxRps,
            catalogue: options.catalogue,
            instances: options.instances,
            onInstanceProgress: (written, listed) => progress.update(written, listed, 'EC2 instances'),
            onProgress: (done, total) => progress.update(done, total, 'nodes'),
          });
          progress.stop();
          for (const r of summary.regions) {
            const instances =
              r.instances === null
                ? ''
                : `, ${r.instances} EC2 instances (${r.instancesWithoutSsm} not in SSM's node list)`;
            process.stderr.write(
              `Collected account ${summary.accountId} ${r.region}: ${r.nodes} nodes (${r.fetched} fetched now, ${r.alreadyDone} already done), ` +
                `${r.patchItems} patch items, ${r.cataloguePatches} catalogue patches${instances}\n`,
            );
          }
          process.stderr.write(
            `Wrote ${summary.outDir}${summary.resumed ? ' (continued an interrupted collection)' : ''}; next: patchboard ingest ${summary.outDir}\n`,
          );
        } finally {
          progress.stop();
        }
      },
    );
}

/** The Region of the profile or environment, as the SDK would pick it, for a collection without --regions. */
async function defaultRegion(profile: string | undefined): Promise<string[]> {
  const { SSMClient } = await import('@aws-sdk/client-ssm');
  let region: string | undefined;
  try {
    region = await new SSMClient(profile ? { profile } : {}).config.region();
  } catch {
    region = undefined;
  }
  if (!region) {
    throw new PatchboardError(
      'USAGE',
      'No Region was given and none is configured; give --regions us-east-1,eu-west-1 (or set AWS_REGION, or a region in the profile).',
    );
  }
  return [region];
}
