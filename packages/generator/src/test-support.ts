/**
 * For the tests only: reads a generated bucket copy back the way a tolerant reader would (BOM, CRLF, blank
 * lines, key casing, state spellings) and re-derives each node's truth from the files alone, with the status
 * rule written out again here. A generator bug shows up as a difference from the truth it wrote.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TruthNode, TruthSeverity, TruthStatus } from './truth.js';

export const KEY_PATTERN =
  /^(?:(.+)\/)?((?:AWS|Custom):[^/]+)\/accountid=(\d{12})\/region=([a-z0-9-]+)\/resourcetype=([^/]+)\/([^/]+)\.json$/;

export type Line = Record<string, unknown>;

export interface BucketNode {
  readonly accountId: string;
  readonly region: string;
  readonly nodeId: string;
  /** Lines per type name. */
  readonly lines: Map<string, Line[]>;
  /** Raw text per type name. */
  readonly texts: Map<string, string>;
}

export interface Bucket {
  /** Every file's key relative to the copy's root. */
  readonly keys: string[];
  readonly nodes: Map<string, BucketNode>;
}

/** Every file under `dir`, as keys with forward slashes. Synchronous: for tests, it is simply faster. */
export function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return files.sort();
}

function parseLines(text: string): Line[] {
  return text
    .replace(/^\ufeff/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Line);
}

/** A field by name, any casing (the sync writes `resourceId`, some files `ResourceId`). */
export function field(line: Line, name: string): unknown {
  if (name in line) return line[name];
  const lower = name.toLowerCase();
  const key = Object.keys(line).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : line[key];
}

export function readBucket(dir: string): Bucket {
  const keys = listFiles(dir);
  const nodes = new Map<string, BucketNode>();
  for (const key of keys) {
    const match = KEY_PATTERN.exec(key);
    if (!match) continue;
    const [, , type = '', accountId = '', region = '', , nodeId = ''] = match;
    const text = readFileSync(join(dir, key), 'utf8');
    const id = `${accountId}/${region}/${nodeId}`;
    let node = nodes.get(id);
    if (!node) nodes.set(id, (node = { accountId, region, nodeId, lines: new Map(), texts: new Map() }));
    node.texts.set(type, text);
    node.lines.set(type, parseLines(text));
  }
  return { keys, nodes };
}

const STATE_BY_FOLDED: Record<string, string> = {
  INSTALLED: 'Installed',
  INSTALLEDOTHER: 'InstalledOther',
  INSTALLEDPENDINGREBOOT: 'InstalledPendingReboot',
  INSTALLEDREJECTED: 'InstalledRejected',
  MISSING: 'Missing',
  FAILED: 'Failed',
};
export const patchState = (raw: unknown): string =>
  STATE_BY_FOLDED[String(raw).replaceAll('_', '').toUpperCase()] ?? `unknown:${String(raw)}`;

const NON_COMPLIANT = new Set(['Missing', 'Failed', 'InstalledPendingReboot', 'InstalledRejected']);
const SECURITY = new Set(['Security', 'SecurityUpdates', 'CriticalUpdates']);
const RANK: TruthSeverity[] = ['UNSPECIFIED', 'INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** The node's truth as its files state it, under the status rule evaluated at `at`. */
export function deriveTruth(node: BucketNode, at: number): TruthNode {
  const lines = (type: string) => node.lines.get(type) ?? [];
  const info = lines('AWS:InstanceInformation')[0] ?? {};
  const tags = new Map<string, string>();
  for (const tag of lines('AWS:Tag')) tags.set(String(tag.Key), String(tag.Value));
  const tag = (...keys: string[]) => keys.map((k) => tags.get(k)).find((v) => v !== undefined) ?? null;
  const compliance = lines('AWS:ComplianceItem');
  const items = compliance.filter((l) => l.ComplianceType === 'Patch');
  const summary = lines('AWS:PatchSummary')[0];
  const count = (state: string) => items.filter((l) => patchState(l.PatchState) === state).length;
  const nonCompliant = items.filter((l) => NON_COMPLIANT.has(patchState(l.PatchState)));
  const lastScan = summary ? String(summary.OperationEndTime) : null;
  const instanceStatus = typeof info.InstanceStatus === 'string' ? info.InstanceStatus : null;
  const hasPatchData = items.length > 0 || summary !== undefined;

  let status: TruthStatus;
  if (instanceStatus === 'Stopped' || instanceStatus === 'Terminated') status = 'INACTIVE';
  else if (!hasPatchData) status = 'NOT_SCANNED';
  else if (nonCompliant.length > 0) status = 'NON_COMPLIANT';
  else if (lastScan === null || Date.parse(lastScan) < at - 7 * 86_400_000) status = 'STALE';
  else status = 'COMPLIANT';

  const ranks = nonCompliant.map((l) => RANK.indexOf(l.Severity as TruthSeverity));
  return {
    accountId: node.accountId,
    region: node.region,
    nodeId: node.nodeId,
    name: tag('Name'),
    platformType: info.PlatformType as 'Linux' | 'Windows',
    platformName: String(info.PlatformName),
    platformVersion: String(info.PlatformVersion),
    instanceStatus,
    managed: true,
    instanceState: null,
    agentVersion: String(info.AgentVersion),
    team: tag('Team', 'team'),
    environment: tag('Environment', 'environment', 'Env', 'env'),
    patchGroup: tag('Patch Group'),
    baselineId: summary
      ? String(summary.BaselineId)
      : ((items[0]?.PatchBaselineId as string | undefined) ?? null),
    status,
    lastScanTime: lastScan,
    installed: count('Installed'),
    installedOther: count('InstalledOther'),
    missing: count('Missing'),
    failed: count('Failed'),
    pendingReboot: count('InstalledPendingReboot'),
    installedRejected: count('InstalledRejected'),
    criticalNonCompliant: nonCompliant.filter((l) => l.Severity === 'CRITICAL').length,
    securityNonCompliant: nonCompliant.filter((l) => SECURITY.has(String(l.Classification))).length,
    highestSeverity: ranks.length === 0 ? null : (RANK[Math.max(...ranks)] ?? null),
    nonCompliantPatchIds: nonCompliant.map((l) => String(l.Id)).sort(),
    applications: lines('AWS:Application').length,
    associationNonCompliant: compliance.some(
      (l) => l.ComplianceType === 'Association' && l.Status === 'NON_COMPLIANT',
    ),
  };
}
