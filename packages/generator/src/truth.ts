/**
 * The ground truth written next to a generated fleet: what each node is at each snapshot, computed by the
 * generator from its own model with its own copy of the status rule, so other packages' tests can check
 * Patchboard's answers against numbers Patchboard did not compute. The type names are a contract.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export type TruthStatus = 'INACTIVE' | 'UNMANAGED' | 'NOT_SCANNED' | 'NON_COMPLIANT' | 'STALE' | 'COMPLIANT';
export type TruthSeverity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL' | 'UNSPECIFIED';

export interface TruthMeta {
  seed: number;
  /** The snapshot's instant. */
  at: string;
  /** Its UTC date, `YYYY-MM-DD`: the name of its truth files and of its folder under `days/`. */
  date: string;
  /** Nodes in this snapshot (nodes launched later are absent). */
  nodes: number;
  accounts: { accountId: string; name: string; environment: string }[];
  regions: string[];
  staleAfterDays: 7;
  baselines: { baselineId: string; patchGroup: string | null; operatingSystem: string }[];
  /** Files in this snapshot's bucket copy, the sync's test.json probes and Config snapshots included. */
  files: number;
  /** The share of nodes generated as EC2 instances with no working SSM Agent, 0 to 100. */
  unmanagedPct: number;
  /**
   * The AWS Config snapshot files of this snapshot's bucket copy, keys from its root
   * (`AWSLogs/<account>/Config/<region>/...json.gz`), one per account and Region; none when unmanagedPct is 0.
   */
  configSnapshots: string[];
  /** How many files (lines, for upperCaseStates) of this snapshot carry each formatting quirk. */
  quirks: {
    bom: number;
    crlf: number;
    blankLines: number;
    upperCaseStates: number;
    keyCaseVariants: number;
    emptyFiles: number;
    numericCounts: number;
  };
}

export interface TruthNode {
  accountId: string;
  region: string;
  nodeId: string;
  name: string | null;
  platformType: 'Linux' | 'Windows';
  /** The agent's PlatformName; for an unmanaged instance, EC2's PlatformDetails from its Config item. */
  platformName: string;
  /** The agent's PlatformVersion; null for an unmanaged instance (EC2 and Config do not give one). */
  platformVersion: string | null;
  /** Exactly as written; null when omitted, or when no agent reports for the node (managed false). */
  instanceStatus: string | null;
  /** Whether an SSM Agent reports for the node: false for an EC2 instance with no SSM data at all. */
  managed: boolean;
  /**
   * The EC2 state (`running`, `stopped`, `terminated`, ...) in the snapshot's AWS Config snapshot; null when no
   * Config snapshot lists the node (on-premises nodes, and fleets generated without `unmanagedPct`).
   */
  instanceState: string | null;
  /** The SSM Agent's version; null for an unmanaged instance. */
  agentVersion: string | null;
  team: string | null;
  environment: string | null;
  /** The `Patch Group` tag. */
  patchGroup: string | null;
  /** The baseline the patch data names; null without patch data. */
  baselineId: string | null;
  status: TruthStatus;
  /** PatchSummary OperationEndTime; null if not scanned. */
  lastScanTime: string | null;
  installed: number;
  installedOther: number;
  missing: number;
  failed: number;
  pendingReboot: number;
  installedRejected: number;
  /** Non-compliant Patch items with Severity CRITICAL. */
  criticalNonCompliant: number;
  /** Non-compliant Patch items classified Security (Linux), SecurityUpdates or CriticalUpdates (Windows). */
  securityNonCompliant: number;
  /** The highest Severity among non-compliant Patch items; null if none. */
  highestSeverity: TruthSeverity | null;
  /** Ids of the Patch items in Missing, Failed, InstalledPendingReboot or InstalledRejected, sorted. */
  nonCompliantPatchIds: string[];
  /** AWS:Application lines. */
  applications: number;
  associationNonCompliant: boolean;
}

/** One node x patch that was non-compliant in at least one generated snapshot. */
export interface TruthPatchEvent {
  accountId: string;
  region: string;
  nodeId: string;
  patchId: string;
  /** The item's Title: with the patch id, what tells one release of a package from the next. */
  title: string;
  /** The CVEs the files name for the patch (only while Missing or Failed; none on Ubuntu, whose items carry none). */
  cveIds: string[];
  /** The compliance level (the item's Severity). */
  severity: string;
  classification: string;
  releasedAt: string;
  /** The captureTime of the first snapshot's report that shows the patch non-compliant. */
  firstSeenNonCompliant: string;
  /** The InstalledTime finally reported, null if still not installed at the last day. */
  installedTime: string | null;
}

export const STALE_AFTER_DAYS = 7;

/** EC2 states in which an instance counts as inactive, as in Patchboard's default policy. */
export const INACTIVE_INSTANCE_STATES: ReadonlySet<string> = new Set([
  'stopping',
  'stopped',
  'shutting-down',
  'terminated',
]);

export interface StatusFacts {
  /** The SSM InstanceStatus; null when omitted or when no agent reports. */
  readonly instanceStatus: string | null;
  /** The EC2 state in the Config snapshot; null when no Config snapshot lists the node. */
  readonly instanceState: string | null;
  /** The captureTime of the node's AWS:InstanceInformation; null when it has none. */
  readonly informationTime: number | null;
  readonly hasPatchData: boolean;
  readonly nonCompliantItems: number;
  readonly lastScan: number | null;
}

/** The status rule, the generator's own copy: the first that applies. */
export function statusOf(facts: StatusFacts, at: number): TruthStatus {
  const staleBefore = at - STALE_AFTER_DAYS * 86_400_000;
  if (facts.instanceStatus === 'Stopped' || facts.instanceStatus === 'Terminated') return 'INACTIVE';
  if (facts.instanceState !== null && INACTIVE_INSTANCE_STATES.has(facts.instanceState)) return 'INACTIVE';
  if (
    facts.instanceState !== null &&
    (facts.informationTime === null || facts.informationTime < staleBefore)
  ) {
    return 'UNMANAGED';
  }
  if (!facts.hasPatchData) return 'NOT_SCANNED';
  if (facts.nonCompliantItems > 0) return 'NON_COMPLIANT';
  if (facts.lastScan === null || facts.lastScan < staleBefore) return 'STALE';
  return 'COMPLIANT';
}

const ndjson = <T>(text: string): T[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);

async function lastDate(truthDir: string): Promise<string> {
  const dates = (await readdir(truthDir))
    .filter((file) => file.endsWith('.meta.json'))
    .map((file) => file.slice(0, 10))
    .sort();
  const last = dates.at(-1);
  if (!last) throw new Error(`No ground truth in ${truthDir}: generate a fleet there first.`);
  return last;
}

/** The truth of one snapshot (`date` as YYYY-MM-DD; default the last). */
export async function readTruth(
  outDir: string,
  date?: string,
): Promise<{ meta: TruthMeta; nodes: TruthNode[] }> {
  const truthDir = join(outDir, 'truth');
  const day = date ?? (await lastDate(truthDir));
  const [meta, nodes] = await Promise.all([
    readFile(join(truthDir, `${day}.meta.json`), 'utf8'),
    readFile(join(truthDir, `${day}.nodes.ndjson`), 'utf8'),
  ]);
  return { meta: JSON.parse(meta) as TruthMeta, nodes: ndjson<TruthNode>(nodes) };
}

export async function readPatchEvents(outDir: string): Promise<TruthPatchEvent[]> {
  return ndjson<TruthPatchEvent>(await readFile(join(outDir, 'truth', 'patch-events.ndjson'), 'utf8'));
}
