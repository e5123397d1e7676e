/** Time arithmetic in epoch milliseconds, UTC throughout, formatted the way the SSM agent writes times. */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;

let lastInstant = Number.NaN;
let lastText = '';

/** `YYYY-MM-DDTHH:MM:SSZ`: the agent's `%Y-%m-%dT%H:%M:%SZ`, no fractional seconds. */
export function isoSeconds(t: number): string {
  // Consecutive calls mostly format the same instant (every line of a file carries its capture time).
  if (t !== lastInstant) {
    lastInstant = t;
    lastText = `${new Date(t).toISOString().slice(0, 19)}Z`;
  }
  return lastText;
}

/** `YYYY-MM-DD` of the UTC day holding `t`. */
export const isoDate = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** Days since 1970-01-01 of the UTC day holding `t`. */
export const dayNumber = (t: number): number => Math.floor(t / DAY);
