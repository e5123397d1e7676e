/**
 * The ground truth written next to a generated fleet: what each node is, computed by the generator from its
 * own model with its own copy of the status rule, so tests can check Patchboard against it independently.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export type TruthStatus = 'INACTIVE' | 'NOT_SCANNED' | 'NON_COMPLIANT' | 'STALE' | 'COMPLIANT';
export type TruthSeverity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL' | 'UNSPECIFIED';

export interface TruthMeta {
  seed: number;
  at: string;
  date: string;
  nodes: number;
  accounts: { accountId: string; name: string; environment: string }[];
  regions: string[];
  staleAfterDays: 7;
  baselines: { baselineId: string; patchGroup: string | null; operatingSystem: string }[];
  files: number;
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
  platformName: string;
  platformVersion: string;
  /** Exactly as written; null when the record has none. */
  instanceStatus: string | null;
  agentVersion: string;
  team: string | null;
  environment: string | null;
  patchGroup: string | null;
  baselineId: string | null;
  status: TruthStatus;
  /** PatchSummary OperationEndTime; null if never scanned. */
  lastScanTime: string | null;
  installed: number;
  installedOther: number;
  missing: number;
  failed: number;
  pendingReboot: number;
  installedRejected: number;
  criticalNonCompliant: number;
  securityNonCompliant: number;
  highestSeverity: TruthSeverity | null;
  nonCompliantPatchIds: string[];
  applications: number;
  tags: number;
  associationNonCompliant: boolean;
}

export interface TruthPatchEvent {
  accountId: string;
  region: string;
  nodeId: string;
  patchId: string;
  cveIds: string[];
  severity: string;
  classification: string;
  releasedAt: string;
  firstSeenNonCompliant: string;
  /** The InstalledTime finally reported; null if still not installed on the last day. */
  installedTime: string | null;
}

async function lastDate(truthDir: string): Promise<string> {
  const dates = (await readdir(truthDir))
    .filter((f) => f.endsWith('.meta.json'))
    .map((f) => f.slice(0, 10))
    .sort();
  const last = dates.at(-1);
  if (!last) throw new Error(`no ground truth in ${truthDir}`);
  return last;
}

export async function readTruth(
  outDir: string,
  date?: string,
): Promise<{ meta: TruthMeta; nodes: TruthNode[] }> {
  const truthDir = join(outDir, 'truth');
  const day = date ?? (await lastDate(truthDir));
  const meta = JSON.parse(await readFile(join(truthDir, `${day}.meta.json`), 'utf8')) as TruthMeta;
  const text = await readFile(join(truthDir, `${day}.nodes.ndjson`), 'utf8');
  const nodes = text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TruthNode);
  return { meta, nodes };
}

export async function readPatchEvents(outDir: string): Promise<TruthPatchEvent[]> {
  const text = await readFile(join(outDir, 'truth', 'patch-events.ndjson'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TruthPatchEvent);
}
