/**
 * `/api/reports/:id`: any report of the catalogue by id, with the parameters its own schema validates (a team
 * member's team filled in and held to), as of now or a past `asOf`; its downloads are `?format=csv|pdf`.
 */
import { Hono } from 'hono';
import { compileReport, formatInstant } from '@patchboard/core';
import type { AnswerService } from '../answers.js';
import type { Respond } from '../respond.js';
import { instantParam, queryParameters, questionOf } from '../request.js';
import { scopedReportParameters } from '../scope.js';

export function reportRoutes(answers: AnswerService, respond: Respond): Hono {
  return new Hono().get('/reports/:id', async (c) => {
    const id = c.req.param('id');
    const raw = scopedReportParameters(c.get('viewer').scope, id, queryParameters(c, ['format', 'asOf']));
    const asOf = instantParam('asOf', c.req.query('asOf'), true);
    const document = await answers.answer(questionOf(c), async (reading) => {
      const at = asOf ?? reading.now;
      const compiled = compileReport(id, raw, reading.context(at));
      // Evidence for a patch or CVE reads the snapshot's lookup table when it answers for this time.
      const lookup =
        id === 'cve-evidence' && asOf === undefined
          ? reading.lookups?.evidence(compiled.params, at)
          : undefined;
      const result = await reading.engine.run(lookup ?? compiled.query, asOf === undefined ? {} : { asOf });
      // Old data says so here as on the command line: the Overview shows it above the figures.
      const warnings = await reading.dataWarnings(at);
      return {
        report: id,
        title: compiled.report.title,
        generatedAt: formatInstant(at),
        params: compiled.params,
        result,
        ...(warnings.length > 0 ? { warnings } : {}),
      };
    });
    return respond(c, document);
  });
}
