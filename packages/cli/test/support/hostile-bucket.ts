/**
 * The handmade bucket with its nodes' tags replaced by values an attacker who may tag one instance can plant:
 * teams named like members of Object.prototype, a 200,000-character name, terminal control sequences,
 * Markdown markup, bidi and zero-width characters, and cells a spreadsheet could read as a formula.
 */
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Evaluation time for the bucket's data (captured 2026-10-30). */
export const AT = '2026-10-31T00:00:00Z';
export const LONG = 'x'.repeat(200_000);
/** OSC 8 hyperlink, window title, a one-character CSI (U+009B), clear screen, colour, a bare carriage return. */
export const TERMINAL =
  '\u001b]8;;https://example.invalid/\u0007click\u001b]8;;\u0007\u001b]0;owned\u0007\u009b2J\u001b[31mred\rok';
export const MARKDOWN =
  '[a](javascript:alert(1)) ![p](https://example.invalid/p.png) <b>b</b> <!-- c --> *e* _e_ `c` ~~s~~ ' +
  'https://example.invalid/x www.example.invalid me@example.invalid &amp; $x$ [^1] a|b \\*';
export const BIDI = 'invoice\u202Etxt.exe ad\u200Bmin';
/** A line of a chart label is exactly `__proto__` when an environment starts with a line break. */
export const NODES: Record<string, { account: string; region: string; tags: Record<string, string> }> = {
  'i-0a0000000000000a1': {
    account: '111111111111',
    region: 'us-east-1',
    tags: { Name: 'plain', Team: '__proto__', Environment: '\n__proto__' },
  },
  'i-0a0000000000000a2': {
    account: '111111111111',
    region: 'us-east-1',
    tags: { Name: TERMINAL, Team: 'constructor', Environment: ' =1+1' },
  },
  'i-0a0000000000000a3': {
    account: '022222222222',
    region: 'eu-west-1',
    tags: { Name: MARKDOWN, Team: 'toString', Environment: '\u00a0@SUM(1)' },
  },
  'i-0a0000000000000a4': {
    account: '022222222222',
    region: 'eu-west-1',
    tags: { Name: BIDI, Team: 'data', Environment: '\uff1d1+1' },
  },
  'i-0a0000000000000a6': {
    account: '022222222222',
    region: 'eu-west-1',
    tags: { Name: LONG, Team: 'data', Environment: 'dev\n=1+1' },
  },
};

/** Writes the bucket into `bucket` (a new folder). */
export async function writeHostileBucket(bucket: string): Promise<void> {
  await cp(join(import.meta.dirname, '..', 'fixtures', 'handmade-bucket'), bucket, { recursive: true });
  for (const [node, { account, region, tags }] of Object.entries(NODES)) {
    const key = `AWS:Tag/accountid=${account}/region=${region}/resourcetype=ManagedInstanceInventory/${node}.json`;
    const lines = Object.entries(tags).map(([Key, Value]) =>
      JSON.stringify({ Key, Value, resourceId: node, captureTime: '2026-10-30T02:03:11Z' }),
    );
    await mkdir(dirname(join(bucket, key)), { recursive: true });
    await writeFile(join(bucket, key), lines.join('\n'));
  }
}
