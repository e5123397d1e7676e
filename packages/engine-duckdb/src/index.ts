export { closeDatabase, openDatabase, type OpenedDatabase } from './database.js';
export { ingest, type IngestOptions, type IngestProgress, type IngestSummary } from './ingest.js';
export { DuckDbQueryEngine } from './query-engine.js';
export { DatabaseSnapshots, snapshotMemoryLimitMiB, type Snapshot } from './snapshot.js';
export { rewriteTrinoSql } from './trino-compat.js';
export { compactToParquet, type CompactedTable } from './compact.js';
