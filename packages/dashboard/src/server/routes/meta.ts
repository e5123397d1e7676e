/** `/healthz` for load balancers, and `/api/meta`: the data, the viewer and the catalogue the client starts from. */
import { Hono } from 'hono';
import { formatInstant, REPORTS, reportParameterNames } from '@patchboard/core';
import type { AnswerService } from '../answers.js';
import { nodeFacets } from '../nodes.js';
import type { DashboardOptions } from '../options.js';

/** For load balancers and container health checks: no sign-in, and it says only "ok". */
export function healthRoutes(): Hono {
  return new Hono().get('/healthz', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.text('ok');
  });
}

export function metaRoutes(
  answers: AnswerService,
  options: Pick<DashboardOptions, 'version' | 'policy' | 'refreshStatus'>,
): Hono {
  return new Hono().get('/meta', (c) =>
    answers.read(async (reading) => {
      const viewer = c.get('viewer');
      const nodes = await reading.nodes(viewer.scope);
      return c.json({
        version: options.version,
        dataVersion: reading.version,
        snapshotTakenAt: formatInstant(reading.takenAt),
        refresh: options.refreshStatus?.() ?? null,
        evaluatedAt: formatInstant(reading.now),
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
}
