export { isNetworkError, isRetryable, isThrottling } from './errors.js';
export { backoffMs, sleep, withRetry, type RetryOptions } from './retry.js';
export { forEachLimited } from './limit.js';
