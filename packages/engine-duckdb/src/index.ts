export { closeDatabase, openDatabase, type OpenedDatabase } from './database.js';
export { ingest, type IngestOptions, type IngestProgress, type IngestSummary } from './ingest.js';
export { DuckDbQueryEngine } from './query-engine.js';
export {
  DatabaseSnapshots,
  snapshotMemoryLimitMiB,
  type Snapshot,
  type SnapshotsOptions,
} from './snapshot.js';
export { DuckDbSnapshotLookups, EVIDENCE_TABLE, NODE_HISTORY_TABLE } from './lookups.js';
export { rewriteTrinoSql } from './trino-compat.js';
export { compactToParquet, type CompactedTable } from './compact.js';
