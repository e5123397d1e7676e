/**
 * Reading a request's query string: one value per key (a repeated key is refused, not silently dropped), an
 * empty form field meaning "no filter", schemas that say what was wrong, and dates or ISO-8601 instants.
 */
import type { Context } from 'hono';
import * as z from 'zod';
import { parseIsoInstant, PatchboardError } from '@patchboard/core';
import type { Question } from './answers.js';

/** A repeated key is a mistake worth saying, not silently dropping (the reserved `format` and `asOf` too). */
export function refuseRepeated(key: string, values: readonly string[]): void {
  if (values.length > 1) {
    throw new PatchboardError('USAGE', `Parameter ${key} was given ${values.length} times; give it once.`);
  }
}

/** The query string as single values, without the reserved keys that each route reads itself. */
export function queryParameters(c: Context, reserved: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, values] of Object.entries(c.req.queries())) {
    refuseRepeated(key, values);
    if (reserved.includes(key)) continue;
    // An empty form field means "no filter".
    if (values[0] !== undefined && values[0] !== '') params[key] = values[0];
  }
  return params;
}

export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new PatchboardError('USAGE', `${what}: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}`);
  }
  return parsed.data;
}

/** A date (the start of that UTC day, or its end with `endOfDay`) or an ISO-8601 instant, in epoch ms. */
export function instantParam(name: string, value: string | undefined, endOfDay: boolean): number | undefined {
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

/**
 * The viewer's question this request asks: its path and sorted parameters without `format`, so a view and its
 * downloads share one answer.
 */
export function questionOf(c: Context): Question {
  const url = new URL(c.req.url);
  url.searchParams.delete('format');
  url.searchParams.sort();
  return { scope: c.get('viewer').scope, request: `${url.pathname}?${url.search}` };
}
