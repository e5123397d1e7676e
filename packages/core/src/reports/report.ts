import type * as z from 'zod';
import type { Policy } from '../config.js';
import type { Dialect } from '../dialect.js';
import type { Capability } from '../engines.js';
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
  /**
   * What the report reads beyond the inventory tables, each with why in a few words (`'first seen
   * non-compliant'`). An engine without one of them refuses the report with that reason; a test checks the
   * compiled SQL reads no capability's tables that are not declared here.
   */
  readonly requires?: Readonly<Partial<Record<Capability, string>>>;
  /**
   * Parameters of a typical run, as `--param` would give them: what saved queries and estimates compile with.
   * Required when the report cannot compile without parameters; by default none.
   */
  readonly example?: Readonly<Record<string, string>>;
  compile(params: Params, context: ReportContext): SqlFragment;
}

/** Keeps each report's parameter type while the catalogue holds them side by side. */
export function defineReport<Params extends Record<string, unknown>>(
  report: ReportDefinition<Params>,
): ReportDefinition {
  return report;
}
