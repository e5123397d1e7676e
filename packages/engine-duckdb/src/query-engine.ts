import { type DuckDBConnection, JSDuckDBValueConverter } from '@duckdb/node-api';
import {
  type CompiledQuery,
  type DataSpan,
  type DescribesSource,
  EC2_INSTANCE_TYPE,
  EC2_TAG_TYPE,
  type Dialect,
  PatchboardError,
  type QueryEngine,
  type QueryResult,
  type ResultRow,
  type RunOptions,
  type SourceFreshness,
  formatInstant,
  refuseUnanswerable,
} from '@patchboard/core';
import { AS_OF_SCHEMA, AS_OF_VARIABLE } from './history.js';
import { closeDatabase, type OpenedDatabase } from './database.js';
import { asOfDerivedTables, dialectOf } from './derived.js';
import { columnType, normaliseValue } from './normalise.js';
import { rewriteTrinoSql } from './trino-compat.js';

/** Runs compiled queries on a Patchboard DuckDB database. */
export class DuckDbQueryEngine implements QueryEngine, DescribesSource {
  constructor(private readonly db: OpenedDatabase) {}

  /** DuckDB's dialect, with the database's derived tables as the latest ingest through it left them. */
  get dialect(): Dialect {
    return dialectOf(this.db.connection);
  }

  get connection(): DuckDBConnection {
    return this.db.connection;
  }

  async run(query: CompiledQuery, options: RunOptions = {}): Promise<QueryResult> {
    // Each query gets a connection of its own (connecting costs microseconds): concurrent queries then run in
    // parallel instead of queueing on one connection, and an as-of query's search path and variable cannot
    // leak into another query. The time zone is a per-connection setting.
    const connection = await this.db.instance.connect();
    try {
      await connection.run(`SET TimeZone = 'UTC'`);
      if (options.asOf !== undefined) {
        await this.travelTo(connection, options.asOf);
        await asOfDerivedTables(connection, this.dialect, query.sql);
      }
      const result = await connection.stream(rewriteTrinoSql(query.sql), [...query.parameters]);
      const names = result.columnNames();
      const columns = result
        .columnTypes()
        .map((type, i) => ({ name: names[i] ?? `column${i}`, type: columnType(type) }));
      const rows: ResultRow[] = [];
      // Turning DuckDB's vectors into JavaScript values runs on the event loop (a 10,000-row node table takes
      // ~200 ms). Chunk by chunk, with a wait for the next chunk between them, a server answers other
      // requests in between instead of stalling for the whole result.
      for (
        let chunk = await result.fetchChunk();
        chunk && chunk.rowCount > 0;
        chunk = await result.fetchChunk()
      ) {
        for (const values of chunk.convertRows(JSDuckDBValueConverter)) {
          const row: ResultRow = {};
          columns.forEach((column, i) => {
            row[column.name] = normaliseValue(values[i], column.type);
          });
          rows.push(row);
        }
      }
      return { columns, rows };
    } catch (error) {
      if (error instanceof PatchboardError) throw error;
      throw new PatchboardError('ENGINE', `DuckDB could not run the query: ${(error as Error).message}`, {
        cause: error,
      });
    } finally {
      connection.closeSync();
    }
  }

  /**
   * The last ingest that had happened by `at` (by the data it carried), for an audit pack's manifest: the
   * ingest log is this store's own bookkeeping, so this engine answers it, not a report.
   */
  async sourceFreshness(at: number): Promise<SourceFreshness> {
    const result = await this.run({
      sql: `SELECT source, strftime(finished_at, '%Y-%m-%dT%H:%M:%SZ') AS ingested_at,
              strftime(data_time, '%Y-%m-%dT%H:%M:%SZ') AS data_time
            FROM main.ingests WHERE data_time <= CAST(? AS TIMESTAMPTZ)
            ORDER BY data_time DESC, ingest_id DESC LIMIT 1`,
      parameters: [formatInstant(at)],
    });
    const row = result.rows[0];
    const text = (value: unknown) => (typeof value === 'string' ? value : null);
    return { source: text(row?.source), ingestedAt: text(row?.ingested_at), dataTime: text(row?.data_time) };
  }

  /** The first instant history holds and the newest ingest's data time. */
  async dataSpan(): Promise<DataSpan> {
    const connection = await this.db.instance.connect();
    try {
      await connection.run(`SET TimeZone = 'UTC'`);
      const result = await connection.runAndReadAll(
        // History starts at the first agent record observed. An AWS Config item dates from the instance's
        // last change (often its launch, months back), when nothing else of the fleet was known.
        `SELECT strftime(coalesce(
             min(first_observed_at) FILTER (WHERE type_name NOT IN ('${EC2_INSTANCE_TYPE}', '${EC2_TAG_TYPE}')),
             min(first_observed_at)), '%Y-%m-%dT%H:%M:%SZ'),
           strftime((SELECT max(data_time) FROM ingests), '%Y-%m-%dT%H:%M:%SZ')
         FROM history_observations`,
      );
      const [first, newest] = (result.getRowsJS()[0] ?? []) as (string | null)[];
      return { first: first ?? null, newest: newest ?? null };
    } finally {
      connection.closeSync();
    }
  }

  /** Points the connection's inventory table names at history as of `asOf`. */
  private async travelTo(connection: DuckDBConnection, asOf: number): Promise<void> {
    const span = await this.dataSpan();
    if (!span.first) {
      throw new PatchboardError(
        'NOT_FOUND',
        'This database holds no history yet, so there is nothing to look back at. Run `patchboard ingest` (each ingest records history), then ask again.',
      );
    }
    refuseUnanswerable(span, { at: asOf, asOf: true, chosen: true });
    await connection.run(`SET VARIABLE ${AS_OF_VARIABLE} = CAST(? AS TIMESTAMPTZ)`, [formatInstant(asOf)]);
    await connection.run(`SET search_path = '${AS_OF_SCHEMA},main'`);
  }

  close(): Promise<void> {
    closeDatabase(this.db);
    return Promise.resolve();
  }
}
