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
