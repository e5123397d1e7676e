/**
 * How Patchboard tells AWS failures apart, in one place for every caller (S3 reads, the SSM collector, Athena,
 * the Lambda handlers): throttling (wait and try again), network failures, and what else a later attempt may
 * get past.
 *
 * Throttling is the AWS SDK's own classification, imported rather than copied: `isThrottlingError` of
 * smithy-typescript's service-error-classification (packages/service-error-classification/src/index.ts, today
 * shipped as the `retry` submodule of `@smithy/core`) takes an error as throttling when its HTTP status is 429,
 * when the service marked it `$retryable: { throttling: true }`, or when its name is one of
 * `THROTTLING_ERROR_CODES` (constants.ts there: Throttling, ThrottlingException, TooManyRequestsException,
 * RequestLimitExceeded, SlowDown, RequestThrottled, RequestThrottledException, ThrottledException,
 * EC2ThrottledException, BandwidthLimitExceeded, LimitExceededException, PriorRequestNotComplete,
 * ProvisionedThroughputExceededException, TransactionInProgressException). So these retries agree with the
 * ones the SDK itself makes.
 */
import { isThrottlingError } from '@smithy/core/retry';

/** The fields of an SDK error looked at here; none of them carries a credential. */
interface SdkErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $fault?: 'client' | 'server';
}

const asError = (error: unknown): SdkErrorShape | undefined =>
  typeof error === 'object' && error !== null ? error : undefined;

/** Whether `error` (anything thrown) is AWS asking the caller to slow down. */
export function isThrottling(error: unknown): boolean {
  const e = asError(error);
  return e !== undefined && isThrottlingError(e as Parameters<typeof isThrottlingError>[0]);
}

/** Node's and the SDK's names for a connection that failed or timed out (reset, refused, unreachable). */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'TimeoutError',
  'RequestTimeout',
]);

/** Whether an error is a network-level failure (reset, refused, timeout) that a later attempt may not meet. */
export function isNetworkError(error: unknown): boolean {
  const e = asError(error);
  return (
    NETWORK_CODES.has(e?.code ?? '') ||
    NETWORK_CODES.has(e?.name ?? '') ||
    /socket hang up|aborted/i.test(e?.message ?? '')
  );
}

/** Whether a later attempt may succeed: network failures, throttling and the service's own (5xx) faults. */
export function isRetryable(error: unknown): boolean {
  const status = asError(error)?.$metadata?.httpStatusCode;
  return (
    isNetworkError(error) ||
    isThrottling(error) ||
    asError(error)?.$fault === 'server' ||
    (status !== undefined && status >= 500)
  );
}
