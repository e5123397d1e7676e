import { describe, expect, it, vi } from 'vitest';
import { emit, fitColumnWidths, renderReport } from './output.js';

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

describe('terminal tables', () => {
  // team-environment's shape: a long list of unmanaged instances next to short names and counts.
  const ids = ['i-0123456789abcdef0', 'i-0fedcba9876543210', 'i-0aaaaaaaaaaaaaaa1', 'i-0bbbbbbbbbbbbbbb2'];
  const wide = {
    report: 'team-environment',
    generatedAt: '2026-10-31T23:59:59Z',
    params: {},
    result: {
      columns: [
        { name: 'team', type: 'string' as const },
        { name: 'environment', type: 'string' as const },
        { name: 'nodes', type: 'integer' as const },
        { name: 'unmanaged_instances', type: 'string' as const },
      ],
      rows: [
        { team: 'payments', environment: 'prod', nodes: 120, unmanaged_instances: ids.join(', ') },
        { team: 'identity', environment: 'dev', nodes: 7, unmanaged_instances: '' },
      ],
    },
  };
  // eslint-disable-next-line no-control-regex -- the table's own colours take no columns
  const uncoloured = (text: string) => text.replaceAll(/\u001b\[[\d;]*m/g, '');
  const lines = (text: string) =>
    uncoloured(text)
      .split('\n')
      .filter((l) => /^[┌│├└]/.test(l));

  it('fits a narrow terminal: the widest column is cut with …, the others keep their width', () => {
    const text = uncoloured(renderReport(wide, 'table', true, 60));
    // Natural widths with padding 10, 13, 7 and 82 (the 80-character cap); 60 columns less 5 borders leave 55,
    // so the list's column gets 55 - 30 = 25: 23 characters between its spaces, the last one `…`.
    expect(lines(text).map((line) => line.length)).toEqual([60, 60, 60, 60, 60, 60]);
    expect(text).toContain(`│ payments │ prod        │   120 │ ${ids.join(', ').slice(0, 22)}… │`);
    expect(text).toContain('│ identity │ dev         │     7 │');
  });

  it('leaves a table narrower than a wide terminal as it is, without rules between rows', () => {
    const text = uncoloured(renderReport(wide, 'table', true, 200));
    expect(text).toBe(uncoloured(renderReport(wide, 'table', true)));
    // Top, header, the header's rule, two rows, bottom.
    expect(lines(text).map((line) => line.length)).toEqual(Array(6).fill(117));
    expect(text).toContain(`│ ${ids.join(', ').slice(0, 79)}… │`);
    expect(text.match(/├/g)).toHaveLength(1);
  });

  it('cuts every column to a few characters when a terminal is narrower than the natural widths allow', () => {
    const text = renderReport(wide, 'table', false, 40);
    expect(lines(text).map((line) => line.length)).toEqual(Array(6).fill(40));
    expect(text).toContain('│ team     │ enviro… │ nodes │ unmana… │');
  });
});

describe('fitColumnWidths', () => {
  it('cuts the widest columns to one width and keeps the narrow ones', () => {
    expect(fitColumnWidths([10, 13, 7, 82], 60)).toEqual([10, 13, 7, 25]);
    expect(fitColumnWidths([30, 40, 5], 60)).toEqual([26, 25, 5]);
    expect(fitColumnWidths([10, 13, 7, 82], 200)).toEqual([10, 13, 7, 82]);
    // Never below six (three characters and `…` with padding), even when that is wider than the terminal.
    expect(fitColumnWidths([20, 20, 20, 20], 12)).toEqual([6, 6, 6, 6]);
  });
});
