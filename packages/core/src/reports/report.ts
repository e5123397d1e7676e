import type { z } from 'zod';
import type { Policy } from '../config.js';
import type { Dialect } from '../dialect.js';
import type { SqlFragment } from '../sql.js';

/** What a report needs besides its own parameters. */
export interface ReportContext {
  readonly policy: Policy;
  /** The evaluation time, epoch milliseconds: `--now`, or the wall clock. */
  readonly now: number;
  readonly dialect: Dialect;
}

/** A report: a definition compiled to SQL with bound parameters. Engines only ever run the compiled query. */
export interface ReportDefinition<Params extends Record<string, unknown> = Record<string, unknown>> {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Parameters accepted with `--param key=value`; strings are coerced by the schema. */
  readonly params: z.ZodType<Params>;
  compile(params: Params, context: ReportContext): SqlFragment;
}

/** Keeps each report's parameter type while the catalogue holds them side by side. */
export function defineReport<Params extends Record<string, unknown>>(
  report: ReportDefinition<Params>,
): ReportDefinition {
  return report;
}
