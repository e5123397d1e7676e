/**
 * A collection killed with SIGKILL half-way (no chance to tidy up) goes on when run again: the nodes it had
 * finished are not fetched again, and the folder ends byte for byte as an uninterrupted collection writes it.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { STATE_FOLDER } from '../src/collect/bucket-writer.js';
import { collectFleet } from '../src/collect/collector.js';
import {
  ACCOUNT,
  FLEET,
  installMocks,
  mock,
  options,
  ssmMock,
  stsMock,
  tree,
} from './support/mock-ssm-fleet.js';

const CHILD = join(import.meta.dirname, 'support', 'collect-child.ts');
let dir: string;
afterAll(async () => {
  ssmMock.restore();
  stsMock.restore();
  await rm(dir, { recursive: true, force: true });
});

async function journal(outDir: string, region: string): Promise<string[]> {
  try {
    const text = await readFile(join(outDir, STATE_FOLDER, ACCOUNT, `${region}.done`), 'utf8');
    return text.split('\n').filter((line) => line !== '');
  } catch {
    return [];
  }
}

it('survives kill -9 in the middle of a Region', async ({ task }) => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-collect-kill-'));
  const whole = join(dir, 'whole');
  installMocks();
  await collectFleet(options(whole));
  const expected = await tree(whole);

  const killed = join(dir, 'killed');
  const child = spawn(
    process.execPath,
    ['--conditions=@patchboard/source', '--import', 'tsx', CHILD, killed],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Wait (at most 60 s) until ten eu-west-1 nodes are done, then kill without warning.
  const deadline = Date.now() + 60_000;
  while ((await journal(killed, 'eu-west-1')).length < 10) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`the child did not get far: ${stderr}`);
    await sleep(10);
  }
  child.kill('SIGKILL');
  await exited;
  const done = new Set(await journal(killed, 'eu-west-1'));
  const all = FLEET['eu-west-1']!.map((n) => n.info.InstanceId!);
  expect(done.size).toBeGreaterThanOrEqual(10);
  expect(done.size).toBeLessThan(all.length);
  expect(await tree(killed)).not.toEqual(expected);

  installMocks();
  const summary = await collectFleet(options(killed));
  expect(summary.resumed).toBe(true);
  const fetched = mock.requests.filter(
    (r) => r.command === 'DescribeInstancePatches' && r.input.NextToken === undefined,
  );
  expect(fetched.map((r) => r.input.InstanceId).sort()).toEqual(all.filter((id) => !done.has(id)).sort());
  expect(await tree(killed)).toEqual(expected);
  task.meta.figures = { area: 'kill -9 during collect', faults: 1 };
}, 90_000);
