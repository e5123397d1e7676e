/**
 * The audit pack's HTML: the month's tables with charts, one document that also prints to the PDF. The
 * per-instance table carries the columns the monthly report has always had: instance, OS, patch group,
 * baseline, compliance type, status, missing count, severity, last operation time.
 */
import type { MonthWindow, PackTable, QueryResult, ResultRow, SourceFreshness } from '@patchboard/core';
import { type DocumentSection, renderHtmlDocument } from './document.js';
import { type ChartStatus, percentBarsSvg, statusBarsSvg } from './svg-charts.js';

export interface PackHtmlInput {
  readonly window: MonthWindow;
  readonly team: string | undefined;
  readonly tables: readonly PackTable[];
  readonly freshness: SourceFreshness;
  readonly warnings: readonly string[];
  readonly version: string;
}

const INSTANCE_COLUMNS: readonly [string, string, (row: ResultRow) => ResultRow[string]][] = [
  ['instance', 'string', (r) => r.node_id ?? null],
  ['name', 'string', (r) => r.name ?? null],
  ['account', 'string', (r) => r.account_id ?? null],
  ['region', 'string', (r) => r.region ?? null],
  ['team', 'string', (r) => r.team ?? null],
  ['environment', 'string', (r) => r.environment ?? null],
  ['os', 'string', (r) => r.platform ?? null],
  ['patch_group', 'string', (r) => r.patch_group ?? null],
  ['baseline', 'string', (r) => r.baseline_id ?? null],
  ['compliance_type', 'string', () => 'Patch'],
  ['status', 'string', (r) => r.status ?? null],
  ['missing_count', 'integer', (r) => r.missing_count ?? null],
  ['severity', 'string', (r) => r.highest_severity ?? null],
  ['last_operation_time', 'timestamp', (r) => r.last_scan_time ?? null],
];

function instanceTable(result: QueryResult): QueryResult {
  return {
    columns: INSTANCE_COLUMNS.map(([name, type]) => ({ name, type: type as 'string' })),
    rows: result.rows.map((row) =>
      Object.fromEntries(INSTANCE_COLUMNS.map(([name, , pick]) => [name, pick(row)])),
    ),
  };
}

const statusCounts = (row: ResultRow): Partial<Record<ChartStatus, number>> => ({
  COMPLIANT: Number(row.compliant ?? 0),
  NON_COMPLIANT: Number(row.non_compliant ?? 0),
  STALE: Number(row.stale ?? 0),
  NOT_SCANNED: Number(row.not_scanned ?? 0),
  UNMANAGED: Number(row.unmanaged ?? 0),
  INACTIVE: Number(row.inactive ?? 0),
});

function chartFor(table: PackTable): string | undefined {
  const rows = table.result.rows;
  if (rows.length === 0) return undefined;
  switch (table.section.file) {
    case 'team-environment':
      return percentBarsSvg(
        rows.map((r) => ({
          label: `${String(r.team)} / ${String(r.environment)}`,
          value: typeof r.compliance_pct === 'number' ? r.compliance_pct : null,
        })),
      );
    case 'baselines':
      return statusBarsSvg(rows.map((r) => ({ label: String(r.baseline_id), counts: statusCounts(r) })));
    case 'summary':
      return statusBarsSvg(rows.map((r) => ({ label: 'all nodes', counts: statusCounts(r) })));
    default:
      return undefined;
  }
}

export function renderPackHtml(input: PackHtmlInput): string {
  const { window } = input;
  const summary = input.tables.find((t) => t.section.file === 'summary')?.result.rows[0];
  const sections: DocumentSection[] = input.tables.map((table) => {
    const base = { heading: table.section.title, intro: table.section.intro, chartSvg: chartFor(table) };
    switch (table.section.file) {
      case 'instances':
        return { ...base, result: instanceTable(table.result) };
      case 'patch-evidence': {
        // Every item is in the CSV and JSON; the document keeps those that carry a CVE, to stay readable.
        const withCve = table.result.rows.filter(
          (row) => typeof row.cve_id === 'string' && row.cve_id !== '',
        );
        return {
          ...base,
          intro: `${table.section.intro} Shown here: the ${withCve.length} items that carry a CVE; all ${table.result.rows.length} are in patch-evidence.csv.`,
          result: { columns: table.result.columns, rows: withCve },
        };
      }
      default:
        return { ...base, result: table.result };
    }
  });
  const who = input.team ? `team ${input.team}` : 'all teams';
  return renderHtmlDocument({
    title: `Patch compliance audit pack — ${window.month}${input.team ? ` — ${input.team}` : ''}`,
    subtitle: `Evaluated from history as of ${window.asOf.replace('T', ' ').replace('Z', ' UTC')}${window.partial ? ' (the month had not ended)' : ''}, ${who}.`,
    facts: [
      // Said first: the figures below rest on it.
      ...input.warnings.map((warning) => ['Warning', warning] as const),
      ['Compliance', summary ? `${String(summary.compliance_pct ?? '–')} % of active nodes` : '–'],
      [
        'Coverage',
        summary?.coverage_pct === null || summary?.coverage_pct === undefined
          ? 'no EC2 instance list was ingested (AWS Config or patchboard collect), so instances without an SSM Agent are not counted'
          : `${String(summary.coverage_pct)} % of active instances have an SSM Agent reporting (${String(summary.unmanaged)} without)`,
      ],
      [
        'Nodes',
        summary
          ? `${String(summary.nodes)} (${String(summary.active)} active; ${String(summary.stale)} stale, ${String(summary.not_scanned)} never scanned, ${String(summary.unmanaged)} without an SSM Agent, ${String(summary.inactive)} inactive)`
          : '–',
      ],
      ['Data cut-off', window.asOf.replace('T', ' ').replace('Z', ' UTC')],
      [
        'Source freshness',
        input.freshness.dataTime
          ? `newest record ${input.freshness.dataTime.replace('T', ' ').replace('Z', ' UTC')} from ${input.freshness.source ?? 'unknown source'}`
          : 'no ingest before the cut-off',
      ],
      ['Produced by', `Patchboard ${input.version}; files and SHA-256 sums in manifest.json`],
    ],
    sections,
  });
}
