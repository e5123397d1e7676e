/** File output with bounded concurrency and back-pressure, so memory stays flat however large the fleet. */
import { createWriteStream, type WriteStream } from 'node:fs';

/** Runs asynchronous tasks with at most `limit` in flight; the first failure is raised by the next call. */
export class BoundedTasks {
  private readonly inFlight = new Set<Promise<void>>();
  /** Callers waiting for a slot, woken one per finished task (cheaper than racing every task in flight). */
  private readonly waiting: (() => void)[] = [];
  private failure: { error: unknown } | null = null;

  constructor(private readonly limit: number) {}

  /** Starts `task` once a slot is free; resolves when it has started, not when it has finished. */
  async start(task: () => Promise<void>): Promise<void> {
    if (this.inFlight.size >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.raiseFailure();
    const running: Promise<void> = task()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => {
        this.inFlight.delete(running);
        this.waiting.shift()?.();
      });
    this.inFlight.add(running);
  }

  /** Waits for every task started so far. */
  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
    this.raiseFailure();
  }

  private raiseFailure(): void {
    if (this.failure) throw this.failure.error;
  }
}

/** An append-only text file of lines that waits when the disk falls behind. */
export class LineFile {
  private readonly stream: WriteStream;

  constructor(path: string) {
    this.stream = createWriteStream(path);
  }

  async write(line: string): Promise<void> {
    if (!this.stream.write(`${line}\n`)) {
      await new Promise<void>((resolve) => this.stream.once('drain', resolve));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}
