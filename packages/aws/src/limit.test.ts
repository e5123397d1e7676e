import { describe, expect, it } from 'vitest';
import { forEachLimited } from './limit.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 2));

describe('forEachLimited', () => {
  it('runs every item with never more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachLimited([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await tick();
      done.push(n);
      running--;
    });
    expect(peak).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('starts nothing new after the first failure, and raises it', async () => {
    const started: number[] = [];
    const failure = new Error('item 2 failed');
    await expect(
      forEachLimited([1, 2, 3, 4, 5, 6], 2, async (n) => {
        started.push(n);
        await tick();
        if (n === 2) throw failure;
      }),
    ).rejects.toBe(failure);
    // 1 and 2 ran together; 3 started when 1 finished, before 2 failed; nothing after.
    expect(started).toEqual([1, 2, 3]);
  });

  it('one at a time: a failing item is the last one started', async () => {
    const started: number[] = [];
    const error = await forEachLimited([1, 2, 3, 4], 1, async (n) => {
      started.push(n);
      if (n === 2) throw new Error('boom');
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('boom');
    expect(started).toEqual([1, 2]);
  });

  it('treats a limit below one as one', async () => {
    let peak = 0;
    let running = 0;
    await forEachLimited([1, 2, 3], 0, async () => {
      peak = Math.max(peak, ++running);
      await tick();
      running--;
    });
    expect(peak).toBe(1);
  });
});
