/**
 * A bucket copy written by someone who means harm, or by a broken writer: each case with the outcome expected.
 * The ingest must finish, report every bad record with its file, line and reason, and keep every valid one.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { QueryEngine } from '@patchboard/core';
import { DuckDbQueryEngine, ingest, type IngestSummary, openDatabase } from '@patchboard/engine-duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFolderSource } from '../src/sources/local-folder.js';

const ACCOUNT = '044444444444';
const folder = (type: string) =>
  `${type}/accountid=${ACCOUNT}/region=eu-west-1/resourcetype=ManagedInstanceInventory`;
const A = 'i-0aaaaaaaaaaaaaaa1';
const B = 'i-0bbbbbbbbbbbbbbb2';
const TAGS_A = `${folder('AWS:Tag')}/${A}.json`;
const CAPTURED = '2026-10-30T02:03:11Z';
const tag = (Key: unknown, Value: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ Key, Value, resourceId: A, captureTime: CAPTURED, ...extra });
const EMPTY_FILES = 10_000;
const DEPTH = 100_000;

/** The lines of node A's tag file, each with what must become of it. */
const LINES: { text: string | Uint8Array; row?: [unknown, unknown]; error?: RegExp }[] = [
  { text: tag('Team', 'payments'), row: ['Team', 'payments'] },
  { text: '{"Key": "Owner", "Value": "trunc', error: /not valid JSON/ },
  { text: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), error: /not valid UTF-8/ },
  {
    // JSON.parse takes a hundred thousand levels; the list is not a tag value, so the field is emptied.
    text: `{"Key":"Deep","Value":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)},"resourceId":"${A}"}`,
    row: ['Deep', null],
    error: /field Value: expected a single value/,
  },
  {
    text: tag({ nested: true }, 5, { captureTime: '30/10/2026 02:03' }),
    row: [null, '5'],
    error: /field Key: expected a single value/,
  },
  {
    text: tag('Future', 'x', { captureTime: '2099-01-01T00:00:00Z' }),
    row: ['Future', 'x'],
    error: /future/,
  },
  { text: tag('Other', 'node', { resourceId: B }), error: /does not match the node/ },
  { text: tag('Team', 'payments'), row: ['Team', 'payments'] },
  {
    text: tag('Environment', '<img src=x onerror=alert(1)>'),
    row: ['Environment', '<img src=x onerror=alert(1)>'],
  },
];

let dir: string;
let engine: QueryEngine;
let summary: IngestSummary;
const rows = async (sql: string, ...parameters: (string | number)[]) =>
  (await engine.run({ sql, parameters })).rows;

async function put(key: string, body: string | Uint8Array) {
  const path = join(dir, 'bucket', ...key.split('/'));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, body);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-hostile-'));
  const encoder = new TextEncoder();
  const parts = LINES.flatMap((line, i) => [
    typeof line.text === 'string' ? encoder.encode(line.text) : line.text,
    ...(i < LINES.length - 1 ? [encoder.encode('\n')] : []),
  ]);
  await put(TAGS_A, Buffer.concat(parts));
  // One line of 50 MB: a valid record with a 50 MB value.
  await put(`${folder('AWS:Tag')}/${B}.json`, tag('Huge', 'x'.repeat(50 * 1024 * 1024), { resourceId: B }));
  // Types Patchboard does not store, keys outside the layout, names that try to climb out.
  await put(`${folder('AWS:NoSuchType')}/${A}.json`, tag('x', 'y'));
  await put('notes/readme.txt', 'not inventory');
  await put(
    `AWS:Tag/accountid=123/region=eu-west-1/resourcetype=ManagedInstanceInventory/${A}.json`,
    tag('a', 'b'),
  );
  await put(`${folder('AWS:Tag')}/...json`, tag('dots', 'x'));
  await put(`${folder('AWS:Tag')}/.hidden.json`, tag('dots', 'x'));
  // A link to a file outside the bucket, named like a node's file: never followed.
  await mkdir(join(dir, 'outside'), { recursive: true });
  await writeFile(
    join(dir, 'outside', 'secret.json'),
    tag('Secret', 'must not be read', { resourceId: 'i-0ccccccccccccccc3' }),
  );
  await symlink(
    join(dir, 'outside', 'secret.json'),
    join(dir, 'bucket', ...`${folder('AWS:Tag')}/i-0ccccccccccccccc3.json`.split('/')),
  );
  // Ten thousand empty files.
  for (let i = 0; i < EMPTY_FILES; i += 1) {
    await put(`${folder('AWS:Application')}/i-${i.toString(16).padStart(17, '0')}.json`, '');
  }
  const db = await openDatabase(join(dir, 'p.duckdb'));
  engine = new DuckDbQueryEngine(db);
  summary = await ingest(db.connection, new LocalFolderSource(join(dir, 'bucket')));
}, 240_000);

afterAll(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a hostile bucket', () => {
  it('keeps every valid tag line of node A, in order, with what could be read of half-valid ones', async () => {
    const stored = await rows(`SELECT key, value FROM aws_tag WHERE resourceid = ? ORDER BY rowid`, A);
    expect(stored.map((r) => [r.key, r.value])).toEqual(LINES.flatMap((l) => (l.row ? [l.row] : [])));
  });

  it('reports each bad line of the file by number with a reason that says what was wrong', async ({
    task,
  }) => {
    const errors = await rows(
      `SELECT line, reason FROM ingest_errors WHERE object_key = ? ORDER BY line, reason`,
      TAGS_A,
    );
    const expected = LINES.flatMap((l, i) => (l.error ? [{ line: i + 1, error: l.error }] : []));
    for (const { line, error } of expected) {
      const reasons = errors.filter((e) => e.line === line).map((e) => String(e.reason));
      expect(
        reasons.some((reason) => error.test(reason)),
        `line ${line}: ${reasons.join(' | ')}`,
      ).toBe(true);
    }
    // Nothing is reported for a line that was fine.
    expect(new Set(errors.map((e) => e.line))).toEqual(new Set(expected.map((e) => e.line)));
    const [all] = await rows(`SELECT count(*) AS n FROM ingest_errors`);
    task.meta.figures = {
      area: 'hostile bucket: bad lines, 50 MB line, odd keys, links, 10k empty files',
      // The tag file's lines, the 50 MB line, five keys outside the layout, the link, the empty files.
      cases: LINES.length + 1 + 5 + 1 + EMPTY_FILES,
      errors: Number(all?.n),
    };
  });

  it('refuses a 50 MB line without storing it, and names the file', async () => {
    expect(await rows(`SELECT * FROM aws_tag WHERE resourceid = ?`, B)).toEqual([]);
    const [error] = await rows(
      `SELECT line, reason FROM ingest_errors WHERE object_key LIKE ?`,
      `%/${B}.json`,
    );
    expect(error).toMatchObject({ line: 1 });
    expect(String(error?.reason)).toMatch(/52,428,8\d\d characters, over the 1,000,000/);
  });

  it('skips unknown types, keys outside the layout and dotted names; never follows a link', async () => {
    // readme, unknown type, bad account, `...json`, `.hidden.json`; the link is not even listed.
    expect(summary.objectsSkipped).toBe(5);
    expect(await rows(`SELECT * FROM aws_tag WHERE value = 'must not be read' OR key = 'dots'`)).toEqual([]);
    expect(await rows(`SELECT * FROM source_objects WHERE object_key LIKE '%i-0ccccccccccccccc3%'`)).toEqual(
      [],
    );
  });

  it('reads ten thousand empty files as nodes with nothing to say', async () => {
    const [objects] = await rows(
      `SELECT count(*) AS n, sum(records) AS records, sum(errors) AS errors FROM source_objects WHERE type_name = 'AWS:Application'`,
    );
    expect(objects).toEqual({ n: EMPTY_FILES, records: 0, errors: 0 });
  });

  it('does not let a record dated 2099 become the data’s cut-off', async () => {
    const [run] = await rows(`SELECT strftime(data_time, '%Y-%m-%dT%H:%M:%SZ') AS data_time FROM ingests`);
    expect(run?.data_time).toBe(CAPTURED);
  });
});
