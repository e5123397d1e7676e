/** Writes many small files with a bounded number in flight, creating folders once. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { link, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export class FileWriter {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly folders = new Set<string>();
  /** Writes not yet finished, so a link to one waits for it. */
  private readonly pending = new Map<string, Promise<void>>();
  files = 0;
  bytes = 0;

  constructor(private readonly concurrency = 64) {}

  private async folder(path: string): Promise<void> {
    const dir = dirname(path);
    if (!this.folders.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.folders.add(dir);
    }
  }

  private async enqueue(task: () => Promise<void>, path: string): Promise<void> {
    while (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight);
    const promise = task().finally(() => {
      this.inFlight.delete(promise);
      if (this.pending.get(path) === promise) this.pending.delete(path);
    });
    this.inFlight.add(promise);
    this.pending.set(path, promise);
  }

  write(path: string, content: string): Promise<void> {
    this.files++;
    this.bytes += Buffer.byteLength(content);
    return this.enqueue(async () => {
      await this.folder(path);
      await writeFile(path, content);
    }, path);
  }

  /** A hard link to a file already written (unchanged since the previous day): no bytes twice on disk. */
  link(existing: string, path: string): Promise<void> {
    this.files++;
    return this.enqueue(async () => {
      await this.pending.get(existing);
      await this.folder(path);
      await link(existing, path);
    }, path);
  }

  async flush(): Promise<void> {
    await Promise.all(this.inFlight);
  }
}

/** An append-only text file that respects back-pressure. */
export class LineFile {
  private readonly stream: WriteStream;

  constructor(path: string) {
    this.stream = createWriteStream(path);
  }

  async write(line: string): Promise<void> {
    if (!this.stream.write(`${line}\n`))
      await new Promise<void>((resolve) => this.stream.once('drain', () => resolve()));
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
}
