/**
 * Parameter sets that reach each catalogue report's branches; `default` is the report's own defaults (or its
 * declared example, for a report that cannot run without parameters). Shared by the Trino SQL validation and the DuckDB/Athena equivalence test.
 */
import { FLEET_GROUPS, REPORTS } from '@patchboard/core';

const VARIANTS: Record<string, Record<string, Record<string, unknown>>> = {
  'fleet-summary': Object.fromEntries(
    FLEET_GROUPS.map((g) => [g === 'none' ? 'default' : `group-by-${g}`, { 'group-by': g }]),
  ),
  'cve-evidence': {
    default: { cve: 'CVE-2026-0001' },
    patch: { patch: 'KB5030211', team: 'payments' },
    window: { from: '2026-10-01T00:00:00Z', to: '2026-10-31T00:00:00Z' },
  },
  'node-compliance': { default: {}, team: { team: "x' OR '1'='1" } },
};

export interface ReportCase {
  readonly id: string;
  readonly variant: string;
  readonly params: Record<string, unknown>;
}

export function reportCases(
  overrides: Record<string, Record<string, Record<string, unknown>>> = {},
): ReportCase[] {
  return REPORTS.flatMap((report) =>
    Object.entries(overrides[report.id] ?? VARIANTS[report.id] ?? { default: report.example ?? {} }).map(
      ([variant, params]) => ({
        id: report.id,
        variant,
        params,
      }),
    ),
  );
}
