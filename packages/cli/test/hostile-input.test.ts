/**
 * A bucket copy written by someone who means harm, or by a broken writer: each case with the outcome expected.
 * The ingest must finish, report every bad record with its file, line and reason, and keep every valid one.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { QueryEngine } from '@patchboard/core';
import { DuckDbQueryEngine, ingest, type IngestSummary, openDatabase } from '@patchboard/engine-duckdb';
import { parse } from 'csv-parse/sync';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFolderSource } from '../src/sources/local-folder.js';
import { AT, LONG, MARKDOWN, NODES, TERMINAL, writeHostileBucket } from './support/hostile-bucket.js';
import { PATCHBOARD_BIN, runPatchboard } from './support/run-cli.js';

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

/**
 * Values an attacker who may tag one instance can plant, through every output. The handmade bucket with its
 * nodes' tags replaced; every command runs as its own process, as a user runs it.
 */
describe('hostile values in every output', () => {
  let work: string;
  let db: string;
  const report = (...args: string[]) =>
    runPatchboard('--db', db, '--now', AT, 'report', 'node-compliance', ...args);
  const files = new Map<string, Promise<string>>();
  /** The report written to a file with --out (once per format). */
  const written = (format: string) => {
    const out = join(work, `nodes.${format}`);
    if (!files.has(format)) {
      files.set(
        format,
        report('--format', format, '--out', out).then(() => readFile(out, 'utf8')),
      );
    }
    return files.get(format)!;
  };
  /** What a terminal receives: the CLI on a pseudo-terminal (util-linux `script`), its transcript. */
  const onTerminal = async (format: string) => {
    const command = [process.execPath, PATCHBOARD_BIN, '--db', db, '--now', AT, 'report', 'node-compliance']
      .concat(['--format', format])
      .map((arg) => `'${arg}'`)
      .join(' ');
    const { stdout } = await promisify(execFile)('script', ['-q', '-e', '-c', command, '/dev/null'], {
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
    });
    // The terminal's own line discipline turns each LF into CRLF.
    return stdout.replaceAll(/\r+\n/g, '\n');
  };
  const rowOf = (rows: Record<string, unknown>[], node: string) => rows.find((r) => r.node_id === node);

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'patchboard-hostile-values-'));
    const bucket = join(work, 'bucket');
    await writeHostileBucket(bucket);
    db = join(work, 'p.duckdb');
    expect((await runPatchboard('ingest', bucket, '--db', db)).code).toBe(0);
  }, 120_000);
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('writes the audit pack with its PDF when a team is __proto__ (Chromium, after the charts)', async () => {
    const pack = join(work, 'pack');
    // The team's pack: its Team x Environment chart has the label. (The 200,000-character name is another
    // team's: Chromium takes a minute to lay it out in the PDF.)
    const made = await runPatchboard(
      '--db',
      db,
      '--now',
      AT,
      'audit-pack',
      '--month',
      '2026-10',
      '--team',
      '__proto__',
      '--out',
      pack,
    );
    expect(made.stderr).toMatch(/^Wrote the 2026-10 audit pack for team __proto__ to .*: 19 files/);
    expect(made.code).toBe(0);
    const pdf = await readFile(join(pack, 'report.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { stdout: text } = await promisify(execFile)('pdftotext', [join(pack, 'report.pdf'), '-'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(text).toContain('__proto__');
  }, 120_000);

  it('keeps whole values in JSON and CSV files, byte for byte as a pipe gets them', async () => {
    for (const format of ['json', 'csv', 'md']) {
      const piped = await report('--format', format);
      expect(piped.stdout === (await written(format)), format).toBe(true);
    }
    const { rows } = JSON.parse(await written('json')) as { rows: Record<string, unknown>[] };
    for (const [node, { tags }] of Object.entries(NODES)) {
      expect(rowOf(rows, node), node).toMatchObject({ name: tags.Name, team: tags.Team });
    }
    const csv = parse<Record<string, string>>(await written('csv'), { columns: true });
    const cell = (node: string, column: string) => rowOf(csv, node)?.[column];
    expect(cell('i-0a0000000000000a6', 'name') === LONG).toBe(true);
    expect(cell('i-0a0000000000000a2', 'name')).toBe(TERMINAL);
  }, 120_000);

  it('guards CSV cells that start, after white space or a line break, with a formula character', async () => {
    const csv = parse<Record<string, string>>(await written('csv'), { columns: true });
    const environments: Record<string, string | undefined> = {};
    for (const row of csv) environments[row.node_id ?? ''] = row.environment;
    expect(environments).toMatchObject({
      'i-0a0000000000000a1': "'\n__proto__",
      'i-0a0000000000000a2': "' =1+1",
      'i-0a0000000000000a3': "'\u00a0@SUM(1)",
      'i-0a0000000000000a4': "'\uff1d1+1",
      'i-0a0000000000000a6': "'dev\n=1+1",
    });
  });

  it('caps every table cell at 80 characters: one 200,000-character name stays one 82-column cell', async () => {
    const started = performance.now();
    const { code, stdout } = await report('--format', 'table');
    const elapsedMs = performance.now() - started;
    expect(code).toBe(0);
    const [top, header] = stdout.split('\n');
    const widths = top!
      .slice(1, -1)
      .split('┬')
      .map((segment) => segment.length);
    const columns = header!
      .slice(1, -1)
      .split('│')
      .map((name) => name.trim());
    // The cell's 80 characters and one space each side.
    expect(widths[columns.indexOf('name')]).toBe(82);
    expect(stdout.includes(`│ ${'x'.repeat(79)}… │`)).toBe(true);
    expect(stdout.includes('x'.repeat(80))).toBe(false);
    // No line is wider than the header (a full-width `＝` takes two columns, so its line is one shorter).
    const lines = stdout.split('\n').filter((line) => /^[┌│├└]/.test(line));
    expect(Math.max(...lines.map((line) => line.length))).toBe(top!.length);
    expect(stdout.length).toBeLessThan(lines.length * (top!.length + 1) + 100);
    // A process start and a query: seconds, where the uncapped table took 20 s.
    expect(elapsedMs).toBeLessThan(10_000);
  });

  it('sends no control or invisible character to a terminal, in any format', async () => {
    const unsafe =
      // eslint-disable-next-line no-control-regex -- the point is that none reach the terminal
      /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;
    for (const format of ['csv', 'md', 'json', 'ndjson', 'table']) {
      const shown = await onTerminal(format);
      // The table's own colours are the only escape sequences a terminal gets: SGR, `ESC [ … m`.
      // eslint-disable-next-line no-control-regex -- the table's own colours
      const text = format === 'table' ? shown.replaceAll(/\u001b\[[\d;]*m/g, '') : shown;
      expect(text.match(unsafe)?.[0], format).toBeUndefined();
      // Shown escaped (Markdown also escapes `[`, `]` and `:`, and makes the carriage return a space; the
      // table cuts the escaped name at 80 characters, before the CSI).
      const escapes = ['\\u001b', '\\u0007click', 'invoice\\u202etxt.exe ad\\u200bmin'];
      for (const shownAs of format === 'table' ? escapes : [...escapes, '\\u009b2J']) {
        expect(text.includes(shownAs), `${format}: ${shownAs}`).toBe(true);
      }
      if (format === 'json') {
        // Escaped with JSON's own escapes: what a terminal shows parses to the same values.
        expect(JSON.parse(text)).toEqual(JSON.parse(await written('json')));
      }
    }
  }, 120_000);

  it('renders Markdown cells as their characters: no link, image, HTML, comment, emphasis or code', async () => {
    const markdown = new MarkdownIt({ html: true, linkify: true });
    // GFM's extended autolinks: www., scheme:// and e-mail addresses, not bare domain names.
    markdown.linkify.set({ fuzzyLink: false });
    const html = markdown.render(await written('md'));
    expect(html).toContain('<table>');
    expect(html).not.toMatch(/<(a|img|b|code|em|strong|s|del|sup)\b|<!--/);
    const cells = [...html.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) =>
      (m[1] ?? '')
        .replaceAll('&lt;', '<')
        .replaceAll('&gt;', '>')
        .replaceAll('&quot;', '"')
        .replaceAll('&amp;', '&'),
    );
    expect(cells).toContain(MARKDOWN);
    expect(cells).toContain('__proto__');
  });
});
