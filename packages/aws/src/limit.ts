/**
 * Bounded concurrency for AWS calls (uploads, per-node API calls), on `p-limit`: at most `concurrency` tasks run
 * at once, and after the first failure no new task starts.
 */
import pLimit from 'p-limit';

/** Runs `work` over `items` with at most `concurrency` at once; the first failure stops new work and is raised. */
export async function forEachLimited<T>(
  items: Iterable<T>,
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const limit = pLimit(Math.max(1, Math.floor(concurrency)));
  let failed = false;
  const settled = await Promise.allSettled(
    Array.from(items, (item) =>
      limit(async () => {
        if (failed) return;
        try {
          await work(item);
        } catch (error) {
          failed = true;
          throw error;
        }
      }),
    ),
  );
  const rejected = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}

export { pLimit };
