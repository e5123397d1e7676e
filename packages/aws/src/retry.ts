/**
 * A second line of retries for AWS calls, after the SDK's own (adaptive) retries have spent their attempts:
 * bursts such as a StackSet creating a sync in every account at once, a collection of thousands of nodes, or a
 * network blip during many S3 reads. Bounded in attempts; each wait doubles up to a cap; an abort signal ends
 * a wait at once. By default only throttling is retried.
 */
import { isThrottling } from './errors.js';

export interface RetryOptions {
  /** Attempts in all, the first included; default 6. */
  readonly attempts?: number;
  /** The wait after the first throttled attempt, in milliseconds, doubled after each; default 500. */
  readonly firstWaitMs?: number;
  /** No wait is longer than this; default 20,000. */
  readonly maxWaitMs?: number;
  /**
   * AWS Architecture Blog, "Exponential Backoff And Jitter": `full` waits a random time up to the doubled wait,
   * `equal` half of it plus a random time up to the other half (never less than half: an outage gets that long
   * to pass), so callers failing together do not return together. Default `none`: the doubled wait itself.
   */
  readonly jitter?: 'none' | 'full' | 'equal';
  /** Which errors are worth another attempt; default `isThrottling`. */
  readonly retryable?: (error: unknown) => boolean;
  /** Stops waiting and retrying: the last error is raised. */
  readonly signal?: AbortSignal;
  /** For tests: how to wait. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Waits `ms`, or less when `signal` aborts meanwhile (it resolves then; the caller looks at the signal). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The wait before attempt `attempt + 2`, after `attempt + 1` throttled attempts (0-based `attempt`). */
export function backoffMs(attempt: number, options: RetryOptions = {}, random: () => number = Math.random) {
  const capped = Math.min(options.maxWaitMs ?? 20_000, (options.firstWaitMs ?? 500) * 2 ** attempt);
  if (options.jitter === 'full') return Math.floor(random() * capped);
  if (options.jitter === 'equal') return Math.floor(capped / 2 + random() * (capped / 2));
  return capped;
}

/**
 * Runs `call`, and again after a wait each time it failed with a retryable error (AWS throttled it, unless
 * `retryable` says otherwise), up to `attempts` in all. Any other error, the last retryable one, or an abort
 * ends it with that error.
 */
export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  const retryable = options.retryable ?? isThrottling;
  const wait = options.sleep ?? sleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!retryable(error) || attempt + 1 >= attempts || options.signal?.aborted) throw error;
      await wait(backoffMs(attempt, options), options.signal);
    }
  }
}
