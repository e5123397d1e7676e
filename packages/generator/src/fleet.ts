/**
 * Node plans and how a node's patches stand at any moment: scans every day, installs in its environment's
 * maintenance window (prod Saturday 02:00 UTC, non-prod Tuesday 12:00 UTC), some installs failing or waiting
 * for a reboot, some nodes lagging, going stale, never scanned, stopped or terminated.
 */
import { applies, type Baseline, type Patch, type Platform, PLATFORMS } from './catalogue.js';
import { chance, hex, pick, randomStream } from './random.js';

export const DAY = 86_400_000;
const HOUR = 3_600_000;

export type Behaviour = 'diligent' | 'laggard' | 'stale' | 'unscanned' | 'inactive';

export const REGIONS = [
  'us-east-1',
  'eu-west-1',
  'ap-southeast-2',
  'us-west-2',
  'eu-central-1',
  'ca-central-1',
];
const ENVIRONMENTS = ['prod', 'staging', 'dev'] as const;
const TEAMS = ['payments', 'checkout', 'identity', 'data', 'platform', 'search'];
const AGENT_VERSIONS = ['3.2.2086.0', '3.3.40.0', '3.3.987.0', '3.3.1142.0'];

export function accountId(index: number): string {
  // The second account has a leading zero, as real ones can: it must survive as a string.
  if (index < 9) return index === 1 ? '022222222222' : String(index + 1).repeat(12);
  return String(100_000_000_000 + index * 7_919);
}
export const accountEnvironment = (index: number) => ENVIRONMENTS[index % ENVIRONMENTS.length]!;

export interface NodePlan {
  readonly index: number;
  readonly accountId: string;
  readonly region: string;
  readonly nodeId: string;
  readonly platform: Platform;
  readonly environment: (typeof ENVIRONMENTS)[number];
  readonly tags: readonly (readonly [string, string])[];
  readonly patchGroup: string | null;
  readonly behaviour: Behaviour;
  readonly noReboot: boolean;
  /** When the node first exists (may be before the first snapshot). */
  readonly launchedAt: number;
  /** When it was stopped or terminated, if ever. */
  readonly endedAt: number | null;
  readonly endedStatus: 'Stopped' | 'Terminated';
  /** Active nodes: omitted InstanceStatus (older agents) or ConnectionLost. */
  readonly activeStatus: string | null;
  /** Scans stop after this (stale nodes). */
  readonly scansUntil: number;
  readonly scanOffsetMinutes: number;
  readonly agentVersion: string;
  readonly ipAddress: string;
  readonly applications: number;
  readonly associations: number;
  readonly customCompliance: boolean;
}

function weightedPlatform(roll: number): Platform {
  let sum = 0;
  for (const { weight, platform } of PLATFORMS) {
    sum += weight;
    if (roll < sum) return platform;
  }
  return PLATFORMS[0]!.platform;
}

export interface FleetShape {
  readonly seed: number;
  readonly nodes: number;
  readonly accounts: number;
  readonly regions: number;
  readonly days: number;
  /** The last snapshot's instant. */
  readonly at: number;
}

export function planNode(shape: FleetShape, index: number): NodePlan {
  const random = randomStream(shape.seed, index);
  const accountIndex = index % shape.accounts;
  const environment = accountEnvironment(accountIndex);
  const hybrid = random() < 0.03;
  const nodeId = `${hybrid ? 'mi' : 'i'}-0${hex(random, 16)}`;
  const platform = weightedPlatform(random());
  const os = platform.platformType === 'Windows' ? 'windows' : 'linux';
  const firstSnapshot = shape.at - (shape.days - 1) * DAY;

  const b = random();
  const behaviour: Behaviour =
    b < 0.62 ? 'diligent' : b < 0.82 ? 'laggard' : b < 0.87 ? 'stale' : b < 0.92 ? 'unscanned' : 'inactive';
  // Over a multi-day run about 0.3% of nodes launch and 0.3% end per day.
  const launchedLate = shape.days > 1 && random() < 0.003 * shape.days;
  const launchedAt = launchedLate
    ? firstSnapshot + Math.floor(random() * (shape.days - 1)) * DAY + 6 * HOUR
    : shape.at - (60 + Math.floor(random() * 400)) * DAY;
  const endsInRun = shape.days > 1 && random() < 0.003 * shape.days;
  let endedAt: number | null = null;
  if (behaviour === 'inactive') endedAt = shape.at - (2 + random() * 30) * DAY;
  if (endsInRun) endedAt = firstSnapshot + Math.floor(random() * shape.days) * DAY + 14 * HOUR;
  if (endedAt !== null && endedAt < launchedAt + DAY) endedAt = launchedAt + DAY;

  const tags: [string, string][] = [];
  const name =
    index === 3 && shape.nodes >= 20
      ? '<img src=x onerror=alert(1)>'
      : `${environment}-${os}-${String(index).padStart(5, '0')}`;
  if (random() >= 0.05) tags.push(['Name', name]);
  const team =
    index === 5 && shape.nodes >= 20 ? '=HYPERLINK("http://example.invalid","x")' : pick(random, TEAMS);
  const teamKey = random();
  if (teamKey < 0.82) tags.push(['Team', team]);
  else if (teamKey < 0.92) tags.push(['team', team]);
  const envKey = random();
  if (envKey < 0.85) tags.push(['Environment', environment]);
  else if (envKey < 0.95) tags.push([pick(random, ['environment', 'Env', 'env']), environment]);
  const patchGroup = random() < 0.95 ? `${environment === 'prod' ? 'prod' : 'nonprod'}-${os}` : null;
  if (patchGroup) tags.push(['Patch Group', patchGroup]);
  if (random() < 0.5) tags.push(['CostCenter', `cc-${100 + Math.floor(random() * 20)}`]);

  const statusRoll = random();
  return {
    index,
    accountId: accountId(accountIndex),
    region: REGIONS[Math.floor(index / shape.accounts) % shape.regions] ?? 'us-east-1',
    nodeId,
    platform,
    environment,
    tags,
    patchGroup,
    behaviour,
    noReboot: random() < 0.12,
    launchedAt,
    endedAt,
    endedStatus: random() < 0.5 ? 'Stopped' : 'Terminated',
    activeStatus: statusRoll < 0.03 ? null : statusRoll < 0.05 ? 'ConnectionLost' : 'Active',
    scansUntil: behaviour === 'stale' ? shape.at - (8 + random() * 32) * DAY : Number.POSITIVE_INFINITY,
    scanOffsetMinutes: Math.floor(random() * 120),
    agentVersion: pick(random, AGENT_VERSIONS),
    ipAddress: `10.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`,
    applications: 15 + Math.floor(random() * 26),
    associations: random() < 0.3 ? 1 + Math.floor(random() * 2) : 0,
    customCompliance: random() < 0.1,
  };
}

/** The maintenance window at or after `t`: prod Saturday 02:00 UTC, non-prod Tuesday 12:00 UTC. */
export function nextWindow(plan: NodePlan, t: number): number {
  const [weekday, hour] = plan.environment === 'prod' ? [6, 2] : [2, 12];
  const day = new Date(t);
  const candidate = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour);
  const daysAhead = (weekday - day.getUTCDay() + 7) % 7;
  let window = candidate + daysAhead * DAY;
  if (window < t) window += 7 * DAY;
  return window;
}

/** The last daily scan at or before `t`, or null if the node has not scanned by then. */
export function lastScan(plan: NodePlan, t: number): number | null {
  if (plan.behaviour === 'unscanned') return null;
  const until = Math.min(t, plan.scansUntil, plan.endedAt ?? Number.POSITIVE_INFINITY);
  const dayStart = Math.floor(until / DAY) * DAY;
  let scan = dayStart + HOUR + plan.scanOffsetMinutes * 60_000;
  if (scan > until) scan -= DAY;
  return scan >= plan.launchedAt + HOUR ? scan : null;
}

export type ItemState =
  'Installed' | 'InstalledOther' | 'Missing' | 'Failed' | 'InstalledPendingReboot' | 'InstalledRejected';

export interface ItemAt {
  readonly patch: Patch;
  readonly state: ItemState;
  readonly installedTime: number | null;
  readonly severity: string;
}

/** How each approved, applicable patch stands on the node at scan time `scan`. */
export function itemsAt(
  plan: NodePlan,
  baseline: Baseline,
  patches: readonly Patch[],
  scan: number,
): ItemAt[] {
  const items: ItemAt[] = [];
  for (const patch of patches) {
    if (!applies(plan.nodeId, patch) || !baseline.approves(patch)) continue;
    const approvedAt = patch.releasedAt + baseline.approveAfterDays * DAY;
    if (approvedAt > scan) continue;
    const severity = baseline.complianceLevel(patch);
    // Patches approved before the node existed came with its image.
    if (approvedAt < plan.launchedAt) {
      items.push({ patch, state: 'Installed', installedTime: plan.launchedAt, severity });
      continue;
    }
    const laggard = plan.behaviour === 'laggard';
    if (laggard && chance(plan.nodeId, patch.id, 'rejected') < 0.02) {
      items.push({ patch, state: 'InstalledRejected', installedTime: approvedAt, severity });
      continue;
    }
    if (laggard && chance(plan.nodeId, patch.id, 'skipped') < 0.35) {
      items.push({ patch, state: 'Missing', installedTime: null, severity });
      continue;
    }
    const first = nextWindow(plan, approvedAt);
    const fails = chance(plan.nodeId, patch.id, 'fails') < (laggard ? 0.15 : 0.02);
    const installedAt = fails ? nextWindow(plan, first + HOUR) : first;
    if (scan < first) items.push({ patch, state: 'Missing', installedTime: null, severity });
    else if (scan < installedAt) items.push({ patch, state: 'Failed', installedTime: null, severity });
    else if (plan.noReboot && scan < nextWindow(plan, installedAt + HOUR)) {
      items.push({ patch, state: 'InstalledPendingReboot', installedTime: installedAt, severity });
    } else items.push({ patch, state: 'Installed', installedTime: installedAt, severity });
  }
  return items;
}

export const NON_COMPLIANT_STATES: readonly ItemState[] = [
  'Missing',
  'Failed',
  'InstalledPendingReboot',
  'InstalledRejected',
];
