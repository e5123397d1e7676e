/** `/api/trend`: compliance over time, by day or week, optionally grouped; a team member's team only. */
import { Hono } from 'hono';
import * as z from 'zod';
import { formatInstant, runTrend, TREND_GROUPS } from '@patchboard/core';
import type { AnswerService } from '../answers.js';
import type { Respond } from '../respond.js';
import { instantParam, parseOrThrow, queryParameters, questionOf } from '../request.js';
import { teamFor } from '../scope.js';

const trendSchema = z
  .object({
    from: z.string().min(1),
    to: z.string().optional(),
    every: z.enum(['day', 'week']).default('day'),
    by: z.enum(TREND_GROUPS).default('none'),
    team: z.string().min(1).optional(),
  })
  .strict();

export function trendRoutes(answers: AnswerService, respond: Respond): Hono {
  return new Hono().get('/trend', async (c) => {
    const params = parseOrThrow(trendSchema, queryParameters(c, ['format']), 'Trend');
    const scope = c.get('viewer').scope;
    const team = scope.kind === 'fleet' ? params.team : teamFor(scope, params.team);
    const document = await answers.answer(questionOf(c), async (reading) => {
      const from = instantParam('from', params.from, false)!;
      const to = instantParam('to', params.to, true) ?? reading.now;
      const request = { from, to: Math.min(to, reading.now), every: params.every, by: params.by, team };
      return {
        report: 'trend',
        title: 'Compliance trend',
        generatedAt: formatInstant(reading.now),
        params: {
          from: formatInstant(from),
          to: formatInstant(request.to),
          every: params.every,
          by: params.by,
          ...(team === undefined ? {} : { team }),
        },
        result: await runTrend(reading.engine, request, reading.context()),
      };
    });
    return respond(c, document);
  });
}
