import { describe, expect, it } from 'vitest';
import { backoffMs, withRetry } from './retry.js';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

/** A call failing with `errors` in turn, then answering `value`; counts its attempts. */
function flaky<T>(errors: Error[], value: T) {
  let attempts = 0;
  return {
    attempts: () => attempts,
    call: () => {
      const error = errors[attempts++];
      return error ? Promise.reject(error) : Promise.resolve(value);
    },
  };
}

describe('withRetry', () => {
  it('waits twice as long after each throttled attempt, then returns the answer', async () => {
    const waits: number[] = [];
    const call = flaky([throttled(), throttled(), throttled()], 'done');
    const sleep = (ms: number) => (waits.push(ms), Promise.resolve());
    await expect(withRetry(call.call, { firstWaitMs: 100, sleep })).resolves.toBe('done');
    expect(waits).toEqual([100, 200, 400]);
    expect(call.attempts()).toBe(4);
  });

  it('gives up after the bounded attempts with the last throttling error', async () => {
    const last = throttled();
    const call = flaky([throttled(), throttled(), last], 'never');
    const sleep = () => Promise.resolve();
    await expect(withRetry(call.call, { attempts: 3, sleep })).rejects.toBe(last);
    expect(call.attempts()).toBe(3);
  });

  it('raises any other error at once', async () => {
    const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException' });
    const call = flaky([denied], 'never');
    await expect(withRetry(call.call, { sleep: () => Promise.resolve() })).rejects.toBe(denied);
    expect(call.attempts()).toBe(1);
  });

  it('retries what `retryable` accepts instead', async () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const call = flaky([reset, reset], 'bytes');
    const retryable = (error: unknown) => (error as { code?: string }).code === 'ECONNRESET';
    const sleep = () => Promise.resolve();
    await expect(withRetry(call.call, { retryable, sleep })).resolves.toBe('bytes');
    expect(call.attempts()).toBe(3);
    await expect(withRetry(flaky([throttled()], 'x').call, { retryable, sleep })).rejects.toThrow('Rate');
  });

  it('stops retrying once the signal aborted', async () => {
    const controller = new AbortController();
    const call = flaky([throttled(), throttled()], 'never');
    const sleep = () => (controller.abort(), Promise.resolve());
    await expect(withRetry(call.call, { signal: controller.signal, sleep })).rejects.toThrow('Rate exceeded');
    expect(call.attempts()).toBe(2);
  });
});

describe('backoffMs', () => {
  it('doubles up to the cap; full jitter draws below it', () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffMs(a, { firstWaitMs: 500 }))).toEqual([
      500, 1000, 2000, 4000, 8000, 16_000,
    ]);
    expect(backoffMs(6, { firstWaitMs: 500 })).toBe(20_000);
    expect(backoffMs(3, { firstWaitMs: 500, maxWaitMs: 3000 })).toBe(3000);
    expect(backoffMs(2, { firstWaitMs: 500, jitter: 'full' }, () => 0.25)).toBe(500);
    expect(backoffMs(2, { firstWaitMs: 500, jitter: 'full' }, () => 0.999)).toBe(1998);
    expect(backoffMs(2, { firstWaitMs: 500, jitter: 'equal' }, () => 0)).toBe(1000);
    expect(backoffMs(2, { firstWaitMs: 500, jitter: 'equal' }, () => 0.5)).toBe(1500);
  });
});
