/**
 * A report's declarations (`requires`, `example`) are what every list of reports is derived from, so they are
 * checked against the report itself: the example compiles, and the compiled SQL reads the tables of exactly
 * the capabilities the report declares.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, parseConfig } from '../config.js';
import { duckdbDialect, trinoDialect } from '../dialect.js';
import { CAPABILITIES, type Capability, ENGINE_NAMES } from '../engines.js';
import { isPatchboardError } from '../errors.js';
import { checkReportRuns, compileReport, findReport, REPORTS, runsOn } from './catalogue.js';

const NOW = Date.parse('2026-10-31T12:00:00Z');

/** Capabilities whose tables a SQL text names (identifiers outside string literals). */
function capabilitiesRead(text: string): Capability[] {
  const words = new Set(
    text
      .replace(/'(?:[^']|'')*'/g, ' ')
      .toLowerCase()
      .match(/[a-z_][a-z0-9_]*/g),
  );
  return (Object.keys(CAPABILITIES) as Capability[]).filter((c) =>
    CAPABILITIES[c].tables.some((table) => words.has(table)),
  );
}

describe('report declarations', () => {
  it.each(REPORTS.map((r) => r.id))('%s: its example compiles and its SQL reads what it declares', (id) => {
    const report = findReport(id);
    for (const dialect of [duckdbDialect, trinoDialect]) {
      const { query } = compileReport(id, report.example ?? {}, {
        policy: DEFAULT_POLICY,
        now: NOW,
        dialect,
      });
      expect(capabilitiesRead(query.sql).sort()).toEqual(Object.keys(report.requires ?? {}).sort());
    }
  });

  it('the declarations are not vacuous', () => {
    expect(capabilitiesRead('SELECT * FROM ingests')).toEqual(['ingest-log']);
    expect(capabilitiesRead("SELECT 'ingests' FROM aws_complianceitem_history")).toEqual(['history']);
    expect(() =>
      compileReport('cve-evidence', {}, { policy: DEFAULT_POLICY, now: NOW, dialect: duckdbDialect }),
    ).toThrow(/give cve, patch, or a from\/to window/);
    expect(REPORTS.filter((r) => r.requires?.history).map((r) => r.id)).toEqual([
      'overdue-patches',
      'sla',
      'mttr',
      'cve-evidence',
    ]);
  });
});

describe('engines', () => {
  it('every engine runs the reports that read only what it has', () => {
    expect(ENGINE_NAMES).toEqual(['duckdb', 'athena']);
    expect(REPORTS.filter((r) => !runsOn(r, 'athena')).map((r) => r.id)).toEqual([
      'ingest-errors',
      'ingest-runs',
    ]);
    expect(REPORTS.every((r) => runsOn(r, 'duckdb'))).toBe(true);
  });

  it('refuses a report on an engine without what it reads, saying why and where it runs', () => {
    expect(() => checkReportRuns(findReport('ingest-runs'), 'duckdb')).not.toThrow();
    let error: unknown;
    try {
      checkReportRuns(findReport('ingest-runs'), 'athena');
    } catch (caught) {
      error = caught;
    }
    expect(isPatchboardError(error) && error.code).toBe('USAGE');
    expect((error as Error).message).toBe(
      'Report ingest-runs does not run on Athena: it reads the ingest log (to list the ingests), which Athena ' +
        'does not have. Run it with --engine duckdb (the DuckDB database built by `patchboard ingest`).',
    );
  });

  it('the configuration takes the engine names and nothing else', () => {
    expect(parseConfig({ engine: 'athena' }, 'test').engine).toBe('athena');
    expect(() => parseConfig({ engine: 'sqlite' }, 'test')).toThrow(/duckdb.*athena/);
  });
});
