import { describe, expect, it } from 'vitest';
import { renderReport } from './output.js';

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
