export {
  AthenaQueryEngine,
  estimateCostUsd,
  toExecutionParameter,
  type AthenaQueryEngineOptions,
  type QueryStatistics,
} from './query-engine.js';
export { columnType, normaliseValue } from './normalise.js';
export {
  athenaSchema,
  checkDatabaseName,
  normaliseLocation,
  renderDatabaseDdl,
  renderTableDdl,
  renderViewDdl,
  schemaStatements,
  type AthenaColumn,
  type AthenaSchema,
  type AthenaSchemaOptions,
  type AthenaTable,
  type AthenaView,
  type StorageFormat,
} from './schema.js';
export { queryAsOf } from './as-of.js';
export { CONFIG_SNAPSHOT_TABLE } from './config-snapshots.js';
