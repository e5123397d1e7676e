/**
 * Gathers the fleet's Config items node by node and writes, at the end, one Config snapshot per account, Region
 * and day. Items go to a scratch file per account and Region, each distinct item once with the days it is
 * listed on (most instances are unchanged from day to day), so memory holds one account and Region at a time.
 */
import { gzipSync, constants } from 'node:zlib';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { configSnapshotKey, type ConfigItems } from './config.js';
import { LineFile } from './write.js';

export interface ConfigSnapshotDay {
  /** Keys of the day's Config snapshot files, from the bucket copy's root. */
  readonly keys: string[];
  readonly bytes: number;
}

export class ConfigSnapshots {
  private readonly files = new Map<string, LineFile>();

  constructor(
    private readonly scratchDir: string,
    private readonly seed: number,
  ) {}

  /** One node's items, by day (undefined or null where no snapshot lists it). */
  async addNode(
    accountId: string,
    region: string,
    byDay: readonly (ConfigItems | null | undefined)[],
  ): Promise<void> {
    const instance = new Map<string, number[]>();
    const compliance = new Map<string, number[]>();
    const note = (texts: Map<string, number[]>, text: string, d: number) => {
      const days = texts.get(text);
      if (days) days.push(d);
      else texts.set(text, [d]);
    };
    for (const [d, items] of byDay.entries()) {
      if (!items) continue;
      note(instance, items.instance, d);
      if (items.compliance !== null) note(compliance, items.compliance, d);
    }
    if (instance.size === 0) return;
    const file = await this.fileOf(accountId, region);
    // The instance item first, then its compliance: a day's document lists them in that order, node by node.
    for (const texts of [instance, compliance]) {
      for (const [text, days] of texts) await file.write(`${days.join(',')}\t${text}`);
    }
  }

  /**
   * Writes every account and Region's snapshot for each day into that day's copy (`copies[d]`, delivered at
   * `times[d]`), the last day's also into `bucketDir`, then removes the scratch files.
   */
  async write(
    accounts: readonly string[],
    regions: readonly string[],
    times: readonly number[],
    copies: readonly string[],
    bucketDir: string,
  ): Promise<ConfigSnapshotDay[]> {
    await Promise.all([...this.files.values()].map((file) => file.close()));
    const days = times.map(() => ({ keys: [] as string[], bytes: 0 }));
    for (const accountId of accounts) {
      for (const region of regions) {
        const byDay = await this.readItems(accountId, region, times.length);
        for (const [d, t] of times.entries()) {
          const copy = copies[d];
          const day = days[d];
          if (copy === undefined || day === undefined) continue;
          const { key, snapshotId } = configSnapshotKey(accountId, region, this.seed, t);
          const document = `{"fileVersion":"1.0","configSnapshotId":"${snapshotId}","configurationItems":[${(byDay[d] ?? []).join(',')}]}`;
          // Fixed settings; Node writes no file name and a zero mtime, so the bytes depend on the content only.
          const bytes = gzipSync(document, { level: constants.Z_BEST_COMPRESSION });
          const path = join(copy, key);
          await mkdir(dirname(path), { recursive: true });
          await writeFile(path, bytes);
          if (d === times.length - 1 && copy !== bucketDir) {
            await mkdir(dirname(join(bucketDir, key)), { recursive: true });
            await link(path, join(bucketDir, key));
          }
          day.keys.push(key);
          day.bytes += bytes.length;
        }
      }
    }
    await rm(this.scratchDir, { recursive: true, force: true });
    for (const day of days) day.keys.sort();
    return days;
  }

  private async fileOf(accountId: string, region: string): Promise<LineFile> {
    const name = `${accountId}_${region}.tsv`;
    let file = this.files.get(name);
    if (!file) {
      if (this.files.size === 0) await mkdir(this.scratchDir, { recursive: true });
      this.files.set(name, (file = new LineFile(join(this.scratchDir, name))));
    }
    return file;
  }

  private async readItems(accountId: string, region: string, dayCount: number): Promise<string[][]> {
    const byDay = Array.from({ length: dayCount }, () => [] as string[]);
    if (!this.files.has(`${accountId}_${region}.tsv`)) return byDay;
    const text = await readFile(join(this.scratchDir, `${accountId}_${region}.tsv`), 'utf8');
    for (const line of text.split('\n')) {
      const tab = line.indexOf('\t');
      if (tab < 0) continue;
      const item = line.slice(tab + 1);
      for (const d of line.slice(0, tab).split(',')) byDay[Number(d)]?.push(item);
    }
    return byDay;
  }
}
