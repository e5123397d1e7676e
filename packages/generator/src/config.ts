/**
 * What AWS Config records about the fleet's EC2 instances: each instance's EC2 state over time, and the
 * configuration items a Config snapshot lists for it. The only place EC2 instances with no working SSM Agent
 * appear, since they write nothing to the Resource Data Sync bucket.
 *
 * Snapshots are delivered as AWS Config does without a key prefix:
 * `AWSLogs/<account>/Config/<region>/<yyyy>/<m>/<d>/ConfigSnapshot/<account>_Config_<region>_ConfigSnapshot_<yyyymmddTHHmmssZ>_<uuid>.json.gz`
 * (month and day without zero padding), a gzipped JSON document `{fileVersion, configSnapshotId,
 * configurationItems}`.
 */
import { DAY } from './clock.js';
import { type FleetShape, type NodePlan, tagValue } from './fleet.js';
import { chance, hash, textHash, uuidOf } from './random.js';
import { statusOf, type TruthNode, type TruthStatus } from './truth.js';

/** How long a terminated instance stays listed, as EC2 keeps showing it. */
export const TERMINATED_LISTED_DAYS = 7;
/** Unmanaged instances that are stopped at the last snapshot. */
const UNMANAGED_STOPPED_SHARE = 0.1;

export const MANAGED_RULE = 'ec2-instance-managed-by-systems-manager';
export const PATCH_RULE = 'ec2-managedinstance-patch-compliance-status-check';

/** EC2 state codes, as DescribeInstances and Config write them. */
const STATE_CODES = { running: 16, terminated: 48, stopped: 80 } as const;
export type Ec2StateName = keyof typeof STATE_CODES;

export interface Ec2State {
  readonly name: Ec2StateName;
  /** When the instance last changed configuration (launch, stop, termination). */
  readonly changedAt: number;
  /** The item's configurationItemStatus. */
  readonly itemStatus: 'ResourceDiscovered' | 'OK' | 'ResourceDeleted';
}

const SALT = {
  stopped: textHash('unmanaged stopped'),
  stopTime: textHash('unmanaged stop time'),
  zone: textHash('availability zone'),
  image: textHash('image id'),
  type: textHash('instance type'),
  rule: textHash('config rule'),
  snapshot: textHash('config snapshot'),
};

/** When an unmanaged instance was stopped, between its launch and the last snapshot; null if it runs. */
function unmanagedStoppedAt(plan: NodePlan, shape: FleetShape): number | null {
  if (chance(plan.key, SALT.stopped) >= UNMANAGED_STOPPED_SHARE) return null;
  const share = 0.1 + 0.8 * chance(plan.key, SALT.stopTime);
  return Math.floor((plan.launchedAt + share * (shape.at - plan.launchedAt)) / 1000) * 1000;
}

/**
 * The instance's EC2 state at `t` as a Config snapshot shows it; null when no snapshot lists it (on-premises
 * nodes, not yet launched, or terminated more than TERMINATED_LISTED_DAYS before). A managed node ends as its
 * SSM status says (Stopped or Terminated); an unmanaged one runs, or was stopped once.
 */
export function ec2StateAt(
  plan: NodePlan,
  unmanaged: boolean,
  shape: FleetShape,
  t: number,
): Ec2State | null {
  if (plan.resourceType !== 'EC2Instance' || plan.launchedAt > t) return null;
  const running: Ec2State = { name: 'running', changedAt: plan.launchedAt, itemStatus: 'ResourceDiscovered' };
  if (unmanaged) {
    const stoppedAt = unmanagedStoppedAt(plan, shape);
    return stoppedAt !== null && stoppedAt <= t
      ? { name: 'stopped', changedAt: stoppedAt, itemStatus: 'OK' }
      : running;
  }
  if (plan.endedAt === null || plan.endedAt > t) return running;
  if (plan.endedStatus === 'Stopped') return { name: 'stopped', changedAt: plan.endedAt, itemStatus: 'OK' };
  if (t > plan.endedAt + TERMINATED_LISTED_DAYS * DAY) return null;
  return { name: 'terminated', changedAt: plan.endedAt, itemStatus: 'ResourceDeleted' };
}

/** EC2's PlatformDetails for the node's operating system: what Patchboard shows for a node with no SSM data. */
export function platformDetails(plan: NodePlan): string {
  if (plan.platform.platformType === 'Windows') return 'Windows';
  if (plan.platform.operatingSystem === 'REDHAT_ENTERPRISE_LINUX') return 'Red Hat Enterprise Linux';
  return 'Linux/UNIX';
}

const INSTANCE_TYPES = [
  't3.medium',
  't3.large',
  'm5.large',
  'm6i.large',
  'm6i.xlarge',
  'c6i.large',
  'r6i.large',
];

/** `2026-10-31T12:00:00.000Z`: Config writes its times with milliseconds. */
const isoMillis = (t: number) => new Date(t).toISOString();
const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** The node's part of a Config snapshot: its EC2 instance item and, when a rule evaluated it, its compliance. */
export interface ConfigItems {
  readonly instance: string;
  readonly compliance: string | null;
}

export interface ConfigFacts {
  readonly state: Ec2State;
  readonly managed: boolean;
  /** The node's truth status at the snapshot (managed nodes). */
  readonly status: TruthStatus;
  /** The end of its last patch scan; null if never scanned or unmanaged. */
  readonly lastScan: number | null;
}

export function configItems(plan: NodePlan, seed: number, facts: ConfigFacts): ConfigItems {
  const { state } = facts;
  const { accountId } = plan.account;
  const zone = `${plan.region}${'abc'[Math.floor(chance(plan.key, SALT.zone) * 3)] ?? 'a'}`;
  const imageId = `ami-0${hex8(hash(seed, plan.key, SALT.image, 1))}${hex8(hash(seed, plan.key, SALT.image, 2))}`;
  const instanceType =
    INSTANCE_TYPES[Math.floor(chance(plan.key, SALT.type) * INSTANCE_TYPES.length)] ?? 't3.medium';
  const instance = {
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: isoMillis(state.changedAt),
    configurationStateId: state.changedAt,
    awsAccountId: accountId,
    configurationItemStatus: state.itemStatus,
    resourceType: 'AWS::EC2::Instance',
    resourceId: plan.nodeId,
    ARN: `arn:aws:ec2:${plan.region}:${accountId}:instance/${plan.nodeId}`,
    awsRegion: plan.region,
    availabilityZone: zone,
    resourceCreationTime: isoMillis(plan.launchedAt),
    tags: Object.fromEntries(plan.tags),
    relationships: [],
    configuration: {
      instanceId: plan.nodeId,
      imageId,
      instanceType,
      launchTime: isoMillis(plan.launchedAt),
      ...(plan.platform.platformType === 'Windows' ? { platform: 'windows' } : {}),
      platformDetails: platformDetails(plan),
      state: { code: STATE_CODES[state.name], name: state.name },
      tags: plan.tags.map(([key, value]) => ({ key, value })),
    },
    supplementaryConfiguration: {},
  };

  const rules: { name: string; complianceType: 'COMPLIANT' | 'NON_COMPLIANT' }[] = [];
  if (state.name === 'running') {
    rules.push({ name: MANAGED_RULE, complianceType: facts.managed ? 'COMPLIANT' : 'NON_COMPLIANT' });
  }
  if (facts.managed && facts.lastScan !== null && state.name !== 'terminated') {
    rules.push({
      name: PATCH_RULE,
      complianceType: facts.status === 'COMPLIANT' ? 'COMPLIANT' : 'NON_COMPLIANT',
    });
  }
  if (rules.length === 0) return { instance: JSON.stringify(instance), compliance: null };

  // Evaluated when its inputs last changed, so an unchanged verdict keeps its bytes from day to day.
  const evaluatedAt = Math.max(state.changedAt, facts.lastScan ?? 0);
  const targetId = `AWS::EC2::Instance/${plan.nodeId}`;
  const complianceType = rules.some((r) => r.complianceType === 'NON_COMPLIANT')
    ? 'NON_COMPLIANT'
    : 'COMPLIANT';
  const compliance = {
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: isoMillis(evaluatedAt),
    configurationStateId: evaluatedAt,
    awsAccountId: accountId,
    configurationItemStatus: 'OK',
    resourceType: 'AWS::Config::ResourceCompliance',
    resourceId: targetId,
    ARN: `arn:aws:config:${plan.region}:${accountId}:resource-compliance/${targetId}`,
    awsRegion: plan.region,
    availabilityZone: 'Not Applicable',
    tags: {},
    relationships: [],
    configuration: {
      targetResourceId: plan.nodeId,
      targetResourceType: 'AWS::EC2::Instance',
      complianceType,
      configRuleList: rules.map(({ name, complianceType: ruleCompliance }) => {
        const ruleId = `config-rule-${hex8(hash(seed, textHash(accountId), textHash(plan.region), textHash(name))).slice(0, 6)}`;
        return {
          configRuleArn: `arn:aws:config:${plan.region}:${accountId}:config-rule/${ruleId}`,
          configRuleId: ruleId,
          configRuleName: name,
          complianceType: ruleCompliance,
        };
      }),
    },
    supplementaryConfiguration: {},
  };
  return { instance: JSON.stringify(instance), compliance: JSON.stringify(compliance) };
}

/** The key of one account and Region's Config snapshot delivered at `t`, from the bucket copy's root. */
export function configSnapshotKey(
  accountId: string,
  region: string,
  seed: number,
  t: number,
): {
  key: string;
  snapshotId: string;
} {
  const date = new Date(t);
  const stamp = date.toISOString().replace(/[-:]/g, '').slice(0, 15);
  const snapshotId = uuidOf(
    hash(seed, SALT.snapshot),
    hash(textHash(accountId), textHash(region)),
    Math.floor(t / 1000),
  );
  const folder = `AWSLogs/${accountId}/Config/${region}/${date.getUTCFullYear()}/${date.getUTCMonth() + 1}/${date.getUTCDate()}/ConfigSnapshot`;
  return {
    key: `${folder}/${accountId}_Config_${region}_ConfigSnapshot_${stamp}Z_${snapshotId}.json.gz`,
    snapshotId,
  };
}

/** The truth of an EC2 instance no agent reports for: what its tags and its Config item say, nothing more. */
export function unmanagedTruth(plan: NodePlan, state: Ec2State | null, at: number): TruthNode {
  const tag = (...keys: string[]) => tagValue(plan, ...keys);
  const instanceState = state?.name ?? null;
  return {
    accountId: plan.account.accountId,
    region: plan.region,
    nodeId: plan.nodeId,
    name: tag('Name'),
    platformType: plan.platform.platformType,
    platformName: platformDetails(plan),
    platformVersion: null,
    instanceStatus: null,
    managed: false,
    instanceState,
    agentVersion: null,
    team: tag('Team', 'team'),
    environment: tag('Environment', 'environment', 'Env', 'env'),
    patchGroup: tag('Patch Group'),
    baselineId: null,
    status: statusOf(
      {
        instanceStatus: null,
        instanceState,
        informationTime: null,
        hasPatchData: false,
        nonCompliantItems: 0,
        lastScan: null,
      },
      at,
    ),
    lastScanTime: null,
    installed: 0,
    installedOther: 0,
    missing: 0,
    failed: 0,
    pendingReboot: 0,
    installedRejected: 0,
    criticalNonCompliant: 0,
    securityNonCompliant: 0,
    highestSeverity: null,
    nonCompliantPatchIds: [],
    applications: 0,
    associationNonCompliant: false,
  };
}
