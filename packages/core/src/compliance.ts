/**
 * Node compliance under a declared policy. This pure function is the specification; the reports compute
 * the same rule in SQL (reports/node-facts.ts) for speed, and a test holds the two to each other.
 */
import type { Policy } from './config.js';

/** Node statuses, in the order the rule tries them. */
export const NODE_STATUSES = [
  'INACTIVE',
  'UNMANAGED',
  'NOT_SCANNED',
  'NON_COMPLIANT',
  'STALE',
  'COMPLIANT',
] as const;
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
  /**
   * The EC2 instance's state from AWS Config or DescribeInstances (`running`, `stopped`, ...); null when no
   * instance list names the node (an on-premises node, or an account whose instances are not listed).
   */
  readonly instanceState: string | null;
  /** When the node's SSM Agent last reported (its InstanceInformation capture time); null when it never did. */
  readonly agentReportTime: number | null;
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
  if (facts.instanceState !== null && policy.inactiveInstanceStates.includes(facts.instanceState)) {
    return 'INACTIVE';
  }
  // A running instance that no agent reports for (or not within the stale window) is outside patching: it
  // counts as active and not compliant, so the compliance figure cannot flatter by leaving it out.
  if (
    facts.instanceState !== null &&
    (facts.agentReportTime === null || facts.agentReportTime < staleCutoff(policy, now))
  ) {
    return 'UNMANAGED';
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

/**
 * Coverage % = active nodes an agent reports for / all active nodes and instances, to one decimal; null when
 * no instance list covers the group (then nothing says what SSM does not see).
 */
export function coveragePercent(active: number, unmanaged: number, listed: number): number | null {
  return listed === 0 || active === 0 ? null : Math.round(((active - unmanaged) / active) * 1000) / 10;
}
