import { describe, expect, it } from 'vitest';
import { formatInstant, parseIsoInstant } from './timestamp.js';

describe('parseIsoInstant', () => {
  it.each([
    ['2024-05-01T02:03:11Z', '2024-05-01T02:03:11.000Z'],
    ['2024-05-01T02:03:11.5Z', '2024-05-01T02:03:11.500Z'],
    ['2021-05-03T11:00:56-07:00', '2021-05-03T18:00:56.000Z'],
    ['2021-05-03T11:00:56+0530', '2021-05-03T05:30:56.000Z'],
    ['2024-05-01 02:03:11', '2024-05-01T02:03:11.000Z'],
    ['2024-05-01', '2024-05-01T00:00:00.000Z'],
  ])('reads %s as %s (a value without a zone is UTC)', (text, iso) => {
    expect(new Date(parseIsoInstant(text)!).toISOString()).toBe(iso);
  });

  it.each(['yesterday', '1', 'May 1 2024', '2024-02-30T00:00:00Z', '2024-05-01T24:00:00Z', '2024-13-01', ''])(
    'refuses %j',
    (text) => {
      expect(parseIsoInstant(text)).toBeUndefined();
    },
  );

  it('formats instants in UTC with the zone spelled out', () => {
    expect(formatInstant(Date.UTC(2026, 9, 31, 23, 59, 59))).toBe('2026-10-31T23:59:59Z');
  });
});
