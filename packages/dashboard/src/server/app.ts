/**
 * The dashboard's HTTP side. The API names reports from the catalogue and passes parameters the report's own
 * zod schema validates; it never takes SQL. Every answer is the JSON the CLI prints with `--format json`, or
 * the CLI's CSV and PDF of it for downloads.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { serveStatic } from '@hono/node-server/serve-static';
import pLimit from 'p-limit';
import { z } from 'zod';
import {
  compileReport,
  evidenceLookup,
  formatInstant,
  isPatchboardError,
  nodeDetailQueries,
  nodeHistoryLookup,
  parseIsoInstant,
  PatchboardError,
  type QueryResult,
  REPORTS,
  reportParameterNames,
  runTrend,
  TREND_GROUPS,
  type ReportContext,
} from '@patchboard/core';
import { accessControl, hostCheck } from './access.js';
import { accessLog } from './access-log.js';
import { AnswerCache } from './cache.js';
import { SnapshotLookups } from './lookups.js';
import { nodeFacets, nodeQuerySchema, pageNodes } from './nodes.js';
import type { DashboardOptions, DataSnapshot, ReportDocument } from './options.js';
import {
  FLEET,
  type Scope,
  scopedReportParameters,
  scopedRows,
  scopeKey,
  teamFor,
  type Viewer,
} from './scope.js';
import { mountSignIn } from './sign-in.js';

/** Who the local token (or loopback without one) lets in: the machine's own user, who sees the fleet. */
const LOCAL_VIEWER: Viewer = { name: 'local', groups: [], scope: FLEET, via: 'token' };

/** A PDF of more rows than this would be thousands of pages: the CSV is the way to take them. */
const PDF_MAX_ROWS = 5000;
/** How often a request may trigger a look for newly committed data. */
const REFRESH_EVERY_MS = 1000;
/**
 * Queries running at once. DuckDB already spreads one query over every core, so more at once only makes each
 * slower and starves the answers that come from the cache; the rest wait their turn.
 */
const QUERIES_AT_ONCE = Math.max(2, availableParallelism());
/**
 * The questions re-asked on new data before it is shown: the most recently asked distinct views. An ingest
 * then never leaves the next visitors waiting for every chart at once.
 */
const WARM_QUESTIONS = 64;
/** Warming stops after this long; whatever is left is answered on demand. */
const WARM_BUDGET_MS = 30_000;

const formatSchema = z.enum(['json', 'csv', 'pdf']).default('json');

/** A repeated key is a mistake worth saying, not silently dropping (the reserved `format` and `asOf` too). */
function refuseRepeated(key: string, values: readonly string[]): void {
  if (values.length > 1) {
    throw new PatchboardError('USAGE', `Parameter ${key} was given ${values.length} times; give it once.`);
  }
}

/** The query string as single values, without the reserved keys that each route reads itself. */
function queryParameters(c: Context, reserved: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, values] of Object.entries(c.req.queries())) {
    refuseRepeated(key, values);
    if (reserved.includes(key)) continue;
    // An empty form field means "no filter".
    if (values[0] !== undefined && values[0] !== '') params[key] = values[0];
  }
  return params;
}

function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new PatchboardError('USAGE', `${what}: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}`);
  }
  return parsed.data;
}

function instantParam(name: string, value: string | undefined, endOfDay: boolean): number | undefined {
  if (value === undefined || value === '') return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T${endOfDay ? '23:59:59' : '00:00:00'}Z` : value;
  const parsed = parseIsoInstant(iso);
  if (parsed === undefined) {
    throw new PatchboardError(
      'USAGE',
      `${name} ${JSON.stringify(value)} is neither a date (2026-10-31) nor an ISO-8601 time (2026-10-31T23:59:59Z).`,
    );
  }
  return parsed;
}

const HTTP_STATUS = {
  USAGE: 400,
  CONFIG: 500,
  IO: 503,
  NOT_FOUND: 404,
  ENGINE: 500,
  THRESHOLD: 500,
} as const;

export function createDashboardApp(options: DashboardOptions): Hono {
  const { data, exporters } = options;
  const app = new Hono();
  const answers = new AnswerCache<ReportDocument>(500);
  // The whole fleet's table for up to 4 (data version, time, as-of) views, and each scope's share of them.
  const nodeLists = new AnswerCache<QueryResult>(16);
  const nodeDetails = new AnswerCache<Record<string, unknown>>(200);
  const serialised = new WeakMap<ReportDocument, string>();
  const lookups = new SnapshotLookups(options.policy);
  /** The data version and evaluation time requests last saw: when either moves on, older answers are dropped. */
  let shown: { version: string; now: number } | undefined;
  let lastRefresh = 0;

  // For load balancers and container health checks: before every check, no sign-in, and it says only "ok".
  app.get('/healthz', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.text('ok');
  });
  if (options.accessLog) app.use(accessLog(options.accessLog));
  app.use(hostCheck(options.allowedHosts));
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
      // The dashboard speaks plain HTTP (on loopback by default). RFC 6797 §7.2: a server must not send HSTS
      // over plain HTTP (browsers ignore it there), and on 127.0.0.1 it would bind every port of the host.
      strictTransportSecurity: false,
    }),
  );
  if (options.signIn) {
    app.use(mountSignIn(app, options.signIn));
  } else {
    app.use(accessControl(options.token));
    app.use(async (c, next) => {
      c.set('viewer', LOCAL_VIEWER);
      await next();
    });
  }
  const scopeOf = (c: Context): Scope => c.get('viewer').scope;
  app.use('/api/*', async (c, next) => {
    // Look for a committed ingest at most once a second; this request still answers from the current data.
    if (Date.now() - lastRefresh > REFRESH_EVERY_MS) {
      lastRefresh = Date.now();
      data
        .refresh(warm)
        .catch((error: unknown) => console.error(`Refreshing the data failed: ${String(error)}`));
    }
    await next();
    c.header('Cache-Control', 'no-store');
  });

  const queue = pLimit(QUERIES_AT_ONCE);
  // Warming new data takes a lane of its own, so visitors' questions never wait behind it.
  const warmQueue = pLimit(1);
  /** The snapshot with its engine behind a queue. */
  const queued = (snapshot: DataSnapshot, lane = queue): DataSnapshot => ({
    ...snapshot,
    engine: {
      dialect: snapshot.engine.dialect,
      run: (query, runOptions) => lane(() => snapshot.engine.run(query, runOptions)),
      close: () => snapshot.engine.close(),
    },
  });
  const use = <T>(work: (snapshot: DataSnapshot, unqueued: DataSnapshot) => Promise<T>) =>
    data.use((snapshot) => {
      const now = options.now();
      if (shown?.version !== snapshot.version || shown.now !== now) {
        // New data, or the next minute, is shown: the answers for the one before would only hold memory until
        // evicted (a new snapshot's answers, warmed before it was shown, stay).
        if (shown) {
          const stale =
            shown.version === snapshot.version ? `${shown.version}|${shown.now}|` : `${shown.version}|`;
          for (const cache of [answers, nodeLists, nodeDetails]) cache.dropPrefix(stale);
        }
        shown = { version: snapshot.version, now };
        // The first snapshot was not prepared by a refresh: its lookup tables are built now, in the warming
        // lane, and requests use the exact queries until they are ready. Later calls share that build.
        void lookups.prepare(queued(snapshot, warmQueue));
      }
      return work(queued(snapshot), snapshot);
    });

  const context = (snapshot: DataSnapshot, now: number): ReportContext => ({
    policy: options.policy,
    now,
    dialect: snapshot.engine.dialect,
  });

  type Compute = (snapshot: DataSnapshot, now: number) => Promise<ReportDocument>;
  /** Recently asked views by request, most recent last: what `warm` asks again on new data. */
  const recent = new Map<string, Compute>();

  /** Answers once per (data version, evaluation time, request); repeated views cost nothing. */
  const answer = (c: Context, compute: Compute): Promise<ReportDocument> =>
    use((snapshot) => {
      const now = options.now();
      const url = new URL(c.req.url);
      url.searchParams.delete('format');
      url.searchParams.sort();
      // Whose question it is belongs to the question: one scope's answer is never another's.
      const request = `${scopeKey(scopeOf(c))} ${url.pathname}?${url.search}`;
      const answered = answers.get(`${snapshot.version}|${now}|${request}`, () => compute(snapshot, now));
      // Only questions that had an answer are asked again on new data; a refused one would only be refused again.
      answered.then(
        () => {
          recent.delete(request);
          recent.set(request, compute);
          if (recent.size > WARM_QUESTIONS) recent.delete(recent.keys().next().value!);
        },
        () => undefined,
      );
      return answered;
    });

  /** Answers the node table and the recent views on a new snapshot before it is shown. */
  const warm = async (next: DataSnapshot): Promise<void> => {
    const snapshot = queued(next, warmQueue);
    const now = options.now();
    const deadline = Date.now() + WARM_BUDGET_MS;
    const questions: [string, () => Promise<unknown>][] = [
      ['the node table', () => nodeList(snapshot, now, undefined, FLEET)],
      ['the lookup tables', () => lookups.prepare(snapshot)],
      ...[...recent]
        .reverse()
        .map(([request, compute]): [string, () => Promise<unknown>] => [
          request,
          () => answers.get(`${next.version}|${now}|${request}`, () => compute(snapshot, now)),
        ]),
    ];
    for (const [name, ask] of questions) {
      if (Date.now() > deadline) break;
      await ask().catch((error: unknown) =>
        console.error(`Warming ${name} on new data failed: ${String(error)}`),
      );
    }
  };

  const respond = async (c: Context, document: ReportDocument): Promise<Response> => {
    refuseRepeated('format', c.req.queries('format') ?? []);
    const format = parseOrThrow(formatSchema, c.req.query('format'), 'format');
    const name = `${document.report}-${document.generatedAt.slice(0, 10)}`;
    switch (format) {
      case 'json': {
        // A cached answer is serialised once: under load, stringifying thousands of rows per request adds up.
        let body = serialised.get(document);
        if (body === undefined) {
          body = JSON.stringify({
            report: document.report,
            generatedAt: document.generatedAt,
            params: document.params,
            columns: document.result.columns,
            rows: document.result.rows,
          });
          serialised.set(document, body);
        }
        c.set('rows', document.result.rows.length);
        return c.body(body, 200, { 'Content-Type': 'application/json; charset=UTF-8' });
      }
      case 'csv':
        c.set('rows', document.result.rows.length);
        c.header('Content-Disposition', `attachment; filename="${name}.csv"`);
        return c.body(exporters.csv(document), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
      case 'pdf': {
        if (document.result.rows.length > PDF_MAX_ROWS) {
          throw new PatchboardError(
            'USAGE',
            `This view has ${document.result.rows.length} rows; a PDF takes at most ${PDF_MAX_ROWS}. Narrow the filters or download the CSV.`,
          );
        }
        c.header('Content-Disposition', `attachment; filename="${name}.pdf"`);
        c.set('rows', document.result.rows.length);
        const pdf = await exporters.pdf(document);
        return c.body(pdf.slice().buffer, 200, { 'Content-Type': 'application/pdf' });
      }
    }
  };

  /**
   * The node table for a snapshot as the scope sees it: the whole fleet's computed once, each scope's rows taken
   * from it once, then filtered in memory per request.
   */
  const nodeList = (
    snapshot: DataSnapshot,
    now: number,
    asOf: number | undefined,
    scope: Scope,
  ): Promise<QueryResult> =>
    nodeLists.get(`${snapshot.version}|${now}|${asOf ?? ''}|${scopeKey(scope)}`, async () => {
      if (scope.kind !== 'fleet') return scopedRows(scope, await nodeList(snapshot, now, asOf, FLEET));
      const at = asOf ?? now;
      const compiled = compileReport('node-compliance', {}, context(snapshot, at));
      return snapshot.engine.run(compiled.query, asOf === undefined ? {} : { asOf });
    });

  app.get('/api/meta', async (c) =>
    use(async (snapshot) => {
      const now = options.now();
      const nodes = await nodeList(snapshot, now, undefined, scopeOf(c));
      const viewer = c.get('viewer');
      return c.json({
        version: options.version,
        dataVersion: snapshot.version,
        snapshotTakenAt: formatInstant(snapshot.takenAt),
        refresh: options.refreshStatus?.() ?? null,
        evaluatedAt: formatInstant(now),
        policy: options.policy,
        nodes: nodes.rows.length,
        viewer: { name: viewer.name, via: viewer.via, scope: viewer.scope },
        facets: nodeFacets(nodes),
        reports: REPORTS.map((report) => ({
          id: report.id,
          title: report.title,
          description: report.description,
          params: reportParameterNames(report),
        })),
      });
    }),
  );

  app.get('/api/nodes', async (c) => {
    const raw = queryParameters(c, ['format', 'asOf']);
    const query = parseOrThrow(nodeQuerySchema, raw, 'Node filters');
    const asOf = instantParam('asOf', c.req.query('asOf'), true);
    const format = parseOrThrow(formatSchema, c.req.query('format'), 'format');
    const document = await use(async (snapshot) => {
      const now = asOf ?? options.now();
      const nodes = await nodeList(snapshot, options.now(), asOf, scopeOf(c));
      // A download takes every matching row; the page on screen takes one page.
      const page = pageNodes(
        nodes,
        format === 'json' ? query : { ...query, offset: 0, limit: Number.MAX_SAFE_INTEGER },
      );
      return {
        report: 'node-compliance',
        title: 'Nodes',
        generatedAt: formatInstant(now),
        params: { ...raw, ...(asOf === undefined ? {} : { asOf: formatInstant(asOf) }) },
        result: page.result,
        total: page.total,
      };
    });
    if (format !== 'json') return respond(c, document);
    c.set('rows', document.result.rows.length);
    return c.json({
      report: document.report,
      generatedAt: document.generatedAt,
      params: document.params,
      total: document.total,
      offset: query.offset,
      limit: query.limit,
      columns: document.result.columns,
      rows: document.result.rows,
    });
  });

  app.get('/api/nodes/:account/:region/:node', async (c) => {
    const { account, region, node } = c.req.param();
    const detail = await use((snapshot, unqueued) => {
      const now = options.now();
      const scope = scopeOf(c);
      return nodeDetails.get(`${snapshot.version}|${now}|${c.req.path}|${scopeKey(scope)}`, async () => {
        // The node's row comes from the node table already read for this snapshot, as the scope sees it: another
        // team's node is not there.
        const nodes = await nodeList(snapshot, now, undefined, scope);
        const row = nodes.rows.find(
          (r) => r.node_id === node && r.account_id === account && r.region === region,
        );
        if (!row) {
          throw new PatchboardError(
            'NOT_FOUND',
            `There is no node ${node} in account ${account}, Region ${region}. The Nodes page lists them.`,
          );
        }
        const queries = {
          ...nodeDetailQueries(node, context(snapshot, now)),
          ...(lookups.answersAt(snapshot, now) ? { history: nodeHistoryLookup(node) } : {}),
        };
        const sections = [
          'tags',
          'instance',
          'patches',
          'otherCompliance',
          'applications',
          'errors',
          'history',
        ] as const;
        // The page's queries take one turn of the queue together: read by node they are a few milliseconds
        // each, and a page then waits for one turn instead of seven among everyone else's queries. Within the
        // turn they run at once, on as many cores as DuckDB has (about half the time of one after another).
        const results = await queue(() =>
          Promise.all(sections.map((name) => unqueued.engine.run(queries[name].compile()))),
        );
        return {
          report: 'node',
          generatedAt: formatInstant(now),
          params: { account, region, node },
          node: row,
          columns: nodes.columns,
          ...Object.fromEntries(sections.map((name, i) => [name, results[i]])),
        };
      });
    });
    const sectionRows = Object.values(detail).reduce(
      (sum: number, value) =>
        sum +
        (value && typeof value === 'object' && 'rows' in value ? (value as QueryResult).rows.length : 0),
      0,
    );
    c.set('rows', 1 + sectionRows);
    return c.json(detail);
  });

  const trendSchema = z
    .object({
      from: z.string().min(1),
      to: z.string().optional(),
      every: z.enum(['day', 'week']).default('day'),
      by: z.enum(TREND_GROUPS).default('none'),
      team: z.string().min(1).optional(),
    })
    .strict();

  app.get('/api/trend', async (c) => {
    const params = parseOrThrow(trendSchema, queryParameters(c, ['format']), 'Trend');
    const scope = scopeOf(c);
    const team = scope.kind === 'fleet' ? params.team : teamFor(scope, params.team);
    const document = await answer(c, async (snapshot, now) => {
      const from = instantParam('from', params.from, false)!;
      const to = instantParam('to', params.to, true) ?? now;
      const request = { from, to: Math.min(to, now), every: params.every, by: params.by, team };
      return {
        report: 'trend',
        title: 'Compliance trend',
        generatedAt: formatInstant(now),
        params: {
          from: formatInstant(from),
          to: formatInstant(request.to),
          every: params.every,
          by: params.by,
          ...(team === undefined ? {} : { team }),
        },
        result: await runTrend(snapshot.engine, request, context(snapshot, now)),
      };
    });
    return respond(c, document);
  });

  app.get('/api/reports/:id', async (c) => {
    const id = c.req.param('id');
    const raw = scopedReportParameters(scopeOf(c), id, queryParameters(c, ['format', 'asOf']));
    const asOf = instantParam('asOf', c.req.query('asOf'), true);
    const document = await answer(c, async (snapshot, now) => {
      const at = asOf ?? now;
      const compiled = compileReport(id, raw, context(snapshot, at));
      // Evidence for a patch or CVE reads the snapshot's lookup table when it answers for this time.
      const lookup =
        id === 'cve-evidence' && asOf === undefined && lookups.answersAt(snapshot, at)
          ? evidenceLookup(compiled.params, context(snapshot, at))
          : undefined;
      const result = await snapshot.engine.run(
        lookup?.compile() ?? compiled.query,
        asOf === undefined ? {} : { asOf },
      );
      return {
        report: id,
        title: compiled.report.title,
        generatedAt: formatInstant(at),
        params: compiled.params,
        result,
      };
    });
    return respond(c, document);
  });

  app.all('/api/*', (c) =>
    c.json({ error: { code: 'NOT_FOUND', message: `There is no API ${c.req.path}.` } }, 404),
  );

  const client = options.clientDirectory;
  if (client) {
    app.use('/assets/*', serveStatic({ root: client }));
    let indexHtml: Promise<string> | undefined;
    // Every other path is a page of the client, which routes it itself.
    app.get('*', async (c) => {
      indexHtml ??= readFile(join(client, 'index.html'), 'utf8');
      try {
        return c.html(await indexHtml);
      } catch {
        indexHtml = undefined;
        return c.text(
          'The dashboard client is not built. Run `npm run build` in the project, then restart `patchboard serve`.',
          503,
        );
      }
    });
  }

  app.onError((error, c) => {
    if (isPatchboardError(error)) {
      return c.json({ error: { code: error.code, message: error.message } }, HTTP_STATUS[error.code]);
    }
    console.error(error);
    return c.json(
      { error: { code: 'INTERNAL', message: 'The dashboard failed to answer; the server log says why.' } },
      500,
    );
  });
  return app;
}
