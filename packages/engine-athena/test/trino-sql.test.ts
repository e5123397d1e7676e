/**
 * Every catalogue report compiled for Athena is valid Trino SQL (dt-sql-parser's Trino grammar) and kept as a
 * file snapshot, so a change to a report's Athena SQL shows in review. The schema's DDL is validated too: views
 * as Trino SQL, external tables as Hive DDL (the dialect Athena runs DDL in).
 */
import { compileReport, DEFAULT_POLICY, REPORTS, trinoDialect } from '@patchboard/core';
import { HiveSQL, TrinoSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import { reportCases } from './report-variants.js';
import { athenaSchema, renderDatabaseDdl, renderTableDdl, renderViewDdl } from '../src/schema.js';

const context = { policy: DEFAULT_POLICY, now: Date.parse('2026-10-31T12:00:00Z'), dialect: trinoDialect };
const trino = new TrinoSQL();
const hive = new HiveSQL();

const cases = reportCases();

describe('catalogue reports in Trino SQL', () => {
  it('the validator is not vacuous: broken SQL gets errors', () => {
    expect(trino.validate('SELECT count(* FROM aws_tag WHERE')).not.toEqual([]);
    expect(hive.validate("CREATE EXTERNAL TABLE t (a string LOCATION 's3://b/'")).not.toEqual([]);
  });

  it('covers every report', () => {
    expect(new Set(cases.map((c) => c.id))).toEqual(new Set(REPORTS.map((r) => r.id)));
  });

  it.each(cases)(
    '$id ($variant) is valid Trino SQL and matches its snapshot',
    async ({ id, variant, params }) => {
      const { query } = compileReport(id, params, context);
      expect(trino.validate(query.sql)).toEqual([]);
      // A hostile value stays a bound parameter, never text of the query.
      expect(query.sql).not.toContain("x' OR");
      const name = variant === 'default' ? id : `${id}.${variant}`;
      await expect(`-- parameters: ${JSON.stringify(query.parameters)}\n${query.sql}\n`).toMatchFileSnapshot(
        `__snapshots__/reports/${name}.trino.sql`,
      );
    },
  );
});

describe('schema DDL', () => {
  for (const format of ['json', 'parquet'] as const) {
    const schema = athenaSchema({
      location: 's3://patch-sync-bucket/org',
      format,
      configLocation: 's3://patch-sync-bucket/AWSLogs/',
    });

    it(`${format}: every view is valid Trino SQL`, async () => {
      for (const view of schema.views) {
        expect(trino.validate(renderViewDdl(view)), view.name).toEqual([]);
      }
      await expect(schema.views.map(renderViewDdl).join(';\n\n') + ';\n').toMatchFileSnapshot(
        `__snapshots__/schema/${format}-views.sql`,
      );
    });

    it(`${format}: every table is valid Hive DDL`, async () => {
      expect(hive.validate(renderDatabaseDdl('patchboard'))).toEqual([]);
      for (const table of schema.tables) {
        expect(hive.validate(renderTableDdl(table)), table.name).toEqual([]);
      }
      await expect(schema.tables.map(renderTableDdl).join(';\n\n') + ';\n').toMatchFileSnapshot(
        `__snapshots__/schema/${format}-tables.sql`,
      );
    });
  }
});
