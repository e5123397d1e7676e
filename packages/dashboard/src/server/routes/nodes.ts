/**
 * `/api/nodes`: the Nodes table, filtered and paged in memory from the snapshot's node table (a download takes
 * every matching row); `/api/nodes/:account/:region/:node`: one node's page, as the viewer's scope allows.
 */
import { Hono } from 'hono';
import {
  formatInstant,
  nodeDetailQueries,
  PatchboardError,
  type QueryResult,
  reportJson,
} from '@patchboard/core';
import type { AnswerService } from '../answers.js';
import { nodeQuerySchema, pageNodes } from '../nodes.js';
import { formatOf, type Respond } from '../respond.js';
import { instantParam, parseOrThrow, queryParameters } from '../request.js';

/** The node page's sections, each one query of core's `nodeDetailQueries`. */
const SECTIONS = [
  'tags',
  'instance',
  'patches',
  'otherCompliance',
  'applications',
  'errors',
  'history',
] as const;

export function nodeRoutes(answers: AnswerService, respond: Respond): Hono {
  const routes = new Hono();

  routes.get('/nodes', async (c) => {
    const raw = queryParameters(c, ['format', 'asOf']);
    const query = parseOrThrow(nodeQuerySchema, raw, 'Node filters');
    const asOf = instantParam('asOf', c.req.query('asOf'), true);
    const format = formatOf(c);
    const { document, total } = await answers.read(async (reading) => {
      const nodes = await reading.nodes(c.get('viewer').scope, asOf);
      // A download takes every matching row; the page on screen takes one page.
      const page = pageNodes(
        nodes,
        format === 'json' ? query : { ...query, offset: 0, limit: Number.MAX_SAFE_INTEGER },
      );
      const document = {
        report: 'node-compliance',
        title: 'Nodes',
        generatedAt: formatInstant(asOf ?? reading.now),
        params: { ...raw, ...(asOf === undefined ? {} : { asOf: formatInstant(asOf) }) },
        result: page.result,
      };
      return { document, total: page.total };
    });
    if (format !== 'json') return respond(c, document);
    c.set('rows', document.result.rows.length);
    return c.json(reportJson(document, { total, offset: query.offset, limit: query.limit }));
  });

  routes.get('/nodes/:account/:region/:node', async (c) => {
    const { account, region, node } = c.req.param();
    const scope = c.get('viewer').scope;
    const detail = await answers.detail<Record<string, unknown>>(
      { scope, request: c.req.path },
      async (reading) => {
        // The node's row comes from the node table already read for this snapshot, as the scope sees it: another
        // team's node is not there.
        const nodes = await reading.nodes(scope);
        const row = nodes.rows.find(
          (r) => r.node_id === node && r.account_id === account && r.region === region,
        );
        if (!row) {
          throw new PatchboardError(
            'NOT_FOUND',
            `There is no node ${node} in account ${account}, Region ${region}. The Nodes page lists them.`,
          );
        }
        const queries = nodeDetailQueries(node, reading.context());
        // The history section reads the snapshot's lookup table when it answers for this time.
        const history = reading.lookups?.nodeHistory(node, reading.now);
        // Read by node, the page's queries are a few milliseconds each: they take one turn of the queue together.
        const results = await reading.together((engine) =>
          Promise.all(
            SECTIONS.map((name) =>
              engine.run(name === 'history' && history ? history : queries[name].compile()),
            ),
          ),
        );
        return {
          report: 'node',
          generatedAt: formatInstant(reading.now),
          params: { account, region, node },
          node: row,
          columns: nodes.columns,
          ...Object.fromEntries(SECTIONS.map((name, i) => [name, results[i]])),
        };
      },
    );
    const sectionRows = Object.values(detail).reduce(
      (sum: number, value) =>
        sum +
        (value && typeof value === 'object' && 'rows' in value ? (value as QueryResult).rows.length : 0),
      0,
    );
    c.set('rows', 1 + sectionRows);
    return c.json(detail);
  });

  return routes;
}
