/**
 * Retries a call that AWS throttled, waiting twice as long each time (bounded in count). The SDK's own retry
 * has spent its attempts by then; this covers bursts such as a StackSet creating a sync in every account at once.
 *
 * The one retry outside `@patchboard/aws`, on purpose: the platform-tags handler is inline CloudFormation code
 * (at most 4,096 characters) and the commons, with the SDK's throttling classification it imports, bundles to
 * about 17,000. Everything that is not inline code uses the commons.
 */

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'TooManyUpdates',
  'RequestLimitExceeded',
]);

export interface RetryOptions {
  /** Attempts in all, the first included; default 6. */
  readonly attempts?: number;
  /** First wait in milliseconds, doubled after each throttled attempt; default 500. */
  readonly firstWaitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: { throttling?: boolean } } | undefined;
  return THROTTLING.has(e?.name ?? '') || e?.$retryable?.throttling === true;
}

export async function withThrottleRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  const sleep = options.sleep ?? defaultSleep;
  let wait = options.firstWaitMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error) || attempt >= attempts) throw error;
      await sleep(wait);
      wait *= 2;
    }
  }
}
