/** Writes many small files with a bounded number in flight, creating folders once. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { link, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export class FileWriter {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly folders = new Set<string>();
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

  private async enqueue(task: () => Promise<void>): Promise<void> {
    while (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight);
    const promise = task().finally(() => this.inFlight.delete(promise));
    this.inFlight.add(promise);
  }

  write(path: string, content: string): Promise<void> {
    this.files++;
    this.bytes += Buffer.byteLength(content);
    return this.enqueue(async () => {
      await this.folder(path);
      await writeFile(path, content);
    });
  }

  /** A hard link to a file already written (unchanged since the previous day): no bytes twice on disk. */
  link(existing: string, path: string): Promise<void> {
    this.files++;
    return this.enqueue(async () => {
      await this.folder(path);
      await link(existing, path);
    });
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
