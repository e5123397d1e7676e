/** Patch states as the SSM API names them (`PatchComplianceDataState`). */
export const PATCH_STATES = [
  'INSTALLED',
  'INSTALLED_OTHER',
  'INSTALLED_PENDING_REBOOT',
  'INSTALLED_REJECTED',
  'MISSING',
  'NOT_APPLICABLE',
  'FAILED',
  'AVAILABLE_SECURITY_UPDATE',
] as const;
export type PatchState = (typeof PATCH_STATES)[number];

/** The states that make a node non-compliant for patching (SSM User Guide, patch compliance states). */
export const NON_COMPLIANT_PATCH_STATES: readonly PatchState[] = [
  'MISSING',
  'FAILED',
  'INSTALLED_PENDING_REBOOT',
  'INSTALLED_REJECTED',
];

const BY_FOLDED_NAME = new Map<string, PatchState>(PATCH_STATES.map((s) => [s.replaceAll('_', ''), s]));

/**
 * The agent writes `InstalledPendingReboot`, the API answers `INSTALLED_PENDING_REBOOT`, and files in the wild
 * carry `MISSING` or `installed_other`: fold case and underscores so every spelling maps to the API enum.
 * Returns undefined for a value that is no patch state.
 */
export function normalisePatchState(raw: string): PatchState | undefined {
  return BY_FOLDED_NAME.get(raw.replaceAll(/[\s_-]/g, '').toUpperCase());
}

/** Compliance severities in rising order (the agent's own ranking, UNSPECIFIED lowest). */
export const SEVERITIES = ['UNSPECIFIED', 'INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];
