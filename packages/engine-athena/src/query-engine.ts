import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  type QueryExecution,
  StartQueryExecutionCommand,
  type StartQueryExecutionCommandInput,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { sleep, withRetry } from '@patchboard/aws';
import {
  type CompiledQuery,
  type Dialect,
  PatchboardError,
  type QueryEngine,
  type QueryResult,
  type ResultColumn,
  type ResultRow,
  type RunOptions,
  type SqlValue,
  trinoDialect,
} from '@patchboard/core';
import { queryAsOf } from './as-of.js';
import { columnType, normaliseValue } from './normalise.js';

/** What one query cost: Athena bills the bytes it scanned. */
export interface QueryStatistics {
  readonly queryExecutionId: string;
  readonly statementType: string | undefined;
  readonly dataScannedBytes: number;
  /** USD 5 per TB scanned, each query rounded up to a whole MB with a 10 MB minimum; DDL and failures are free. */
  readonly estimatedCostUsd: number;
  readonly engineExecutionTimeMs: number | undefined;
}

export interface AthenaQueryEngineOptions {
  /** The Glue database holding the `aws_*` views (`patchboard athena setup` creates it). */
  readonly database: string;
  /** Athena workgroup; the workgroup's own settings (result location, limits) apply. Default `primary`. */
  readonly workgroup?: string;
  /** `s3://…` for query results, when the workgroup does not enforce one. */
  readonly outputLocation?: string;
  /** Data catalog. Default `AwsDataCatalog` (Glue). */
  readonly catalog?: string;
  /** AWS Region of the workgroup; the SDK's default chain otherwise. */
  readonly region?: string;
  /** An Athena client to use instead of one made from `region`. */
  readonly client?: AthenaClient;
  /** Cancels every running query (StopQueryExecution) and makes `run` reject: Ctrl-C. */
  readonly signal?: AbortSignal;
  /** Gives up (and stops the query) after this long. Default 30 minutes. */
  readonly timeoutMs?: number;
  /** First wait between status polls, growing by half each poll up to `maxPollIntervalMs`. Default 200 ms. */
  readonly pollIntervalMs?: number;
  /** Default 2,000 ms. */
  readonly maxPollIntervalMs?: number;
  /** Waits before retrying a throttled call (doubling); default 200 ms. */
  readonly throttleRetryMs?: number;
  /** Told of each finished query: bytes scanned and estimated cost. */
  readonly onStatistics?: (statistics: QueryStatistics) => void;
  /**
   * `current-only` when the database's tables are the sync bucket itself (`athena setup` without `--parquet`):
   * its history views hold one observation, so `asOf` cannot look back past the newest capture. Default `kept`.
   */
  readonly history?: 'kept' | 'current-only';
}

const BYTES_PER_MB = 1024 ** 2;
const BYTES_PER_TB = 1024 ** 4;
const USD_PER_TB = 5;
const MINIMUM_BILLED_BYTES = 10 * BYTES_PER_MB;

/** The estimated charge for a query that scanned `bytes` (Athena SQL pricing, per query). */
export function estimateCostUsd(bytes: number, statementType?: string): number {
  if (statementType === 'DDL' || statementType === 'UTILITY') return 0;
  const billed = Math.max(MINIMUM_BILLED_BYTES, Math.ceil(bytes / BYTES_PER_MB) * BYTES_PER_MB);
  return (billed / BYTES_PER_TB) * USD_PER_TB;
}

/** Athena's limit on one execution parameter's text (StartQueryExecution `ExecutionParameters`). */
const MAX_PARAMETER_CHARS = 1024;

/**
 * One bound value as Athena's `ExecutionParameters` expect it. Athena reads each parameter as SQL text: a
 * string must be given as a quoted literal (`'Payments'`), numbers and booleans as they are. The quote is the
 * only character with meaning inside a Trino string literal (no backslash escapes), so doubling it keeps any
 * value a single literal: a value can never end the literal and add SQL of its own.
 */
export function toExecutionParameter(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new PatchboardError(
        'USAGE',
        `The number ${value} cannot be sent to Athena as a query parameter; give a finite number.`,
      );
    }
    return String(value).toUpperCase();
  }
  const literal = `'${value.replaceAll("'", "''")}'`;
  if (literal.length > MAX_PARAMETER_CHARS) {
    throw new PatchboardError(
      'USAGE',
      `A query parameter of ${value.length} characters is longer than Athena accepts (${MAX_PARAMETER_CHARS - 2}); shorten the value.`,
    );
  }
  return literal;
}

/** Attempts of one throttled call, the first included (six retries). */
const THROTTLED_ATTEMPTS = 7;
const MAX_RESULT_PAGES = 100_000;

/** Runs compiled queries on Amazon Athena (Trino SQL) over the tables and views of `athena setup`. */
export class AthenaQueryEngine implements QueryEngine {
  readonly dialect: Dialect = trinoDialect;
  readonly history: 'kept' | 'current-only';
  private readonly client: AthenaClient;
  private readonly ownsClient: boolean;
  /** Every finished query of this engine, in order. */
  readonly statistics: QueryStatistics[] = [];

  constructor(private readonly options: AthenaQueryEngineOptions) {
    this.client = options.client ?? new AthenaClient(options.region ? { region: options.region } : {});
    this.ownsClient = options.client === undefined;
    this.history = options.history ?? 'kept';
  }

  /** Bytes scanned and estimated cost over every query so far. */
  get totals(): { queries: number; dataScannedBytes: number; estimatedCostUsd: number } {
    return {
      queries: this.statistics.length,
      dataScannedBytes: this.statistics.reduce((sum, s) => sum + s.dataScannedBytes, 0),
      estimatedCostUsd: this.statistics.reduce((sum, s) => sum + s.estimatedCostUsd, 0),
    };
  }

  async run(query: CompiledQuery, options: RunOptions = {}): Promise<QueryResult> {
    // As of an instant: the inventory tables read from their history (as-of.ts); the history tables hold
    // what `compact` exported, or the bucket's one observation.
    if (options.asOf !== undefined) query = queryAsOf(query, options.asOf);
    const execution = await this.execute(query);
    const id = execution.QueryExecutionId ?? '';
    if (execution.StatementType !== 'DML') return { columns: [], rows: [] };
    return this.results(id);
  }

  /** Runs one statement to its end and returns the finished execution (DDL of `athena setup`, queries). */
  async execute(query: CompiledQuery, options: { database?: string } = {}): Promise<QueryExecution> {
    this.throwIfAborted();
    const id = await this.start(query, options.database ?? this.options.database);
    const execution = await this.waitFor(id);
    const statistics = this.record(execution);
    const state = execution.Status?.State;
    if (state === 'SUCCEEDED') return execution;
    const reason = execution.Status?.StateChangeReason ?? 'Athena gave no reason';
    if (state === 'CANCELLED') {
      throw new PatchboardError(
        'ENGINE',
        `Athena query ${id} was cancelled (${reason}) after scanning ${statistics.dataScannedBytes} bytes. Run it again, or look for who stopped it in the Athena console's query history.`,
      );
    }
    const category = execution.Status?.AthenaError?.ErrorCategory;
    throw new PatchboardError(
      'ENGINE',
      `Athena query ${id} failed: ${reason}${category === 1 ? ' (an Athena system error: retrying may help)' : ''}. Check that \`patchboard athena setup\` created the tables and views in database ${this.options.database}, and see the query in the Athena console's history.`,
    );
  }

  private async start(query: CompiledQuery, database: string): Promise<string> {
    const { workgroup, outputLocation, catalog } = this.options;
    const input: StartQueryExecutionCommandInput = {
      // One statement per execution: a trailing semicolon (the recipe's sample queries end with one) is dropped.
      QueryString: query.sql.trimEnd().replace(/;+$/, ''),
      QueryExecutionContext: { Database: database, Catalog: catalog ?? 'AwsDataCatalog' },
      WorkGroup: workgroup ?? 'primary',
      ...(query.parameters.length > 0
        ? { ExecutionParameters: query.parameters.map(toExecutionParameter) }
        : {}),
      ...(outputLocation ? { ResultConfiguration: { OutputLocation: outputLocation } } : {}),
    };
    const started = await this.call(() => this.client.send(new StartQueryExecutionCommand(input)));
    if (!started.QueryExecutionId) {
      throw new PatchboardError('ENGINE', 'Athena accepted the query but returned no query execution id.');
    }
    return started.QueryExecutionId;
  }

  /** Polls until the query ends, waiting longer each time (bounded), and stops it on abort or timeout. */
  private async waitFor(id: string): Promise<QueryExecution> {
    const timeoutMs = this.options.timeoutMs ?? 30 * 60_000;
    const maxInterval = this.options.maxPollIntervalMs ?? 2_000;
    const deadline = Date.now() + timeoutMs;
    let interval = this.options.pollIntervalMs ?? 200;
    // Bounded in count as well as time: at least one poll per maxInterval until the deadline.
    const maxPolls = Math.ceil(timeoutMs / Math.max(1, Math.min(interval, maxInterval))) + 2;
    for (let poll = 0; poll < maxPolls; poll++) {
      const answer = await this.call(() =>
        this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })),
      );
      const execution = answer.QueryExecution ?? {};
      const state = execution.Status?.State;
      if (state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED') return execution;
      if (this.options.signal?.aborted) {
        await this.stop(id);
        throw new PatchboardError(
          'ENGINE',
          `Athena query ${id} was stopped on request (StopQueryExecution sent); nothing more is billed for it.`,
        );
      }
      if (Date.now() >= deadline) break;
      await sleep(Math.min(interval, Math.max(0, deadline - Date.now())), this.options.signal);
      interval = Math.min(maxInterval, Math.ceil(interval * 1.5));
    }
    await this.stop(id);
    throw new PatchboardError(
      'ENGINE',
      `Athena query ${id} did not finish within ${Math.round(timeoutMs / 1000)} s, so it was stopped. Try again later, or narrow the report (e.g. --param team=…).`,
    );
  }

  private async results(id: string): Promise<QueryResult> {
    let columns: ResultColumn[] = [];
    const rows: ResultRow[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_RESULT_PAGES; page++) {
      this.throwIfAborted();
      const answer: GetQueryResultsCommandOutput = await this.call(() =>
        this.client.send(
          new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000, NextToken: token }),
        ),
      );
      if (page === 0) {
        columns = (answer.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((info, i) => ({
          name: info.Label ?? info.Name ?? `column${i}`,
          type: columnType(info.Type ?? 'varchar'),
        }));
      }
      // The first row of a SELECT's first page repeats the column names.
      const data = (answer.ResultSet?.Rows ?? []).slice(page === 0 ? 1 : 0);
      for (const { Data = [] } of data) {
        const row: ResultRow = {};
        columns.forEach((column, i) => {
          row[column.name] = normaliseValue(Data[i]?.VarCharValue, column.type);
        });
        rows.push(row);
      }
      token = answer.NextToken;
      if (!token) return { columns, rows };
    }
    throw new PatchboardError(
      'ENGINE',
      `Athena query ${id} returned more than ${MAX_RESULT_PAGES} pages of results; narrow the report.`,
    );
  }

  private record(execution: QueryExecution): QueryStatistics {
    const bytes = execution.Statistics?.DataScannedInBytes ?? 0;
    const statistics: QueryStatistics = {
      queryExecutionId: execution.QueryExecutionId ?? '',
      statementType: execution.StatementType,
      dataScannedBytes: bytes,
      // Athena bills no failed query; a cancelled one is billed for what it scanned.
      estimatedCostUsd:
        execution.Status?.State === 'FAILED' ? 0 : estimateCostUsd(bytes, execution.StatementType),
      engineExecutionTimeMs: execution.Statistics?.EngineExecutionTimeInMillis,
    };
    this.statistics.push(statistics);
    this.options.onStatistics?.(statistics);
    return statistics;
  }

  /** Retries a call Athena throttled, waiting longer each time; other errors become PatchboardErrors. */
  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(send, {
        attempts: THROTTLED_ATTEMPTS,
        firstWaitMs: this.options.throttleRetryMs ?? 200,
        ...(this.options.signal ? { signal: this.options.signal } : {}),
      });
    } catch (error) {
      if (error instanceof PatchboardError) throw error;
      const name = (error as { name?: string }).name ?? '';
      throw new PatchboardError(
        'ENGINE',
        `Athena refused the request: ${(error as Error).message} (${name || 'no error name'}). Check the AWS credentials, Region, workgroup and permissions (athena:StartQueryExecution, glue:GetTable, s3:GetObject on the bucket).`,
        { cause: error },
      );
    }
  }

  private async stop(id: string): Promise<void> {
    try {
      await this.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    } catch {
      // The query may have ended meanwhile; a failed stop changes nothing for the caller.
    }
  }

  private throwIfAborted(): void {
    if (this.options.signal?.aborted) {
      throw new PatchboardError('ENGINE', 'The Athena query was not started: the run was interrupted.');
    }
  }

  close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
    return Promise.resolve();
  }
}
