/**
 * Answers are a pure function of (data version, evaluation time, request), so they are kept until one of those
 * changes. Identical requests arriving together share one computation; failures are not kept.
 *
 * The cache holds at most `capacity` answers and, when it weighs them, at most `maxWeight` in all: an answer's
 * size varies by thousands (a CVE carried by half of a 100,000-node fleet is 50,000 rows, a summary one), so a
 * count alone bounds nothing. The least recently used go first; the newest answer always stays.
 */
export interface CacheLimits<T> {
  /** Answers kept at most. */
  readonly capacity: number;
  /** What an answer weighs once computed (e.g. its cells), and the most all of them may weigh together. */
  readonly weigh?: (value: T) => number;
  readonly maxWeight?: number;
}

interface Entry<T> {
  readonly value: Promise<T>;
  weight: number;
}

export class AnswerCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private weight = 0;

  constructor(private readonly limits: CacheLimits<T>) {}

  get(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      // Map keeps insertion order: re-inserting marks the entry as the most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const entry: Entry<T> = { value: compute(), weight: 0 };
    this.entries.set(key, entry);
    entry.value.then(
      (value) => {
        // Weighed once computed, if it is still kept by then.
        if (this.entries.get(key) !== entry || !this.limits.weigh) return;
        entry.weight = this.limits.weigh(value);
        this.weight += entry.weight;
        this.evict();
      },
      () => this.delete(key, entry),
    );
    this.evict();
    return entry.value;
  }

  /** Forgets every answer whose key starts with `prefix`: answers of data or a time no longer shown. */
  dropPrefix(prefix: string): void {
    for (const [key, entry] of [...this.entries]) if (key.startsWith(prefix)) this.delete(key, entry);
  }

  /** The answers kept, and what they weigh together. */
  get size(): { answers: number; weight: number } {
    return { answers: this.entries.size, weight: this.weight };
  }

  private evict(): void {
    const maxWeight = this.limits.maxWeight ?? Infinity;
    while (this.entries.size > 1 && (this.entries.size > this.limits.capacity || this.weight > maxWeight)) {
      const [oldest, entry] = this.entries.entries().next().value!;
      this.delete(oldest, entry);
    }
  }

  private delete(key: string, entry: Entry<T>): void {
    if (this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    this.weight -= entry.weight;
  }
}
