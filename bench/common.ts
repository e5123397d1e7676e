/** What the bench scripts share: where they write, how they time, and the generated fleets they reuse. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateFleet, type GenerateOptions } from '@patchboard/generator';

/** Generated fleets and databases, kept between runs (git-ignored); `BENCH_OUT` moves them elsewhere. */
export const OUT = process.env.BENCH_OUT ?? join(import.meta.dirname, 'out');
export const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'patchboard.js');

/** A whole-number setting from the environment, or its default. */
export function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`${name}=${raw}: expected a whole number such as ${fallback}.`);
  return Number(raw);
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** The fleet's folder under OUT, generated once and reused while it is complete (a `.done` marker). */
export async function generatedFleet(
  name: string,
  options: Omit<GenerateOptions, 'outDir'>,
): Promise<{ dir: string; generatedMs?: number }> {
  const dir = join(OUT, name);
  if (existsSync(join(dir, '.done'))) return { dir };
  const [, generatedMs] = await timed(() => generateFleet({ ...options, outDir: dir }));
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(dir, '.done'), `${JSON.stringify(options)}\n`);
  console.log(`generated ${name} in ${seconds(generatedMs)}`);
  return { dir, generatedMs };
}
