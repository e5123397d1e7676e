/**
 * Node compliance under a declared policy. This pure function is the specification; the reports compute
 * the same rule in SQL (reports/node-facts.ts) for speed, and a test holds the two to each other.
 */
import type { Policy } from './config.js';

/** Node statuses, in the order the rule tries them. */
export const NODE_STATUSES = ['INACTIVE', 'NOT_SCANNED', 'NON_COMPLIANT', 'STALE', 'COMPLIANT'] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

export interface NodeFacts {
  /** InstanceStatus as reported; null when the node's record has none (which means active). */
  readonly instanceStatus: string | null;
  /** Whether any patch data exists for the node (a PatchSummary or a Patch compliance item). */
  readonly hasPatchData: boolean;
  /** Patch items in a non-compliant state: Missing, Failed, InstalledPendingReboot, InstalledRejected. */
  readonly nonCompliantCount: number;
  /** Time of the last patch scan, epoch milliseconds; null when unknown. */
  readonly lastScanTime: number | null;
}

const DAY_MS = 86_400_000;

/** The instant before which a scan is stale, for an evaluation at `now`. */
export function staleCutoff(policy: Policy, now: number): number {
  return now - policy.staleAfterDays * DAY_MS;
}

export function evaluateNodeStatus(facts: NodeFacts, policy: Policy, now: number): NodeStatus {
  if (facts.instanceStatus !== null && policy.inactiveInstanceStatuses.includes(facts.instanceStatus)) {
    return 'INACTIVE';
  }
  if (!facts.hasPatchData) return 'NOT_SCANNED';
  if (facts.nonCompliantCount > 0) return 'NON_COMPLIANT';
  // A scan with no known time cannot vouch for the node either.
  if (facts.lastScanTime === null || facts.lastScanTime < staleCutoff(policy, now)) return 'STALE';
  return 'COMPLIANT';
}

/** Compliance % = COMPLIANT / active nodes, to one decimal; null when there is no active node. */
export function compliancePercent(compliant: number, active: number): number | null {
  return active === 0 ? null : Math.round((compliant / active) * 1000) / 10;
}
