import type { DuckDBConnection } from '@duckdb/node-api';
import {
  type CompiledQuery,
  type Dialect,
  duckdbDialect,
  PatchboardError,
  type QueryEngine,
  type QueryResult,
  type ResultRow,
} from '@patchboard/core';
import { closeDatabase, type OpenedDatabase } from './database.js';
import { columnType, normaliseValue } from './normalise.js';
import { rewriteTrinoSql } from './trino-compat.js';

/** Runs compiled queries on a Patchboard DuckDB database. */
export class DuckDbQueryEngine implements QueryEngine {
  readonly dialect: Dialect = duckdbDialect;

  constructor(private readonly db: OpenedDatabase) {}

  get connection(): DuckDBConnection {
    return this.db.connection;
  }

  async run(query: CompiledQuery): Promise<QueryResult> {
    let reader;
    try {
      reader = await this.db.connection.runAndReadAll(rewriteTrinoSql(query.sql), [...query.parameters]);
    } catch (error) {
      throw new PatchboardError('ENGINE', `DuckDB could not run the query: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const names = reader.columnNames();
    const columns = reader
      .columnTypes()
      .map((type, i) => ({ name: names[i] ?? `column${i}`, type: columnType(type) }));
    const rows = reader.getRowsJS().map((values) => {
      const row: ResultRow = {};
      columns.forEach((column, i) => {
        row[column.name] = normaliseValue(values[i], column.type);
      });
      return row;
    });
    return { columns, rows };
  }

  close(): Promise<void> {
    closeDatabase(this.db);
    return Promise.resolve();
  }
}
