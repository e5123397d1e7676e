import { describe, expect, it } from 'vitest';
import { rewriteTrinoSql } from './trino-compat.js';

describe('rewriteTrinoSql', () => {
  it("rewrites the recipe's LISTAGG … WITHIN GROUP into string_agg", () => {
    expect(
      rewriteTrinoSql(`SELECT LISTAGG(DISTINCT ci.id, ', ') WITHIN GROUP (ORDER BY ci.id) AS ids FROM t`),
    ).toBe(`SELECT string_agg(DISTINCT ci.id, ', ' ORDER BY ci.id) AS ids FROM t`);
  });

  it('handles nested parentheses, lower case and several occurrences', () => {
    expect(
      rewriteTrinoSql(
        `listagg(upper(a), ';') within group (order by lower(b)), LISTAGG(c, ',') WITHIN GROUP (ORDER BY c DESC)`,
      ),
    ).toBe(`string_agg(upper(a), ';' ORDER BY lower(b)), string_agg(c, ',' ORDER BY c DESC)`);
  });

  it('leaves literals, quoted identifiers, comments and DuckDB listagg alone', () => {
    const untouched = [
      `SELECT 'LISTAGG(x, y) WITHIN GROUP (ORDER BY x)' AS s`,
      `SELECT "LISTAGG(" FROM t`,
      `-- LISTAGG(a, b) WITHIN GROUP (ORDER BY a)\nSELECT 1`,
      `SELECT listagg(a, ',') FROM t`,
      `SELECT my_listagg(a, ',') WITHIN GROUP (ORDER BY a)`,
    ];
    for (const text of untouched) expect(rewriteTrinoSql(text)).toBe(text);
  });
});
