/**
 * A tiny SQL template tag: values become bound parameters (`?`), never text in the query.
 * Identifiers and fragments come only from code (`sql.raw`, `sql.join`), never from user input.
 */

export type SqlValue = string | number | boolean | null;

/** A query ready for an engine: SQL text with `?` placeholders and its parameters in order. */
export interface CompiledQuery {
  readonly sql: string;
  readonly parameters: readonly SqlValue[];
}

export class SqlFragment {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly (SqlValue | SqlFragment)[],
  ) {}

  compile(): CompiledQuery {
    const parameters: SqlValue[] = [];
    let text = '';
    const visit = (fragment: SqlFragment): void => {
      fragment.strings.forEach((part, i) => {
        text += part;
        if (i < fragment.values.length) {
          const value = fragment.values[i];
          if (value instanceof SqlFragment) visit(value);
          else {
            text += '?';
            parameters.push(value ?? null);
          }
        }
      });
    };
    visit(this);
    return { sql: text, parameters };
  }
}

export function sql(strings: TemplateStringsArray, ...values: (SqlValue | SqlFragment)[]): SqlFragment {
  return new SqlFragment([...strings], values);
}

/** SQL text written in code. Never pass user input here. */
sql.raw = (text: string): SqlFragment => new SqlFragment([text], []);

/** Joins fragments with a separator written in code. */
sql.join = (fragments: readonly SqlFragment[], separator = ', '): SqlFragment => {
  if (fragments.length === 0) return sql.raw('');
  const strings = ['', ...fragments.slice(1).map(() => separator), ''];
  return new SqlFragment(strings, fragments);
};

/** A parenthesised list of bound values, for `IN (...)`. An empty list matches nothing. */
sql.list = (values: readonly (string | number)[]): SqlFragment =>
  values.length === 0 ? sql.raw('(NULL)') : sql`(${sql.join(values.map((v) => sql`${v}`))})`;
