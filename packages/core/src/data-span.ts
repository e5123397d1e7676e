/**
 * Which instants the data can answer for. History starts at the first observation an ingest recorded; the
 * current tables hold the newest ingest's state. An instant before the first has no answer; an evaluation time
 * (`--now`) before the newest data would judge later data at an earlier time; an instant long after the newest
 * data would turn managed nodes STALE or UNMANAGED only because nothing newer was ingested. The first two are
 * refused, the last is said next to the answer: an auditor gets one number per instant, or a reason there is none.
 */
import type { Policy } from './config.js';
import { staleCutoff } from './compliance.js';
import { PatchboardError } from './errors.js';
import { formatInstant } from './timestamp.js';

/** The instants an engine's data covers (UTC, `2026-10-31T23:59:59Z`); null where it cannot say. */
export interface DataSpan {
  /** The first instant history holds. */
  readonly first: string | null;
  /** The newest record of the latest ingest: what the current tables show. */
  readonly newest: string | null;
}

/** How an answer is evaluated: at `at`, reading history as of it (`asOf`) or the current tables. */
export interface Evaluation {
  readonly at: number;
  readonly asOf: boolean;
  /** Whether a person chose `at` (`--now`): the wall clock behind newer data is clock skew, not a question. */
  readonly chosen: boolean;
}

/** Refuses an evaluation the data cannot answer, saying which instants it can. */
export function refuseUnanswerable(span: DataSpan, evaluation: Evaluation): void {
  const at = formatInstant(evaluation.at);
  if (evaluation.asOf && span.first !== null && evaluation.at < Date.parse(span.first)) {
    throw new PatchboardError(
      'USAGE',
      `--as-of ${at} is before the first instant history holds (${span.first}). Give a time from ${span.first} on, or ingest older copies of the bucket first (oldest first) into a new database.`,
    );
  }
  if (
    !evaluation.asOf &&
    evaluation.chosen &&
    span.newest !== null &&
    evaluation.at < Date.parse(span.newest)
  ) {
    throw new PatchboardError(
      'USAGE',
      `--now ${at} is before the newest data (${span.newest}): the current tables already show what happened after it, so the answer would mix two instants. Use --as-of ${at} to see the fleet as history knew it then, or give --now ${span.newest} or later.`,
    );
  }
}

const DAY_MS = 86_400_000;

/**
 * Warnings for an answer evaluated at `at` from data whose newest record by then is `dataTime`: when that is
 * older than the policy's stale threshold, every node would look STALE or UNMANAGED for want of newer data.
 */
export function dataAgeWarnings(dataTime: string | null, at: number, policy: Policy): string[] {
  if (dataTime === null) return [];
  const newest = Date.parse(dataTime);
  if (newest >= staleCutoff(policy, at)) return [];
  const days = Math.floor((at - newest) / DAY_MS);
  return [
    `The newest data is from ${dataTime}, ${days} days before the evaluation time ${formatInstant(at)} (policy.staleAfterDays is ${policy.staleAfterDays}): nodes show as STALE or UNMANAGED because nothing newer was ingested, not necessarily because they stopped scanning. Ingest a current copy of the bucket, or evaluate at an earlier time.`,
  ];
}
