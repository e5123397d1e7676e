export * from './bucket-key.js';
export * from './compliance.js';
export * from './config-snapshot.js';
export * from './config.js';
export * from './dialect.js';
export * from './engine.js';
export * from './engines.js';
export * from './errors.js';
export * from './inventory-types.js';
export * from './patch-state.js';
export * from './records.js';
export * from './source.js';
export * from './sql.js';
export * from './timestamp.js';
export * from './reports/catalogue.js';
export type { ReportContext, ReportDefinition } from './reports/report.js';
export { nodeDetailQueries } from './reports/node-detail.js';
export { factsCtes, NODE_FACTS_TABLE, nodeFactsCte, teamOf, UNTAGGED } from './reports/node-facts.js';
export { NONCOMPLIANT_ITEMS_TABLE, noncompliantItemsQuery } from './reports/noncompliant-items.js';
export * from './changes.js';
export { CVE_ID, evidenceItemsCte } from './reports/cve-evidence.js';
export { PLATFORMS_WITHOUT_CVE_IDS } from './reports/cve-visibility.js';
export { FLEET_GROUPS } from './reports/fleet-summary.js';
export {
  ITEM_RUNS_TABLE,
  itemRunsCte,
  itemRunsFromHistory,
  RUN_HISTORY_COLUMNS,
  SECURITY_CLASSIFICATIONS,
} from './reports/item-runs.js';
export * from './check.js';
export * from './trend.js';
export * from './history-tables.js';
export * from './data-span.js';
export * from './cells.js';
export * from './audit-pack.js';
export * from './report-document.js';
export * from './visible-text.js';
