import { describe, expect, it, vi } from 'vitest';
import { emit, renderReport } from './output.js';

const hostile = {
  report: 'node-compliance',
  generatedAt: '2026-10-31T23:59:59Z',
  params: {},
  result: {
    columns: [
      { name: 'name', type: 'string' as const },
      { name: 'missing_count', type: 'integer' as const },
    ],
    rows: [
      { name: '\u001b[2J\u001b[31mred\u0007', missing_count: -3 },
      { name: '=HYPERLINK("https://example.invalid","x")', missing_count: 1 },
    ],
  },
};

describe('outputs carry hostile values as text', () => {
  it('a terminal table shows control characters escaped, never sends them', () => {
    const table = renderReport(hostile, 'table');
    // eslint-disable-next-line no-control-regex -- the point is that none reach the terminal
    expect(table).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(table).toContain('\\u001b[2J\\u001b[31mred\\u0007');
  });

  it('a CSV cell a spreadsheet would run as a formula starts with an apostrophe; numbers stay numbers', () => {
    const csv = renderReport(hostile, 'csv');
    expect(csv).toContain(`"'=HYPERLINK(""https://example.invalid"",""x"")"`);
    expect(csv.split('\r\n')[1]).toMatch(/,-3$/);
  });
});

describe('terminal and file destinations', () => {
  it('escapes control and invisible characters for a terminal, and writes the bytes unchanged elsewhere', async () => {
    const text = 'a\u001b[2Jb\u009bc\u202Ed\u200Be\r\nf\rg\n';
    const written: unknown[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      written.push(chunk);
      return true;
    });
    try {
      await emit(text, undefined, false, true);
      await emit(text, undefined, false, false);
      await emit(text, undefined, true, true);
    } finally {
      spy.mockRestore();
    }
    expect(written).toEqual([
      'a\\u001b[2Jb\\u009bc\\u202ed\\u200be\r\nf\\u000dg\n',
      text,
      // A text that escapes its values itself (the table) is written as it is.
      text,
    ]);
  });
});

describe('CSV formula guard', () => {
  it('guards a formula character at the start, after white space, full-width, or on a later line', () => {
    const cells = (value: string) =>
      renderReport(
        { ...hostile, result: { columns: hostile.result.columns, rows: [{ name: value }] } },
        'csv',
      )
        .split('\r\n')[1]
        ?.replace(/,$/, '');
    const guarded = ['=1', ' =1', '\u00a0+1', '\uff1d1', '\uff20x', '\t1', 'x\n=1', 'x\r\n @1', '\u3000-1'];
    for (const value of guarded) expect(cells(value), JSON.stringify(value)).toMatch(/^"?'/);
    for (const value of ['a=b', 'x -1', '1+1', 'plain']) expect(cells(value), value).toBe(value);
  });
});
