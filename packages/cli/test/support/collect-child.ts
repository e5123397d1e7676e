/**
 * A collection of the mocked fleet in a process of its own, with a slow DescribeInstancePatches, for a test to
 * kill half-way: `node --conditions=@patchboard/source --import tsx collect-child.ts <out-dir>`.
 */
import { collectFleet } from '../../src/collect/collector.js';
import { installMocks, mock, options } from './mock-ssm-fleet.js';

const outDir = process.argv[2];
if (!outDir) throw new Error('usage: collect-child.ts <out-dir>');
installMocks();
mock.patchesDelayMs = 25;
await collectFleet(options(outDir, { concurrency: 2 }));
