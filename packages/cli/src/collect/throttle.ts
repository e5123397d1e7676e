/**
 * How hard the collector presses on the SSM API: a bounded request rate shared by every call, a bounded number
 * of nodes in flight, and a bounded second line of retries for throttling that outlasts the SDK's own
 * (adaptive) retries — which restarts a paginator at the page that failed, not at the first.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isThrottling, translateAwsError } from './aws-errors.js';

/** Spaces request starts at least `1000 / maxPerSecond` ms apart (a token bucket of one). */
export class RequestRate {
  private next = 0;
  private readonly intervalMs: number;

  constructor(maxPerSecond: number) {
    this.intervalMs = maxPerSecond > 0 ? 1000 / maxPerSecond : 0;
  }

  async take(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.next);
    this.next = at + this.intervalMs;
    if (at > now) await sleep(at - now);
  }
}

/** Runs `work` over `items` with at most `limit` at once; the first failure stops new work and is raised. */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let index = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && index < items.length) {
      const item = items[index++]!;
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(
    Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker),
  );
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}

export interface ThrottleOptions {
  /** Requests per second across the whole collection. */
  readonly maxRequestsPerSecond: number;
  /** Attempts after the SDK's own retries gave up on throttling (the first attempt included). */
  readonly throttleAttempts: number;
  /** First wait before such an attempt; doubled each time, capped at 20 s. */
  readonly throttleBaseDelayMs: number;
}

/** One Region's calls: rate-limited, retried on throttling, errors translated with the IAM action named. */
export class ApiCaller {
  constructor(
    private readonly rate: RequestRate,
    private readonly options: ThrottleOptions,
    readonly region: string,
  ) {}

  private async backoff(attempt: number): Promise<void> {
    const ms = Math.min(20_000, this.options.throttleBaseDelayMs * 2 ** attempt);
    // Full jitter, so nodes throttled together do not come back together.
    if (ms > 0) await sleep(Math.random() * ms);
  }

  /** One request. `action` is the IAM action (`ssm:GetPatchBaseline`), named in errors. */
  async call<T>(action: string, request: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await this.rate.take();
      try {
        return await request();
      } catch (error) {
        if (isThrottling(error) && attempt + 1 < this.options.throttleAttempts) {
          await this.backoff(attempt);
          continue;
        }
        throw translateAwsError(error, { action, region: this.region });
      }
    }
  }

  /**
   * Every page of an SDK paginator. `paginate(startingToken)` makes the paginator; after a throttled page it is
   * made again from that page's token, so pages already read are neither fetched again nor yielded twice.
   */
  async *pages<P>(
    action: string,
    paginate: (startingToken: string | undefined) => AsyncIterable<P>,
    nextToken: (page: P) => string | undefined,
    maxPages = 100_000,
  ): AsyncGenerator<P> {
    let token: string | undefined;
    let pages = 0;
    for (let attempt = 0; ;) {
      try {
        const iterator = paginate(token)[Symbol.asyncIterator]();
        for (;;) {
          await this.rate.take();
          const result = await iterator.next();
          if (result.done) return;
          attempt = 0;
          yield result.value;
          token = nextToken(result.value);
          if (++pages >= maxPages) return;
        }
      } catch (error) {
        if (isThrottling(error) && attempt + 1 < this.options.throttleAttempts) {
          await this.backoff(attempt++);
          continue;
        }
        throw translateAwsError(error, { action, region: this.region });
      }
    }
  }
}
