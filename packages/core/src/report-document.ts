/**
 * A report's answer as it leaves Patchboard: what `patchboard … --format json` prints and what the dashboard's
 * API answers (its CSV and PDF downloads render the same document). Defined once so the two cannot drift.
 */
import type { QueryResult, ResultColumn, ResultRow } from './engine.js';

/** An evaluated report: which one, when it was evaluated (ISO 8601 UTC), with which parameters, its rows. */
export interface ReportDocument {
  readonly report: string;
  readonly title?: string;
  readonly generatedAt: string;
  readonly params: Record<string, unknown>;
  readonly result: QueryResult;
  /** What the answer must say about the data behind it (core data-span.ts); absent when nothing. */
  readonly warnings?: readonly string[];
}

/** The JSON envelope of a report document; `extra` fields (a page's `total`, `offset`, `limit`) come before the rows. */
export type ReportJson<Extra extends object = object> = {
  readonly report: string;
  readonly generatedAt: string;
  readonly params: Record<string, unknown>;
  readonly warnings?: readonly string[];
} & Extra & {
    readonly columns: readonly ResultColumn[];
    readonly rows: readonly ResultRow[];
  };

export function reportJson<Extra extends object = object>(
  document: ReportDocument,
  extra?: Extra,
): ReportJson<Extra> {
  return {
    report: document.report,
    generatedAt: document.generatedAt,
    params: document.params,
    ...(document.warnings && document.warnings.length > 0 ? { warnings: document.warnings } : {}),
    ...(extra as Extra),
    columns: document.result.columns,
    rows: document.result.rows,
  };
}
