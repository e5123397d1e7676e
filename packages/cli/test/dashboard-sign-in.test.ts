/**
 * `patchboard serve` signing people in with a real OpenID Connect provider (`oidc-provider`, on loopback) in
 * Chromium, and behind an AWS Application Load Balancer (its signed `x-amzn-oidc-data` header, with the
 * Region's key served on loopback). A member of team-payments sees payments' nodes only, on every page and
 * in every API answer and download; another team's ids answer 404 or nothing; an admin sees the fleet; someone
 * in no configured group is told why they see nothing; sign-out, a tampered cookie, a replayed sign-in, a
 * forged or expired ALB header are refused; the access log names who asked what.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Provider from 'oidc-provider';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORTS, reportParameterNames } from '@patchboard/core';
import { ingest, openDatabase, closeDatabase } from '@patchboard/engine-duckdb';
import { generateFleet, readTruth } from '@patchboard/generator';
import { resolveContext } from '../src/context.js';
import { startDashboard } from '../src/commands/serve.js';
import { LocalFolderSource } from '../src/sources/local-folder.js';
import { freePort } from './support/swift.js';

const AT = '2026-10-31T00:00:00Z';
const BIN = join(import.meta.dirname, '..', 'bin', 'patchboard.js');
const TEAM = 'payments';
const OTHER = 'checkout';
const CLIENT_SECRET = 'a-client-secret-for-the-loopback-provider';
/** Who the provider knows, and their groups. */
const PEOPLE: Record<string, string[]> = {
  alice: ['team-payments', 'everyone'],
  root: ['platform-security'],
  bob: ['contractors'],
};
const ACCESS = {
  admins: ['platform-security'],
  teams: { payments: ['team-payments'], checkout: ['team-checkout'] },
};

let dir: string;
let db: string;
let dates: string[];
let accessLogFile: string;
let provider: Server;
let dashboard: { url: string; close: () => Promise<void> };
let origin: string;
let browser: Browser;
/** Every node of the fleet as the CLI reports it, and the ids of payments' and of everyone else's. */
let fleet: Record<string, unknown>[];
let ours: Set<string>;
let theirs: Record<string, unknown>[];
/** A patch missing on some of payments' nodes, for the CVE page. */
let patch: string;

/** The CLI in its own process; `--as-of` is also its evaluation time. */
async function cliJson(args: string[], asOf?: string): Promise<{ rows: Record<string, unknown>[] }> {
  const time = asOf === undefined ? ['--now', AT] : ['--as-of', asOf];
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [BIN, '--db', db, ...time, ...args, '--format', 'json'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as { rows: Record<string, unknown>[] };
}

/** Every node id and team value anywhere in an answer but its echo of the parameters asked. */
function idsAndTeams(value: unknown, found = { nodes: new Set<string>(), teams: new Set<string>() }) {
  if (Array.isArray(value)) for (const item of value) idsAndTeams(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'params') continue;
      if (key === 'node_id' && typeof inner === 'string') found.nodes.add(inner);
      else if (key === 'team' && typeof inner === 'string') found.teams.add(inner);
      else idsAndTeams(inner, found);
    }
  }
  return found;
}

/** Signs in through the provider's own pages, as a person would; returns the callback address it came back to. */
async function signIn(context: BrowserContext, login: string): Promise<{ page: Page; callback: string }> {
  const page = await context.newPage();
  let callback = '';
  page.on('request', (request) => {
    if (request.url().includes('/auth/callback')) callback = request.url();
  });
  await page.goto(`${origin}/`);
  // The dashboard sent the browser to the provider's login form.
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any');
  await page.locator('button[type="submit"]').click();
  // The provider asks for consent once per client.
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${origin}/`);
  return { page, callback };
}

const cookieOf = async (context: BrowserContext) => {
  const session = (await context.cookies(origin)).find((c) => c.name === 'patchboard_session');
  return `patchboard_session=${session?.value}`;
};

async function startProvider(port: number, dashboardOrigin: string): Promise<Server> {
  const issuer = `http://127.0.0.1:${port}`;
  const oidc = new Provider(issuer, {
    clients: [
      {
        client_id: 'patchboard',
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${dashboardOrigin}/auth/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { email: ['email'], groups: ['groups'] },
    findAccount: (_context, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: `${id}@example.com`, groups: PEOPLE[id] ?? [] }),
    }),
    cookies: { keys: ['a-cookie-key-for-the-loopback-provider'] },
  });
  const handle = oidc.callback();
  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-sign-in-'));
  dates = (await generateFleet({ outDir: dir, nodes: 150, accounts: 2, days: 3, seed: 29, at: AT }))
    .snapshots;
  db = join(dir, 'p.duckdb');
  const opened = await openDatabase(db);
  for (const date of dates) await ingest(opened.connection, new LocalFolderSource(join(dir, 'days', date)));
  closeDatabase(opened);
  fleet = (await cliJson(['report', 'node-compliance'])).rows;
  ours = new Set(fleet.filter((row) => row.team === TEAM).map((row) => String(row.node_id)));
  theirs = fleet.filter((row) => row.team !== TEAM);
  patch = String((await cliJson(['report', 'missing-patches', '--param', `team=${TEAM}`])).rows[0]?.patch_id);
  // The generator's own record of the fleet agrees on who is payments'.
  const truth = (await readTruth(dir)).nodes;
  expect(ours).toEqual(new Set(truth.filter((node) => node.team === TEAM).map((node) => node.nodeId)));

  const [providerPort, dashboardPort] = [await freePort(), await freePort()];
  origin = `http://127.0.0.1:${dashboardPort}`;
  provider = await startProvider(providerPort, origin);
  accessLogFile = join(dir, 'access.log');
  const config = join(dir, 'patchboard.json');
  await writeFile(
    config,
    JSON.stringify({
      dashboard: {
        publicUrl: origin,
        auth: {
          oidc: {
            issuer: `http://127.0.0.1:${providerPort}`,
            clientId: 'patchboard',
            clientSecretEnv: 'PATCHBOARD_TEST_OIDC_SECRET',
            groupsClaim: 'groups',
            scopes: ['openid', 'email', 'groups'],
          },
        },
        access: ACCESS,
        accessLog: accessLogFile,
      },
    }),
  );
  process.env.PATCHBOARD_TEST_OIDC_SECRET = CLIENT_SECRET;
  dashboard = await startDashboard(await resolveContext({ db, now: AT, config }), {
    host: '127.0.0.1',
    port: dashboardPort,
    token: true,
    fixedTime: true,
  });
  browser = await chromium.launch({
    executablePath: process.env.PATCHBOARD_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  provider?.closeAllConnections();
  await new Promise((resolve) => provider?.close(resolve));
  delete process.env.PATCHBOARD_TEST_OIDC_SECRET;
  await rm(dir, { recursive: true, force: true });
});

describe('OpenID Connect sign-in as a member of team-payments', () => {
  let alice: BrowserContext;
  let page: Page;
  let callback: string;
  let cookie: string;
  const api = (path: string, as = cookie) => fetch(`${origin}${path}`, { headers: { cookie: as } });

  beforeAll(async () => {
    alice = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    ({ page, callback } = await signIn(alice, 'alice'));
    cookie = await cookieOf(alice);
  }, 60_000);

  it('starts the sign-in with PKCE (S256), state and nonce, and keeps the session in a signed HttpOnly cookie', async () => {
    const started = await fetch(`${origin}/auth/login`, { redirect: 'manual' });
    expect(started.status).toBe(302);
    const to = new URL(started.headers.get('location')!);
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(to.searchParams.get('state')?.length).toBeGreaterThanOrEqual(43);
    expect(to.searchParams.get('nonce')?.length).toBeGreaterThanOrEqual(43);
    expect(to.searchParams.get('redirect_uri')).toBe(`${origin}/auth/callback`);
    const session = (await alice.cookies(origin)).find((c) => c.name === 'patchboard_session')!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Lax');
    // hono's signed cookie: the id, a dot, and its HMAC-SHA256 (base64).
    expect(decodeURIComponent(session.value)).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9+/]{43}=$/);
  });

  it('shows only payments’ nodes on every page', async () => {
    const answers: unknown[] = [];
    const refused: string[] = [];
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (!url.pathname.startsWith('/api/')) return;
      if (response.status() === 200) answers.push(response.json().catch(() => undefined));
      else refused.push(`${response.status()} ${url.pathname}`);
    });
    const [summary] = (await cliJson(['report', 'fleet-summary', '--param', `team=${TEAM}`])).rows;
    await page.goto(`${origin}/`);
    await page.getByTestId('kpi-nodes').waitFor();
    expect(await page.getByTestId('kpi-nodes').innerText()).toBe(String(ours.size));
    expect(summary?.nodes).toBe(ours.size);
    expect(await page.getByTestId('viewer').innerText()).toContain(
      `Signed in as alice@example.com · team ${TEAM}`,
    );

    await page.goto(`${origin}/nodes`);
    await page.getByTestId('nodes-total').waitFor();
    expect(await page.getByTestId('nodes-total').innerText()).toBe(String(ours.size));
    // The team filter offers their team only.
    const teamNames = new Set(fleet.map((r) => String(r.team)));
    const offered = await page.getByLabel('team').locator('option').allInnerTexts();
    expect(offered.filter((option) => teamNames.has(option))).toEqual([TEAM]);

    const mine = [...ours][0]!;
    const row = fleet.find((r) => r.node_id === mine)!;
    const pages = [
      '/patches',
      `/cve?patch=${encodeURIComponent(patch)}`,
      '/teams',
      '/trends',
      '/quality',
      `/nodes/${String(row.account_id)}/${String(row.region)}/${mine}`,
    ];
    for (const path of pages) {
      await page.goto(`${origin}${path}`);
      await page.waitForLoadState('networkidle');
    }
    const found = idsAndTeams(await Promise.all(answers));
    expect(found.nodes.size).toBeGreaterThan(0);
    expect([...found.nodes].filter((id) => !ours.has(id))).toEqual([]);
    expect([...found.teams]).toEqual([TEAM]);
    // What the pages were refused is the fleet-wide bookkeeping of refused lines, for admins only.
    expect([...new Set(refused)]).toEqual(['404 /api/reports/ingest-errors']);
  });

  it('answers 404 or nothing for every API route and download given another team’s ids', async () => {
    for (const node of theirs.slice(0, 8)) {
      const path = `/api/nodes/${String(node.account_id)}/${String(node.region)}/${String(node.node_id)}`;
      expect((await api(path)).status, path).toBe(404);
      const searched = (await (await api(`/api/nodes?q=${String(node.node_id)}`)).json()) as {
        total: number;
      };
      expect(searched.total).toBe(0);
    }
    const filtered = (await (await api(`/api/nodes?team=${OTHER}`)).json()) as { total: number };
    expect(filtered.total).toBe(0);
    const csv = await (await api(`/api/nodes?team=${OTHER}&format=csv`)).text();
    expect(csv.trim().split('\n')).toHaveLength(1);

    for (const report of REPORTS) {
      const extra = report.id === 'cve-evidence' ? `&patch=${encodeURIComponent(patch)}` : '';
      const base = `/api/reports/${report.id}?${extra.slice(1)}`;
      if (reportParameterNames(report).includes('team')) {
        for (const format of ['json', 'csv', 'pdf']) {
          const path = `/api/reports/${report.id}?team=${OTHER}${extra}&format=${format}`;
          expect((await api(path)).status, path).toBe(404);
        }
        const response = await api(base);
        expect(response.status, base).toBe(200);
        const found = idsAndTeams(await response.json());
        expect(
          [...found.nodes].filter((id) => !ours.has(id)),
          base,
        ).toEqual([]);
        expect(
          [...found.teams].filter((team) => team !== TEAM),
          base,
        ).toEqual([]);
      } else if (report.id !== 'ingest-runs') {
        expect((await api(base)).status, base).toBe(404);
      }
    }
    const trend = await api(`/api/trend?from=${dates[0]}&team=${OTHER}`);
    expect(trend.status).toBe(404);
    const byTeam = (await (await api(`/api/trend?from=${dates[0]}&by=team`)).json()) as {
      rows: { team: string; nodes: number }[];
    };
    expect(byTeam.rows.length).toBeGreaterThanOrEqual(dates.length);
    expect(new Set(byTeam.rows.map((r) => r.team))).toEqual(new Set([TEAM]));
    expect(byTeam.rows.at(-1)?.nodes).toBe(ours.size);
    // The evidence of the whole history: the CLI's rows of the team's nodes, no more.
    const window = `${dates[0]}T00:00:00Z`;
    const evidence = (await cliJson(['report', 'cve-evidence', '--param', `from=${window}`])).rows;
    const answered = (await (await api(`/api/reports/cve-evidence?from=${window}`)).json()) as {
      rows: Record<string, unknown>[];
    };
    expect(answered.rows).toEqual(evidence.filter((r) => ours.has(String(r.node_id))));
    expect(answered.rows.length).toBeGreaterThan(0);
    expect(answered.rows.length).toBeLessThan(evidence.length);
  });

  it('downloads hold payments’ rows only (CSV and PDF)', async () => {
    const csv = await (await api('/api/reports/node-compliance?format=csv')).text();
    const lines = csv.trim().split('\n');
    expect(lines).toHaveLength(ours.size + 1);
    for (const node of theirs) expect(csv).not.toContain(String(node.node_id));
    const pdf = await api('/api/nodes?format=pdf');
    expect(pdf.status).toBe(200);
    const file = join(dir, 'nodes.pdf');
    await writeFile(file, Buffer.from(await pdf.arrayBuffer()));
    // Table cells wrap long ids over lines, and pdftotext joins a word broken after a hyphen: compare without
    // either.
    const bare = (value: string) => value.replace(/[\s-]+/g, '');
    const text = bare((await promisify(execFile)('pdftotext', [file, '-'])).stdout);
    expect(text).toContain(`${ours.size}rows`);
    for (const id of ours) expect(text).toContain(bare(id));
    for (const node of theirs) expect(text).not.toContain(bare(String(node.node_id)));
  });

  it('looks back (as of a past day) within the team too', async () => {
    const day = dates[0]!;
    const [cliThen] = (
      await cliJson(['report', 'fleet-summary', '--param', `team=${TEAM}`], `${day}T23:59:59Z`)
    ).rows;
    const then = (await (await api(`/api/reports/fleet-summary?asOf=${day}`)).json()) as {
      rows: Record<string, unknown>[];
    };
    expect(then.rows).toEqual([cliThen]);
    const nodesThen = (await (await api(`/api/nodes?asOf=${day}&limit=1000`)).json()) as {
      rows: { team: string }[];
      total: number;
    };
    expect(nodesThen.total).toBe(cliThen?.nodes);
    expect(new Set(nodesThen.rows.map((r) => r.team))).toEqual(new Set([TEAM]));
  });

  it('refuses a tampered cookie, a replayed sign-in and a changed state', async () => {
    const [name, value] = cookie.split('=') as [string, string];
    const flipped = `${name}=${value.slice(0, 5)}${value[5] === 'A' ? 'B' : 'A'}${value.slice(6)}`;
    expect((await api('/api/meta', flipped)).status).toBe(401);
    expect((await api('/api/meta')).status).toBe(200);

    // The callback the browser came back to, asked again: the sign-in it finished is gone.
    const replayed = await alice.request.get(callback, { maxRedirects: 0 });
    expect(replayed.status()).toBe(400);
    expect(((await replayed.json()) as { error: { code: string } }).error.code).toBe('SIGN_IN_VOID');

    // A sign-in started, answered with another state, is refused, and cannot be tried again.
    const started = await fetch(`${origin}/auth/login`, { redirect: 'manual' });
    const signInCookie = started.headers.getSetCookie()[0]!.split(';')[0]!;
    const forged = await fetch(`${origin}/auth/callback?code=abc&state=not-the-state`, {
      headers: { cookie: signInCookie },
      redirect: 'manual',
    });
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { error: { code: string; message: string } }).error.code).toBe(
      'SIGN_IN_FAILED',
    );
    const again = await fetch(`${origin}/auth/callback?code=abc&state=not-the-state`, {
      headers: { cookie: signInCookie },
      redirect: 'manual',
    });
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('SIGN_IN_VOID');
  });

  it('signs out: the session ends on the server, not only in the browser', async () => {
    await page.goto(`${origin}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${origin}/auth/signed-out`);
    expect(await page.locator('body').innerText()).toContain('Signed out of Patchboard');
    // The old cookie, kept by someone, opens nothing any more.
    expect((await api('/api/meta')).status).toBe(401);
    // Opening the dashboard again is a new sign-in (the provider remembers the person): a new session.
    await page.goto(`${origin}/nodes`);
    await page.getByTestId('nodes-total').waitFor();
    expect(await cookieOf(alice)).not.toBe(cookie);
    await alice.close();
  });
});

describe('other people', () => {
  it('an admin sees the whole fleet, every team’s nodes and the fleet-wide reports', async () => {
    const context = await browser.newContext();
    const { page } = await signIn(context, 'root');
    await page.getByTestId('kpi-nodes').waitFor();
    expect(await page.getByTestId('kpi-nodes').innerText()).toBe(String(fleet.length));
    const cookie = await cookieOf(context);
    const node = theirs[0]!;
    const path = `/api/nodes/${String(node.account_id)}/${String(node.region)}/${String(node.node_id)}`;
    expect((await fetch(`${origin}${path}`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${origin}/api/reports/ingest-errors`, { headers: { cookie } })).status).toBe(200);
    const meta = (await (await fetch(`${origin}/api/meta`, { headers: { cookie } })).json()) as {
      nodes: number;
      facets: { team: string[] };
    };
    expect(meta.nodes).toBe(fleet.length);
    expect(meta.facets.team).toEqual([...new Set(fleet.map((r) => String(r.team)))].sort());
    await context.close();
  });

  it('someone in no configured group sees nothing and is told why', async () => {
    const context = await browser.newContext();
    const { page } = await signIn(context, 'bob');
    await expect
      .poll(() => page.getByRole('alert').first().innerText(), { timeout: 20_000 })
      .toContain(
        'You are signed in as bob@example.com, but none of your groups (contractors) is given access',
      );
    const cookie = await cookieOf(context);
    for (const path of [
      '/api/meta',
      '/api/nodes',
      '/api/reports/fleet-summary',
      `/api/trend?from=${dates[0]}`,
    ]) {
      expect((await fetch(`${origin}${path}`, { headers: { cookie } })).status, path).toBe(403);
    }
    await context.close();
  });

  it('the access log names who asked which route, with what, and how many rows came back', async () => {
    const lines = (await readFile(accessLogFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown> & { params: Record<string, unknown> });
    const csv = lines.find(
      (l) =>
        l.route === '/api/reports/node-compliance' &&
        l.params.format === 'csv' &&
        l.params.team === undefined &&
        l.user === 'alice@example.com',
    );
    expect(csv).toMatchObject({ method: 'GET', status: 200, rows: ours.size, params: { format: 'csv' } });
    expect(String(csv?.time)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const foreign = lines.find(
      (l) =>
        l.user === 'alice@example.com' &&
        l.route ===
          `/api/nodes/${String(theirs[0]!.account_id)}/${String(theirs[0]!.region)}/${String(theirs[0]!.node_id)}`,
    );
    expect(foreign).toMatchObject({ status: 404, rows: null });
    const callbacks = lines.filter((l) => l.route === '/auth/callback' && l.status === 303);
    // alice (twice: after signing out she opened the dashboard again), root and bob.
    expect(callbacks.length).toBe(4);
    for (const line of callbacks)
      expect(line.params).toMatchObject({ code: '[redacted]', state: '[redacted]' });
    const admin = lines.find(
      (l) => l.user === 'root@example.com' && l.route === '/api/reports/ingest-errors',
    );
    expect(admin).toMatchObject({ status: 200 });
  });
});

/** An ALB's user-claims token: base64url segments that keep their padding, signed ES256 over them as sent. */
function albToken(key: KeyObject, header: Record<string, unknown>, claims: Record<string, unknown>): string {
  const segment = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64').replaceAll('+', '-').replaceAll('/', '_');
  const input = `${segment(header)}.${segment(claims)}`;
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64').replaceAll('+', '-').replaceAll('/', '_')}`;
}

describe('behind an Application Load Balancer', () => {
  const ARN =
    'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/patchboard/50dc6c495c0c9188';
  const KID = '0b3f7a52-1a4e-4a3c-9d7e-3f1c2b9c8a11';
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let keyServer: Server;
  let alb: { url: string; close: () => Promise<void> };
  let keyRequests: string[];
  const exp = () => Math.floor(Date.now() / 1000) + 120;
  const header = (overrides: Record<string, unknown> = {}) => ({
    typ: 'JWT',
    kid: KID,
    alg: 'ES256',
    iss: 'https://idp.example.com',
    client: 'alb-client',
    signer: ARN,
    exp: exp(),
    ...overrides,
  });
  const claims = (groups: string[], overrides: Record<string, unknown> = {}) => ({
    sub: 'carol',
    email: 'carol@example.com',
    groups,
    exp: exp(),
    iss: 'https://idp.example.com',
    ...overrides,
  });
  const ask = (path: string, token?: string) =>
    fetch(`${alb.url.replace(/\/$/, '')}${path}`, { headers: token ? { 'x-amzn-oidc-data': token } : {} });

  beforeAll(async () => {
    keyRequests = [];
    // The Region's key endpoint: the PEM public key at /<kid>, nothing elsewhere.
    keyServer = createServer((request, response) => {
      keyRequests.push(request.url ?? '');
      if (request.url === `/${KID}`) {
        response.end(keys.publicKey.export({ type: 'spki', format: 'pem' }));
      } else {
        response.statusCode = 404;
        response.end();
      }
    });
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    const port = (keyServer.address() as { port: number }).port;
    const config = join(dir, 'alb.json');
    await writeFile(
      config,
      JSON.stringify({
        dashboard: {
          auth: { alb: { arn: ARN, groupsClaim: 'groups', publicKeysUrl: `http://127.0.0.1:${port}` } },
          access: ACCESS,
        },
      }),
    );
    alb = await startDashboard(await resolveContext({ db, now: AT, config }), {
      host: '127.0.0.1',
      port: 0,
      token: true,
      fixedTime: true,
    });
  }, 60_000);

  afterAll(async () => {
    await alb?.close();
    keyServer?.closeAllConnections();
    await new Promise((resolve) => keyServer?.close(resolve));
  });

  it('takes a team member from a valid header and shows their team only', async () => {
    const token = albToken(keys.privateKey, header(), claims(['team-payments']));
    expect(token.split('.')[0]).toMatch(/=$/);
    const response = await ask('/api/meta', token);
    expect(response.status).toBe(200);
    const meta = (await response.json()) as { nodes: number; viewer: { name: string } };
    expect(meta.nodes).toBe(ours.size);
    expect(meta.viewer.name).toBe('carol@example.com');
    const node = theirs[0]!;
    expect(
      (
        await ask(
          `/api/nodes/${String(node.account_id)}/${String(node.region)}/${String(node.node_id)}`,
          token,
        )
      ).status,
    ).toBe(404);
    const admin = albToken(keys.privateKey, header(), claims(['platform-security']));
    expect(((await (await ask('/api/meta', admin)).json()) as { nodes: number }).nodes).toBe(fleet.length);
    // The key was fetched once, by its id.
    expect(keyRequests).toEqual([`/${KID}`]);
  });

  it('refuses a missing, forged, foreign, expired or unsigned header', async () => {
    const refusals: [string, string | undefined, string][] = [
      ['missing', undefined, 'did not come through it'],
      [
        'signed with another key',
        albToken(other.privateKey, header(), claims(['team-payments'])),
        'does not verify',
      ],
      [
        'signed for another load balancer',
        albToken(
          keys.privateKey,
          header({ signer: ARN.replace('111122223333', '444455556666') }),
          claims(['team-payments']),
        ),
        'not this load balancer',
      ],
      [
        'expired',
        albToken(keys.privateKey, header(), claims(['team-payments'], { exp: 1_700_000_000 })),
        'has expired',
      ],
      [
        'an unknown key id',
        albToken(
          keys.privateKey,
          header({ kid: 'ffffffff-0000-0000-0000-000000000000' }),
          claims(['team-payments']),
        ),
        'no public key',
      ],
      [
        'a key id that is a path',
        albToken(keys.privateKey, header({ kid: '../etc/passwd' }), claims(['team-payments'])),
        'malformed',
      ],
    ];
    const payload = Buffer.from(JSON.stringify(claims(['platform-security']))).toString('base64url');
    const none = `${Buffer.from(JSON.stringify({ ...header(), alg: 'none' })).toString('base64url')}.${payload}.`;
    refusals.push(['unsigned (alg none)', none, 'does not verify']);
    // Claims changed after signing: an admin's groups pasted into a team member's token.
    const [h, , s] = albToken(keys.privateKey, header(), claims(['team-payments'])).split('.');
    refusals.push(['with changed claims', `${h}.${payload}.${s}`, 'does not verify']);
    for (const [what, token, reason] of refusals) {
      const response = await ask('/api/meta', token);
      expect(response.status, what).toBe(401);
      expect(((await response.json()) as { error: { message: string } }).error.message, what).toContain(
        reason,
      );
    }
    expect(keyRequests).not.toContain('/../etc/passwd');
  });
});
