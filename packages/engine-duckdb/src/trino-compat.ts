/**
 * Lets queries written for Athena (Trino) run unchanged on DuckDB, as the AWS recipe's queries must.
 *
 * Most of Trino's syntax that the recipe uses already works in DuckDB. The gaps are closed two ways:
 * - functions DuckDB lacks become macros (created once per database);
 * - `LISTAGG(x, sep) WITHIN GROUP (ORDER BY y)`, which is syntax rather than a function, is rewritten to
 *   DuckDB's `string_agg(x, sep ORDER BY y)` before the query runs. The rewrite skips string literals,
 *   quoted identifiers and comments, and touches nothing else.
 */

export const TRINO_MACROS = [
  `CREATE OR REPLACE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)`,
  `CREATE OR REPLACE MACRO from_iso8601_date(s) AS CAST(s AS DATE)`,
  `CREATE OR REPLACE MACRO approx_distinct(x) AS approx_count_distinct(x)`,
  `CREATE OR REPLACE MACRO to_iso8601(t) AS strftime(t, '%Y-%m-%dT%H:%M:%SZ')`,
];

/** Index just past the literal, quoted identifier or comment starting at `i`, or `i` if none starts there. */
function skipOpaque(text: string, i: number): number {
  const ch = text[i];
  if (ch === "'" || ch === '"') {
    let j = i + 1;
    while (j < text.length) {
      if (text[j] === ch) {
        if (text[j + 1] === ch) j += 2;
        else return j + 1;
      } else j++;
    }
    return text.length;
  }
  if (ch === '-' && text[i + 1] === '-') {
    const end = text.indexOf('\n', i);
    return end === -1 ? text.length : end;
  }
  if (ch === '/' && text[i + 1] === '*') {
    const end = text.indexOf('*/', i + 2);
    return end === -1 ? text.length : end + 2;
  }
  return i;
}

/** Index of the parenthesis closing the one at `open`, or -1. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length;) {
    const skipped = skipOpaque(text, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
    i++;
  }
  return -1;
}

const LISTAGG = /\bLISTAGG\s*\(/iy;
const WITHIN_GROUP = /\s*WITHIN\s+GROUP\s*\(\s*ORDER\s+BY\b/iy;

/** Rewrites Trino's `LISTAGG … WITHIN GROUP (ORDER BY …)` into DuckDB's `string_agg(… ORDER BY …)`. */
export function rewriteTrinoSql(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const skipped = skipOpaque(text, i);
    if (skipped !== i) {
      out += text.slice(i, skipped);
      i = skipped;
      continue;
    }
    LISTAGG.lastIndex = i;
    const start = LISTAGG.exec(text);
    if (start && (i === 0 || !/\w/.test(text[i - 1] ?? ''))) {
      const open = i + start[0].length - 1;
      const close = closingParen(text, open);
      WITHIN_GROUP.lastIndex = close + 1;
      const within = close === -1 ? null : WITHIN_GROUP.exec(text);
      if (within) {
        const groupOpen = text.indexOf('(', close + 1);
        const groupClose = closingParen(text, groupOpen);
        if (groupClose !== -1) {
          const args = rewriteTrinoSql(text.slice(open + 1, close));
          const order = text.slice(close + 1 + within[0].length, groupClose);
          out += `string_agg(${args} ORDER BY${rewriteTrinoSql(order)})`;
          i = groupClose + 1;
          continue;
        }
      }
    }
    out += text[i];
    i++;
  }
  return out;
}
