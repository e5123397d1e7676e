import { S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { isNetworkError, isRetryable, isThrottling } from './errors.js';

const named = (name: string, extra: object = {}) => Object.assign(new Error('x'), { name }, extra);

describe('isThrottling', () => {
  it('takes every name the four earlier lists held', () => {
    // The names the four earlier lists held between them, each of which one of them missed.
    for (const name of [
      'Throttling',
      'ThrottlingException',
      'TooManyRequestsException',
      'RequestLimitExceeded',
      'SlowDown',
      'RequestThrottled',
      'RequestThrottledException',
      'ThrottledException',
    ]) {
      expect(isThrottling(named(name)), name).toBe(true);
    }
  });

  it('takes a 429 status and the SDK’s throttling trait whatever the name', () => {
    expect(isThrottling(named('Whatever', { $metadata: { httpStatusCode: 429 } }))).toBe(true);
    expect(isThrottling(named('Whatever', { $retryable: { throttling: true } }))).toBe(true);
    expect(isThrottling(named('Whatever', { $retryable: { throttling: false } }))).toBe(false);
  });

  it('takes S3’s SlowDown as the SDK raises it', () => {
    const error = new S3ServiceException({
      name: 'SlowDown',
      $fault: 'server',
      $metadata: { httpStatusCode: 503 },
      message: 'Please reduce your request rate.',
    });
    expect(isThrottling(error)).toBe(true);
  });

  it('refuses other errors and anything that is not an error object', () => {
    for (const value of [
      named('AccessDeniedException'),
      named('NoSuchKey', { $metadata: { httpStatusCode: 404 } }),
      named('InternalError', { $metadata: { httpStatusCode: 500 } }),
      undefined,
      null,
      'ThrottlingException',
      429,
    ]) {
      expect(isThrottling(value), String(value)).toBe(false);
    }
  });
});

describe('isRetryable', () => {
  it('takes network failures, throttling and server faults; refuses client faults', () => {
    expect(isNetworkError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isNetworkError(new Error('socket hang up'))).toBe(true);
    expect(isRetryable(Object.assign(new Error('x'), { code: 'ETIMEDOUT' }))).toBe(true);
    expect(isRetryable(named('SlowDown', { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isRetryable(named('InternalError', { $metadata: { httpStatusCode: 500 } }))).toBe(true);
    expect(isRetryable(named('Whatever', { $fault: 'server' }))).toBe(true);
    expect(isRetryable(named('AccessDenied', { $metadata: { httpStatusCode: 403 }, $fault: 'client' }))).toBe(
      false,
    );
    expect(isRetryable(undefined)).toBe(false);
  });
});
