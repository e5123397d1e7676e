/**
 * `patchboard report team-environment` as a person sees it: in a terminal (util-linux `script` gives the CLI a
 * pseudo-terminal, `stty cols` its width) every line fits and the unmanaged-instance list is cut with `…`; a
 * pipe gets the table at its natural width, and JSON the whole values.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateFleet } from '@patchboard/generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATCHBOARD_BIN, runPatchboard } from './support/run-cli.js';

const AT = '2026-10-31T00:00:00Z';
let dir: string;
let db: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-terminal-table-'));
  await generateFleet({ outDir: dir, nodes: 200, seed: 5, at: AT, unmanagedPct: 12.5, hostileTags: false });
  db = join(dir, 'p.duckdb');
  expect((await runPatchboard('ingest', join(dir, 'bucket'), '--db', db)).code).toBe(0);
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const args = () => ['--db', db, '--now', AT, 'report', 'team-environment'];

/** What a terminal of `columns` columns receives, colours taken out. */
async function onTerminal(columns: number): Promise<string> {
  const command = [process.execPath, PATCHBOARD_BIN, ...args()].map((arg) => `'${arg}'`).join(' ');
  const { stdout } = await promisify(execFile)(
    'script',
    ['-q', '-e', '-c', `stty cols ${columns}; ${command}`, '/dev/null'],
    { timeout: 60_000 },
  );
  // eslint-disable-next-line no-control-regex -- the table's own colours take no columns
  return stdout.replaceAll(/\u001b\[[\d;]*m/g, '').replaceAll(/\r+\n/g, '\n');
}

const tableLines = (text: string) => text.split('\n').filter((line) => /^[┌│├└]/.test(line));
const lastCell = (line: string) => line.split('│').at(-2)?.trim() ?? '';

describe('team-environment in a terminal', () => {
  let whole: { team: string; environment: string; unmanaged_instances: string | null }[];
  beforeAll(async () => {
    const json = await runPatchboard(...args(), '--format', 'json');
    whole = (JSON.parse(json.stdout) as { rows: typeof whole }).rows;
    // The list that made every row wrap, longer than the 80 characters even a pipe's table shows of it.
    expect(Math.max(...whole.map((r) => r.unmanaged_instances?.length ?? 0))).toBeGreaterThan(80);
  });

  it.each([80, 160])('fits %i columns, each cut list a prefix of the whole one', async (columns) => {
    const lines = tableLines(await onTerminal(columns));
    // Top, header, the header's rule, one line per row (no rules between rows), bottom.
    expect(lines).toHaveLength(whole.length + 4);
    expect(lines.every((line) => line.length === columns)).toBe(true);
    const rows = lines.slice(3, -1);
    let cut = 0;
    for (const [index, line] of rows.entries()) {
      const shown = lastCell(line);
      const value = whole[index]?.unmanaged_instances ?? '';
      if (shown.endsWith('…')) {
        cut++;
        expect(value.startsWith(shown.slice(0, -1))).toBe(true);
      } else expect(shown).toBe(value);
    }
    expect(cut).toBeGreaterThan(0);
  });

  it('a pipe gets the natural width: each list cut only at 80 characters', async () => {
    const { stdout } = await runPatchboard(...args());
    const lines = tableLines(stdout);
    expect(lines).toHaveLength(whole.length + 4);
    const longest = whole.find((r) => (r.unmanaged_instances?.length ?? 0) > 80)!;
    const row = lines.slice(3, -1)[whole.indexOf(longest)]!;
    expect(lastCell(row)).toBe(`${longest.unmanaged_instances!.slice(0, 79)}…`);
    expect(lines[0]!.length).toBeGreaterThan(160);
  });
});
