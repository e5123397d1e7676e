/**
 * Delivery for real, on loopback: an SMTP server and a webhook receiver run in this process, the CLI sends to
 * them from its own, and what arrived is parsed and compared with what the reports say.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'patchboard.js');
const FIXTURE = join(import.meta.dirname, 'fixtures', 'handmade-bucket');
const NOW = '2026-10-31T00:00:00Z';
const PASSWORD = 's3cret-pass-9f2';
const HOOK_TOKEN = 'T000/B000/XXXXSECRETXXXX';

let dir: string;
let db: string;
let smtp: SMTPServer;
let smtpPort: number;
const mails: ParsedMail[] = [];
const logins: { username?: string | null; password?: string | null }[] = [];
let hook: Server;
let hookPort: number;
const posts: { path: string; body: unknown }[] = [];
/** Status codes the receiver answers with, in turn; 200 when empty. */
let answers: number[] = [];

async function patchboard(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-notify-'));
  db = join(dir, 'p.duckdb');
  expect((await patchboard({}, 'ingest', FIXTURE, '--db', db)).code).toBe(0);
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      logins.push({ username: auth.username, password: auth.password });
      callback(null, { user: auth.username });
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  hook = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      posts.push({ path: request.url ?? '', body: JSON.parse(body) as unknown });
      response.statusCode = answers.shift() ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookPort = (hook.address() as AddressInfo).port;
  await writeFile(
    join(dir, 'config.yaml'),
    `notify:
  smtp: { from: "Patchboard <patchboard@example.com>", urlEnv: TEST_SMTP_URL }
  email:
    to: [ops@example.com]
    teams: { payments: [payments-lead@example.com] }
  webhooks:
    - { name: chat, urlEnv: TEST_HOOK_URL, format: slack }
    - { name: archive, urlEnv: TEST_HOOK_URL, format: json }
`,
  );
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => smtp.close(resolve as () => void));
  await new Promise((resolve) => hook.close(resolve));
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  mails.length = 0;
  posts.length = 0;
  logins.length = 0;
  answers = [];
});

const env = () => ({
  TEST_SMTP_URL: `smtp://reporter:${PASSWORD}@127.0.0.1:${smtpPort}?ignoreTLS=true`,
  TEST_HOOK_URL: `http://127.0.0.1:${hookPort}/services/${HOOK_TOKEN}`,
});
const common = () => ['--db', db, '--config', join(dir, 'config.yaml'), '--now', NOW];

describe('notify', () => {
  it('e-mails one message per team, each with only its rows, to that team’s recipients', async () => {
    const all = await patchboard({}, 'report', 'node-compliance', '--format', 'json', ...common());
    const rows = (JSON.parse(all.stdout) as { rows: { team: string; node_id: string }[] }).rows;
    const teams = [...new Set(rows.map((r) => r.team))].sort();
    const sent = await patchboard(
      env(),
      'notify',
      '--report',
      'node-compliance',
      '--email',
      '--per-team',
      ...common(),
    );
    expect(sent.code, sent.stderr).toBe(0);
    expect(mails.map((m) => m.subject?.split(' — ')[1]).sort()).toEqual(teams);
    for (const mail of mails) {
      const team = mail.subject?.split(' — ')[1] ?? '';
      const to = (Array.isArray(mail.to) ? mail.to : [mail.to])
        .flatMap((a) => a?.value ?? [])
        .map((a) => a.address);
      expect(to, team).toEqual(team === 'payments' ? ['payments-lead@example.com'] : ['ops@example.com']);
      const csv =
        mail.attachments.find((a) => a.filename === 'node-compliance.csv')?.content.toString() ?? '';
      const nodes = csv
        .trim()
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(',')[2]);
      expect(nodes.sort(), team).toEqual(
        rows
          .filter((r) => r.team === team)
          .map((r) => r.node_id)
          .sort(),
      );
      expect(mail.html || '', team).not.toMatch(/<img|<script/i);
    }
    // The credentials from the environment reached the server, and nothing printed them.
    expect(logins.length).toBeGreaterThan(0);
    for (const login of logins) expect(login).toEqual({ username: 'reporter', password: PASSWORD });
    expect(sent.stderr).toContain(
      `as ${teams.length} team messages: ${teams.length} e-mails to 2 recipients`,
    );
    expect(sent.stdout + sent.stderr).not.toContain(PASSWORD);
  });

  it('posts to Slack with the data escaped, retrying once after a server error', async () => {
    answers = [500];
    const sent = await patchboard(
      env(),
      'notify',
      '--report',
      'node-compliance',
      '--webhook',
      'chat',
      ...common(),
    );
    expect(sent.code, sent.stderr).toBe(0);
    expect(posts).toHaveLength(2);
    expect(posts[0]?.path).toBe(`/services/${HOOK_TOKEN}`);
    const { text } = posts[1]?.body as { text: string };
    expect(text).toContain('*Node compliance*');
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(text).not.toContain('<img');
  });

  it('posts the JSON document to a JSON webhook', async () => {
    const sent = await patchboard(
      env(),
      'notify',
      '--report',
      'fleet-summary',
      '--webhook',
      'archive',
      ...common(),
    );
    expect(sent.code, sent.stderr).toBe(0);
    const report = await patchboard({}, 'report', 'fleet-summary', '--format', 'json', ...common());
    expect(posts[0]?.body).toEqual({ ...(JSON.parse(report.stdout) as object), team: null });
  });

  it('fails clearly when the webhook keeps failing, without its secret URL', async () => {
    answers = [503, 503];
    const sent = await patchboard(
      env(),
      'notify',
      '--report',
      'fleet-summary',
      '--webhook',
      'chat',
      ...common(),
    );
    expect(sent.code).toBe(1);
    expect(sent.stderr).toContain(
      `Posting to webhook chat at TEST_HOOK_URL (http://127.0.0.1:${hookPort}) failed: HTTP 503 Service Unavailable`,
    );
    expect(sent.stderr).not.toContain(HOOK_TOKEN);
    expect(posts).toHaveLength(2);
  });

  it('attaches an audit pack checked against its manifest, and refuses a changed one', async () => {
    const pack = join(dir, 'pack');
    expect(
      (await patchboard({}, 'audit-pack', '--month', '2026-10', '--out', pack, '--no-pdf', ...common())).code,
    ).toBe(0);
    const sent = await patchboard(
      env(),
      'notify',
      '--report',
      'team-environment',
      '--email',
      '--audit-pack',
      pack,
      ...common(),
    );
    expect(sent.code, sent.stderr).toBe(0);
    // The report's own CSV first, then the pack's document, tables and manifest.
    expect(mails[0]?.attachments.map((a) => a.filename)[0]).toBe('team-environment.csv');
    expect(
      mails[0]?.attachments
        .map((a) => a.filename)
        .slice(1)
        .sort(),
    ).toEqual([
      'baselines.csv',
      'instances.csv',
      'manifest.json',
      'overdue-patches.csv',
      'patch-evidence.csv',
      'report.html',
      'sla.csv',
      'summary.csv',
      'team-environment.csv',
      'time-to-remediate.csv',
    ]);
    await appendFile(join(pack, 'summary.csv'), '9,9,9\r\n');
    const refused = await patchboard(
      env(),
      'notify',
      '--report',
      'team-environment',
      '--email',
      '--audit-pack',
      pack,
      ...common(),
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/summary\.csv does not match the SHA-256 in the pack's manifest/);
    expect(mails).toHaveLength(1);
  });

  it('says which variable is missing', async () => {
    const sent = await patchboard({}, 'notify', '--report', 'fleet-summary', '--email', ...common());
    expect(sent.code).toBe(1);
    expect(sent.stderr).toContain('The environment variable TEST_SMTP_URL (the SMTP server) is not set');
  });
});
