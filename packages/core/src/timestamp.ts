/**
 * Strict ISO-8601 parsing for inventory timestamps. The agent writes `2024-05-01T02:03:11Z`; other writers
 * add fractions or offsets, or drop the zone. A value without a zone is taken as UTC, as the agent means it.
 * `Date.parse` is not used because it accepts far more (`"1"`, `"May 1"`) than belongs in audit evidence.
 */
const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$/;

/** Milliseconds since the epoch, or undefined when the text is not an ISO-8601 date or instant. */
export function parseIsoInstant(text: string): number | undefined {
  const m = ISO_PATTERN.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const millis = Number(frac.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 2024-02-31 over to March: a round trip through the parts catches impossible dates.
  const check = new Date(utc);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined;
  }
  if (zone === 'Z' || zone === 'z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return utc - sign * offsetMinutes * 60_000;
}

/** `2026-10-31T23:59:59Z`: an instant in UTC, to the second, with its zone spelled out. */
export function formatInstant(epochMillis: number): string {
  return new Date(epochMillis).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
