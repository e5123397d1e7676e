/**
 * For the tests only: reads a generated bucket copy back the way a tolerant reader would (BOM, CRLF, blank
 * lines, key casing, state spellings) and re-derives each node's truth from the files alone, with the status
 * rule written out again here. AWS Config snapshots (`AWSLogs/.../ConfigSnapshot/*.json.gz`) are read too:
 * they are the only trace of an EC2 instance no agent reports for. A generator bug shows up as a difference
 * from the truth it wrote.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { TruthNode, TruthSeverity, TruthStatus } from './truth.js';

export const KEY_PATTERN =
  /^(?:(.+)\/)?((?:AWS|Custom):[^/]+)\/accountid=(\d{12})\/region=([a-z0-9-]+)\/resourcetype=([^/]+)\/([^/]+)\.json$/;

/** AWS Config's snapshot key, as its delivery channel writes it with no prefix (month and day unpadded). */
export const CONFIG_KEY_PATTERN =
  /^AWSLogs\/(\d{12})\/Config\/([a-z0-9-]+)\/(\d{4})\/([1-9]\d?)\/([1-9]\d?)\/ConfigSnapshot\/\1_Config_\2_ConfigSnapshot_(\d{8}T\d{6}Z)_([0-9a-f-]{36})\.json\.gz$/;

export type Line = Record<string, unknown>;

/** A Config snapshot file as written: `{fileVersion, configSnapshotId, configurationItems}`. */
export interface ConfigSnapshotFile {
  readonly key: string;
  readonly fileVersion: unknown;
  readonly configSnapshotId: unknown;
  readonly configurationItems: Line[];
}

export interface BucketNode {
  readonly accountId: string;
  readonly region: string;
  readonly nodeId: string;
  /** Lines per type name. */
  readonly lines: Map<string, Line[]>;
  /** Raw text per type name. */
  readonly texts: Map<string, string>;
  /** The node's items in the copy's Config snapshot: its EC2 instance and its rule compliance. */
  readonly config: { instance?: Line; compliance?: Line };
}

export interface Bucket {
  /** Every file's key relative to the copy's root. */
  readonly keys: string[];
  readonly nodes: Map<string, BucketNode>;
  readonly configSnapshots: ConfigSnapshotFile[];
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
  const configSnapshots: ConfigSnapshotFile[] = [];
  const nodeOf = (accountId: string, region: string, nodeId: string) => {
    const id = `${accountId}/${region}/${nodeId}`;
    let node = nodes.get(id);
    if (!node) {
      node = { accountId, region, nodeId, lines: new Map(), texts: new Map(), config: {} };
      nodes.set(id, node);
    }
    return node;
  };
  for (const key of keys) {
    const configMatch = CONFIG_KEY_PATTERN.exec(key);
    if (configMatch) {
      const [, accountId = '', region = ''] = configMatch;
      const document = JSON.parse(gunzipSync(readFileSync(join(dir, key))).toString('utf8')) as Omit<
        ConfigSnapshotFile,
        'key'
      >;
      configSnapshots.push({ key, ...document });
      for (const item of document.configurationItems) {
        if (item.resourceType === 'AWS::EC2::Instance') {
          nodeOf(accountId, region, String(item.resourceId)).config.instance = item;
        } else if (item.resourceType === 'AWS::Config::ResourceCompliance') {
          const target = String(item.resourceId).replace(/^AWS::EC2::Instance\//, '');
          nodeOf(accountId, region, target).config.compliance = item;
        }
      }
      continue;
    }
    const match = KEY_PATTERN.exec(key);
    if (!match) continue;
    const [, , type = '', accountId = '', region = '', , nodeId = ''] = match;
    const text = readFileSync(join(dir, key), 'utf8');
    const node = nodeOf(accountId, region, nodeId);
    node.texts.set(type, text);
    node.lines.set(type, parseLines(text));
  }
  return { keys, nodes, configSnapshots };
}

interface Ec2Configuration {
  platformDetails: string;
  state: { code: number; name: string };
  tags: { key: string; value: string }[];
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
/** Lower-cased: SUSE writes `security`, and the agent counts it in any case. */
const SECURITY = new Set(['security', 'securityupdates', 'criticalupdates']);
const RANK: TruthSeverity[] = ['UNSPECIFIED', 'INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** The node's truth as its files state it, under the status rule evaluated at `at`. */
export function deriveTruth(node: BucketNode, at: number): TruthNode {
  const lines = (type: string) => node.lines.get(type) ?? [];
  const information = lines('AWS:InstanceInformation')[0];
  const info = information ?? {};
  const ec2 = node.config.instance?.configuration as Ec2Configuration | undefined;
  const instanceState = ec2?.state.name ?? null;
  const tags = new Map<string, string>();
  // A node with no SSM data has only EC2's tags, from its Config item.
  if (information === undefined) for (const tag of ec2?.tags ?? []) tags.set(tag.key, tag.value);
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

  const informationTime = information ? Date.parse(String(field(information, 'captureTime'))) : null;

  let status: TruthStatus;
  if (instanceStatus === 'Stopped' || instanceStatus === 'Terminated') status = 'INACTIVE';
  else if (
    instanceState !== null &&
    ['stopping', 'stopped', 'shutting-down', 'terminated'].includes(instanceState)
  ) {
    status = 'INACTIVE';
  } else if (instanceState !== null && (informationTime === null || informationTime < at - 7 * 86_400_000)) {
    status = 'UNMANAGED';
  } else if (!hasPatchData) status = 'NOT_SCANNED';
  else if (nonCompliant.length > 0) status = 'NON_COMPLIANT';
  else if (lastScan === null || Date.parse(lastScan) < at - 7 * 86_400_000) status = 'STALE';
  else status = 'COMPLIANT';

  const ranks = nonCompliant.map((l) => RANK.indexOf(l.Severity as TruthSeverity));
  return {
    accountId: node.accountId,
    region: node.region,
    nodeId: node.nodeId,
    name: tag('Name'),
    // Without SSM data the platform is what EC2 says, and nothing gives its version.
    platformType: information
      ? (info.PlatformType as 'Linux' | 'Windows')
      : ec2?.platformDetails === 'Windows'
        ? 'Windows'
        : 'Linux',
    platformName: information ? String(info.PlatformName) : String(ec2?.platformDetails),
    platformVersion: information ? String(info.PlatformVersion) : null,
    instanceStatus,
    managed: information !== undefined,
    instanceState,
    agentVersion: information ? String(info.AgentVersion) : null,
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
    securityNonCompliant: nonCompliant.filter((l) => SECURITY.has(String(l.Classification).toLowerCase()))
      .length,
    highestSeverity: ranks.length === 0 ? null : (RANK[Math.max(...ranks)] ?? null),
    nonCompliantPatchIds: nonCompliant.map((l) => String(l.Id)).sort(),
    applications: lines('AWS:Application').length,
    associationNonCompliant: compliance.some(
      (l) => l.ComplianceType === 'Association' && l.Status === 'NON_COMPLIANT',
    ),
  };
}
