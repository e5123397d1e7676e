/**
 * Rows into a table, a vector at a time. DuckDB's appender takes a row cell by cell (one call into the native
 * addon per cell and per row end, values wrapped in objects for timestamps); handing it whole data chunks of
 * columns costs one call per text cell and none per number, which makes a large ingest noticeably cheaper.
 * The writer holds at most one chunk of rows.
 */
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBTimestampTZValue,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
} from '@duckdb/node-api';

/** A cell as the ingest holds it: text, a whole number, an instant in epoch milliseconds, or a flag. */
export type WriterCell = string | number | boolean | null;

/** DuckDB's standard vector size: a chunk never holds more rows. */
const CHUNK_ROWS = 2048;

/** Turns a cell into the value the column's vector stores. */
function converterFor(type: DuckDBType): (cell: WriterCell) => DuckDBValue {
  switch (type.typeId) {
    case DuckDBTypeId.TIMESTAMP_TZ:
      return (cell) => (cell === null ? null : new DuckDBTimestampTZValue(BigInt(cell) * 1000n));
    case DuckDBTypeId.BIGINT:
      return (cell) => (cell === null ? null : BigInt(cell));
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BOOLEAN:
      return (cell) => cell;
    default:
      return (cell) => (cell === null ? null : String(cell));
  }
}

export class ChunkWriter {
  private readonly types: DuckDBType[];
  private readonly converters: ((cell: WriterCell) => DuckDBValue)[];
  private columns: DuckDBValue[][];
  private rows = 0;

  private constructor(private readonly appender: DuckDBAppender) {
    this.types = Array.from({ length: appender.columnCount }, (_, i) => appender.columnType(i));
    this.converters = this.types.map(converterFor);
    this.columns = this.types.map(() => []);
  }

  static async open(connection: DuckDBConnection, table: string): Promise<ChunkWriter> {
    return new ChunkWriter(await connection.createAppender(table));
  }

  /** Adds one row, its cells in the table's column order. */
  add(row: readonly WriterCell[]): void {
    for (let i = 0; i < this.converters.length; i++) {
      this.columns[i]!.push(this.converters[i]!(row[i] ?? null));
    }
    if (++this.rows === CHUNK_ROWS) this.flush();
  }

  private flush(): void {
    if (this.rows === 0) return;
    const chunk = DuckDBDataChunk.create(this.types, this.rows);
    this.columns.forEach((values, i) => chunk.setColumnValues(i, values));
    this.appender.appendDataChunk(chunk);
    this.columns = this.types.map(() => []);
    this.rows = 0;
  }

  /** Writes what is held and closes the appender; the rows are then visible to the connection's queries. */
  close(): void {
    this.flush();
    this.appender.closeSync();
  }
}
