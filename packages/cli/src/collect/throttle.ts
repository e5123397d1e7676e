/**
 * How hard the collector presses on the SSM API: a bounded request rate shared by every call, a bounded number
 * of nodes in flight, and a bounded second line of retries for throttling that outlasts the SDK's own
 * (adaptive) retries — which restarts a paginator at the page that failed, not at the first.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffMs, isThrottling, type RetryOptions, withRetry } from '@patchboard/aws';
import { translateAwsError } from './aws-errors.js';

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

export interface ThrottleOptions {
  /** Requests per second across the whole collection. */
  readonly maxRequestsPerSecond: number;
  /** Attempts after the SDK's own retries gave up on throttling (the first attempt included). */
  readonly throttleAttempts: number;
  /** First wait before such an attempt; doubled each time, capped at 20 s, fully jittered. */
  readonly throttleBaseDelayMs: number;
}

/** The collector's throttling retries as the AWS commons takes them. */
const retryOptions = (options: ThrottleOptions): RetryOptions => ({
  attempts: options.throttleAttempts,
  firstWaitMs: options.throttleBaseDelayMs,
  maxWaitMs: 20_000,
  // Full jitter, so nodes throttled together do not come back together.
  jitter: 'full',
});

/** One Region's calls: rate-limited, retried on throttling, errors translated with the IAM action named. */
export class ApiCaller {
  private readonly retry: RetryOptions;

  constructor(
    private readonly rate: RequestRate,
    private readonly options: ThrottleOptions,
    readonly region: string,
  ) {
    this.retry = retryOptions(options);
  }

  /** One request. `action` is the IAM action (`ssm:GetPatchBaseline`), named in errors. */
  async call<T>(action: string, request: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(async () => {
        await this.rate.take();
        return request();
      }, this.retry);
    } catch (error) {
      throw translateAwsError(error, { action, region: this.region });
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
          await sleep(backoffMs(attempt++, this.retry));
          continue;
        }
        throw translateAwsError(error, { action, region: this.region });
      }
    }
  }
}
