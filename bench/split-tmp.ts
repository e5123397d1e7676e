import { compileReport, DEFAULT_POLICY } from '@patchboard/core';
import { DuckDbQueryEngine, openDatabase } from '@patchboard/engine-duckdb';
const db = await openDatabase(process.argv[2]!, { readOnly: true });
const engine = new DuckDbQueryEngine(db);
const context = { policy: DEFAULT_POLICY, now: Date.parse('2026-10-31T12:00:00Z'), dialect: engine.dialect };
const { query } = compileReport('missing-patches', {}, context);
const c = db.connection;
await c.run(`SET TimeZone = 'UTC'`);
await c.run(`CREATE TEMP TABLE nci AS SELECT accountid, region, resourceid, compliancetype, id, patchstate, title, classification, severity, patchseverity, cveids FROM aws_complianceitem WHERE compliancetype = 'Patch' AND patchstate IN ('MISSING','FAILED','INSTALLED_PENDING_REBOOT','INSTALLED_REJECTED')`);
const alt = query.sql.replace('FROM aws_complianceitem ci', 'FROM nci ci');
for (let i = 0; i < 4; i++) {
  let t = performance.now(); const a = await c.runAndReadAll(query.sql, [...query.parameters]); const x = performance.now() - t;
  t = performance.now(); const b = await c.runAndReadAll(alt, [...query.parameters]); const y = performance.now() - t;
  console.log(`current ${x.toFixed(0)} ms, derived ${y.toFixed(0)} ms`, a.currentRowCount, b.currentRowCount);
}
process.exit(0);
