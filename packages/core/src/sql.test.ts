import { describe, expect, it } from 'vitest';
import { sql } from './sql.js';

describe('sql', () => {
  it('binds every value as a parameter, never as text', () => {
    const hostile = "x' OR '1'='1";
    const query = sql`SELECT * FROM t WHERE a = ${hostile} AND b IN ${sql.list([1, 2])}`.compile();
    expect(query).toEqual({
      sql: 'SELECT * FROM t WHERE a = ? AND b IN (?, ?)',
      parameters: [hostile, 1, 2],
    });
  });

  it('nests fragments in order and matches nothing for an empty list', () => {
    const inner = sql`c = ${'v'}`;
    expect(sql`WHERE ${inner} AND d IN ${sql.list([])} AND e = ${3}`.compile()).toEqual({
      sql: 'WHERE c = ? AND d IN (NULL) AND e = ?',
      parameters: ['v', 3],
    });
  });
});
