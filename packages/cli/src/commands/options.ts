import { InvalidArgumentError } from 'commander';

/** Parses a whole number option, or says what was expected. */
export function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number, got "${value}".`);
  return Number(value);
}

/** Parses a percentage from 0 to 100 (decimals allowed, e.g. 12.5), or says what was expected. */
export function percentage(value: string): number {
  const number = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || number > 100) {
    throw new InvalidArgumentError(`expected a percentage from 0 to 100 such as 12.5, got "${value}".`);
  }
  return number;
}

/** Collects repeated `--param key=value` options into an object. */
export function keyValue(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected key=value, got "${value}".`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

const DURATION_UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** The longest `--every`: a timer cannot wait longer than 2^31-1 ms (about 24.8 days). */
const MAX_DURATION_MS = 24 * DURATION_UNIT_MS.d;

/** Parses a duration such as `30s`, `15m`, `1h` or `1d` into milliseconds, or says what was expected. */
export function duration(value: string): number {
  const match = /^(\d+)([smhd])$/.exec(value);
  const ms = match ? Number(match[1]) * DURATION_UNIT_MS[match[2] as keyof typeof DURATION_UNIT_MS] : 0;
  if (ms < 1000 || ms > MAX_DURATION_MS) {
    throw new InvalidArgumentError(
      `expected a duration from 1s to 24d: a whole number and one of s, m, h, d (e.g. 30s, 15m, 1h, 1d), got "${value}".`,
    );
  }
  return ms;
}
