import { CAPABILITIES, type Capability, ENGINE_NAMES, type EngineName, ENGINES } from '../engines.js';
import { PatchboardError } from '../errors.js';
import type { CompiledQuery } from '../sql.js';
import { agentVersions } from './agent-versions.js';
import { applications } from './applications.js';
import { cveEvidence } from './cve-evidence.js';
import { cveVisibility } from './cve-visibility.js';
import { fleetSummary } from './fleet-summary.js';
import { ingestErrors } from './ingest-errors.js';
import { ingestRuns } from './ingest-runs.js';
import { missingPatches } from './missing-patches.js';
import { meanTimeToRemediate } from './mttr.js';
import { nodeCompliance } from './node-compliance.js';
import { overduePatches } from './overdue-patches.js';
import { recipeQueries } from './recipe-queries.js';
import type { ReportContext, ReportDefinition } from './report.js';
import { severitySummary } from './severity-summary.js';
import { slaBreaches } from './sla.js';
import { teamEnvironment } from './team-environment.js';

export const REPORTS: readonly ReportDefinition[] = [
  fleetSummary,
  nodeCompliance,
  teamEnvironment,
  missingPatches,
  severitySummary,
  overduePatches,
  slaBreaches,
  meanTimeToRemediate,
  cveEvidence,
  cveVisibility,
  agentVersions,
  applications,
  ingestErrors,
  ingestRuns,
  ...recipeQueries,
];

export function findReport(id: string): ReportDefinition {
  const report = REPORTS.find((r) => r.id === id);
  if (!report) {
    throw new PatchboardError(
      'NOT_FOUND',
      `There is no report "${id}". Run \`patchboard reports\` to list them (e.g. fleet-summary, team-environment).`,
    );
  }
  return report;
}

export interface CompiledReport {
  readonly report: ReportDefinition;
  /** The parameters after validation and defaults. */
  readonly params: Record<string, unknown>;
  readonly query: CompiledQuery;
}

/** Validates raw parameters (e.g. from `--param k=v`) and compiles the report for the context's dialect. */
export function compileReport(
  id: string,
  rawParams: Record<string, unknown>,
  context: ReportContext,
): CompiledReport {
  const report = findReport(id);
  const parsed = report.params.safeParse(rawParams);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.');
      if (issue.code === 'unrecognized_keys') return `unknown parameter(s) ${issue.keys.join(', ')}`;
      return `${key || 'parameters'}: ${issue.message}`;
    });
    throw new PatchboardError(
      'USAGE',
      `Report ${id} cannot take these parameters — ${problems.join('; ')}. \`patchboard reports\` lists each report's parameters.`,
    );
  }
  return { report, params: parsed.data, query: report.compile(parsed.data, context).compile() };
}

/** The parameter names a report accepts, for listings and help. */
export function reportParameterNames(report: ReportDefinition): string[] {
  const shape = (report.params as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

/** What a report reads that an engine does not have. */
export function missingCapabilities(report: ReportDefinition, engine: EngineName): Capability[] {
  const provided: readonly Capability[] = ENGINES[engine].provides;
  return (Object.keys(report.requires ?? {}) as Capability[]).filter((c) => !provided.includes(c));
}

export function runsOn(report: ReportDefinition, engine: EngineName): boolean {
  return missingCapabilities(report, engine).length === 0;
}

/** Refuses, before any query, a report that reads what the engine does not have, with the report's reasons. */
export function checkReportRuns(report: ReportDefinition, engine: EngineName): void {
  const missing = missingCapabilities(report, engine);
  if (missing.length === 0) return;
  const reads = missing.map((c) => `${CAPABILITIES[c].title} (${report.requires?.[c]})`).join(' and ');
  const others = ENGINE_NAMES.filter((name) => runsOn(report, name));
  throw new PatchboardError(
    'USAGE',
    `Report ${report.id} does not run on ${ENGINES[engine].title}: it reads ${reads}, which ${ENGINES[engine].title} does not have. ` +
      (others.length > 0
        ? `Run it with ${others.map((name) => `--engine ${name} (${ENGINES[name].summary})`).join(' or ')}.`
        : 'No engine has it.'),
  );
}
