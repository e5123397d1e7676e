/**
 * The compliance level (`Severity` of a patch compliance item) a patch gets from its node's patch baseline.
 *
 * DescribeInstancePatches answers the vendor's severity (`Critical`, `Important` …) but not the compliance level
 * (`CRITICAL` … `UNSPECIFIED`) that the agent writes as `Severity` and that the reports rank nodes by. The agent
 * takes it from the baseline: an explicitly approved patch gets `ApprovedPatchesComplianceLevel`, any other
 * patch the `ComplianceLevel` of the approval rule that approved it, `UNSPECIFIED` when neither says. This file
 * does the same from GetPatchBaseline's answer.
 *
 * Rule filters on what a patch record carries (classification, vendor severity or priority) are checked; filters
 * on what it does not carry (product, section, patch set …) cannot be, and are taken as matching, as they
 * matched the node's own products for the agent. The first matching rule wins, in the baseline's rule order.
 */
import type { GetPatchBaselineCommandOutput } from '@aws-sdk/client-ssm';
import { SEVERITIES, type Severity } from '@patchboard/core';

/** The part of a baseline this needs (GetPatchBaseline's answer, or a hand-written one in tests). */
export type BaselineRules = Pick<
  GetPatchBaselineCommandOutput,
  | 'BaselineId'
  | 'ApprovalRules'
  | 'ApprovedPatches'
  | 'ApprovedPatchesComplianceLevel'
  | 'AvailableSecurityUpdatesComplianceStatus'
>;

export interface PatchFacts {
  /** DescribeInstancePatches `KBId`: `KB5031361`, `kernel.x86_64`. */
  readonly kbId: string;
  readonly title: string;
  readonly classification: string;
  /** The vendor's severity (Windows MSRC severity, Linux advisory severity, Debian/Ubuntu priority). */
  readonly vendorSeverity: string;
}

const VENDOR_SEVERITY_KEYS = new Set(['SEVERITY', 'MSRC_SEVERITY', 'PRIORITY']);

const asLevel = (value: string | undefined): Severity =>
  value !== undefined && (SEVERITIES as readonly string[]).includes(value)
    ? (value as Severity)
    : 'UNSPECIFIED';

function filterMatches(values: readonly string[], actual: string): boolean {
  return values.some((value) => value === '*' || value.toLowerCase() === actual.toLowerCase());
}

/** The patch's compliance level under `baseline`; `UNSPECIFIED` when the baseline is unknown. */
export function complianceLevel(baseline: BaselineRules | undefined, patch: PatchFacts): Severity {
  if (!baseline) return 'UNSPECIFIED';
  // Approved-patch entries name a KB id or a package (`name.arch`); the title carries the full version.
  const approved = baseline.ApprovedPatches ?? [];
  if (approved.includes(patch.kbId) || approved.includes(patch.title)) {
    return asLevel(baseline.ApprovedPatchesComplianceLevel);
  }
  for (const rule of baseline.ApprovalRules?.PatchRules ?? []) {
    const filters = rule.PatchFilterGroup?.PatchFilters ?? [];
    const matches = filters.every(({ Key, Values = [] }) => {
      if (Key === 'CLASSIFICATION') return filterMatches(Values, patch.classification);
      if (Key !== undefined && VENDOR_SEVERITY_KEYS.has(Key))
        return filterMatches(Values, patch.vendorSeverity);
      return true;
    });
    if (matches) return asLevel(rule.ComplianceLevel);
  }
  return 'UNSPECIFIED';
}
