// The store is how applications use a database; the lower-level pieces below it stay exported for tests and benches.
export { openStore, type Store, type StoreOptions } from './store.js';
export { closeDatabase, openDatabase, storeMemoryLimitMiB, type OpenedDatabase } from './database.js';
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
