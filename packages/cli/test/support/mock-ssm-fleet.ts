/**
 * A small SSM fleet and the mocks (aws-sdk-client-mock) that answer for it as the SSM, EC2 and STS APIs would: two
 * Regions, Linux and Windows, EC2 and hybrid nodes, patches missing, failed, pending reboot and installed, with
 * CVEs, tags and a patch catalogue; and EC2 instances SSM does not know, running, stopped and terminated. Every
 * request is recorded with its Region and a copy of its input.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import {
  DescribeAvailablePatchesCommand,
  DescribeInstanceInformationCommand,
  DescribeInstancePatchesCommand,
  DescribeInstancePatchStatesCommand,
  DescribePatchBaselinesCommand,
  GetPatchBaselineCommand,
  ListInventoryEntriesCommand,
  ListTagsForResourceCommand,
  SSMClient,
  type InstanceInformation,
  type InstancePatchState,
  type Patch,
  type PatchComplianceData,
  type PatchRule,
} from '@aws-sdk/client-ssm';
import { DescribeInstancesCommand, EC2Client, type Instance, type Reservation } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { CollectClients, CollectOptions } from '../../src/collect/collector.js';

export const ACCOUNT = '111122223333';
export const SCAN_START = new Date('2026-10-30T02:00:00Z');
export const SCAN_END = new Date('2026-10-30T02:03:00Z');

// ---- The fleet -------------------------------------------------------------------------------------------

export interface MockNode {
  readonly info: InstanceInformation;
  /** Undefined: never scanned (DescribeInstancePatchStates answers nothing for it). */
  readonly baselineId?: string;
  readonly patches: readonly PatchComplianceData[];
  readonly tags: readonly [string, string][];
}

/** The versions the nodes report, where a test matches them against the catalogue (whose kernel is 5.10.1-1). */
const LINUX_VERSIONS: Record<string, string> = { 'kernel.x86_64': '5.10.1-1.amzn2' };

const patch = (
  KBId: string,
  State: PatchComplianceData['State'],
  Classification: string,
  Severity: string,
  CVEIds?: string,
): PatchComplianceData => ({
  KBId,
  // As the API answers: a Windows update's title; a Linux package's `name.arch:epoch:version-release`
  // (User Guide, describe-instance-patches: "bind-libs.x86_64:32:9.8.2-0.68.rc1.60.amzn1").
  Title: KBId.startsWith('KB') ? `${KBId} update` : `${KBId}:0:${LINUX_VERSIONS[KBId] ?? '1.0-1.amzn2'}`,
  Classification,
  Severity,
  State,
  // The API answers the epoch for a patch that is not installed.
  InstalledTime: State!.startsWith('INSTALLED') ? new Date('2026-09-01T10:00:00Z') : new Date(0),
  ...(CVEIds ? { CVEIds } : {}),
});

const linux = (
  InstanceId: string,
  PingStatus: InstanceInformation['PingStatus'] = 'Online',
): InstanceInformation => ({
  InstanceId,
  PingStatus,
  LastPingDateTime: new Date('2026-10-30T23:00:00Z'),
  AgentVersion: '3.3.40.0',
  PlatformType: 'Linux',
  PlatformName: 'Amazon Linux',
  PlatformVersion: '2',
  ResourceType: 'EC2Instance',
  IPAddress: '10.0.0.1',
  ComputerName: `${InstanceId}.internal`,
});
const windows = (
  InstanceId: string,
  ResourceType: InstanceInformation['ResourceType'],
): InstanceInformation => ({
  InstanceId,
  PingStatus: 'Online',
  LastPingDateTime: new Date('2026-10-30T23:00:00Z'),
  AgentVersion: '3.3.40.0',
  PlatformType: 'Windows',
  PlatformName: 'Microsoft Windows Server 2022 Datacenter',
  PlatformVersion: '10.0.20348',
  ResourceType,
  IPAddress: '10.0.0.2',
  ComputerName: 'DC-1',
});

export const LINUX_BASELINE = 'pb-0123456789abcdef0';
export const WINDOWS_BASELINE = 'pb-0fedcba9876543210';
/** Linux: critical-or-important security is CRITICAL; bug fixes LOW. */
const LINUX_RULES: PatchRule[] = [
  {
    PatchFilterGroup: {
      PatchFilters: [
        { Key: 'CLASSIFICATION', Values: ['Security'] },
        { Key: 'SEVERITY', Values: ['Critical', 'Important'] },
      ],
    },
    ComplianceLevel: 'CRITICAL',
    ApproveAfterDays: 7,
  },
  {
    PatchFilterGroup: { PatchFilters: [{ Key: 'CLASSIFICATION', Values: ['Bugfix'] }] },
    ComplianceLevel: 'LOW',
    ApproveAfterDays: 7,
  },
];
/** Windows: security and critical updates rated Critical or Important are HIGH; KB5000003 approved as MEDIUM. */
const WINDOWS_RULES: PatchRule[] = [
  {
    PatchFilterGroup: {
      PatchFilters: [
        { Key: 'PRODUCT', Values: ['WindowsServer2022'] },
        { Key: 'CLASSIFICATION', Values: ['SecurityUpdates', 'CriticalUpdates'] },
        { Key: 'MSRC_SEVERITY', Values: ['Critical', 'Important'] },
      ],
    },
    ComplianceLevel: 'HIGH',
    ApproveAfterDays: 7,
  },
];

export const FLEET: Record<string, MockNode[]> = {
  'us-east-1': [
    {
      info: linux('i-0aaaaaaaaaaaaaaa1'),
      baselineId: LINUX_BASELINE,
      patches: [
        patch('kernel.x86_64', 'MISSING', 'Security', 'Critical', 'CVE-2026-0001,CVE-2026-0002'),
        patch('bash.x86_64', 'INSTALLED', 'Security', 'Important'),
        patch('glibc.x86_64', 'FAILED', 'Security', 'Important', 'CVE-2026-0003'),
        patch('tzdata.noarch', 'MISSING', 'Bugfix', 'None'),
      ],
      tags: [
        ['Name', 'web-1'],
        ['Team', 'payments'],
        ['Environment', 'prod'],
      ],
    },
    {
      info: linux('i-0aaaaaaaaaaaaaaa2'),
      baselineId: LINUX_BASELINE,
      patches: [
        patch('openssl.x86_64', 'INSTALLED', 'Security', 'Important'),
        patch('curl.x86_64', 'INSTALLED_OTHER', '', ''),
      ],
      tags: [
        ['Team', 'payments'],
        ['Environment', 'dev'],
      ],
    },
    {
      info: windows('mi-0bbbbbbbbbbbbbbb1', 'ManagedInstance'),
      baselineId: WINDOWS_BASELINE,
      patches: [
        patch('KB5000001', 'MISSING', 'SecurityUpdates', 'Critical', 'CVE-2026-1001'),
        patch('KB5000002', 'INSTALLED_PENDING_REBOOT', 'SecurityUpdates', 'Important'),
        patch('KB5000003', 'MISSING', 'Updates', 'Moderate'),
        patch('KB5000004', 'INSTALLED', 'SecurityUpdates', 'Important'),
      ],
      tags: [
        ['Name', 'dc-1'],
        ['Team', 'identity'],
        ['Environment', 'prod'],
      ],
    },
    { info: windows('i-0aaaaaaaaaaaaaaa3', 'EC2Instance'), patches: [], tags: [] },
    {
      info: linux('i-0aaaaaaaaaaaaaaa4', 'ConnectionLost'),
      baselineId: LINUX_BASELINE,
      patches: [patch('openssl.x86_64', 'INSTALLED', 'Security', 'Important')],
      tags: [['Team', 'data']],
    },
  ],
  // 60 compliant nodes: more than one DescribeInstanceInformation page and two patch-state batches.
  'eu-west-1': Array.from({ length: 60 }, (_, i) => ({
    info: linux(`i-0c${String(i).padStart(15, '0')}`),
    baselineId: LINUX_BASELINE,
    patches: [patch('openssl.x86_64', 'INSTALLED', 'Security', 'Important')],
    tags: [['Team', 'analytics']],
  })),
};

/** An EC2 instance as DescribeInstances describes it. */
export interface MockInstance {
  readonly id: string;
  readonly state: string;
  readonly platform: string;
  readonly tags: readonly [string, string][];
}

/** EC2 instances no SSM Agent registered: DescribeInstances lists them, DescribeInstanceInformation does not. */
export const EC2_ONLY: Record<string, MockInstance[]> = {
  'us-east-1': [
    {
      id: 'i-0ddddddddddddddd1',
      state: 'running',
      platform: 'Linux/UNIX',
      tags: [
        ['Name', 'batch-1'],
        ['Team', 'payments'],
        ['Environment', 'prod'],
      ],
    },
    {
      id: 'i-0ddddddddddddddd2',
      state: 'stopped',
      platform: 'Windows',
      tags: [
        ['Team', 'data'],
        ['Environment', 'dev'],
      ],
    },
    { id: 'i-0ddddddddddddddd3', state: 'running', platform: 'Red Hat Enterprise Linux', tags: [] },
  ],
  'eu-west-1': [
    {
      id: 'i-0eeeeeeeeeeeeeee1',
      state: 'running',
      platform: 'Linux/UNIX',
      tags: [
        ['Team', 'analytics'],
        ['Environment', 'prod'],
      ],
    },
    { id: 'i-0eeeeeeeeeeeeeee2', state: 'terminated', platform: 'Linux/UNIX', tags: [] },
  ],
};

/**
 * Every EC2 instance of a Region as DescribeInstances lists it: the fleet's EC2 nodes (running, with the tags
 * their agents report) with the instances SSM does not know placed among them.
 */
export function ec2Instances(region: string): MockInstance[] {
  const managed: MockInstance[] = FLEET[region]!.filter((n) => n.info.InstanceId!.startsWith('i-')).map(
    (n) => ({
      id: n.info.InstanceId!,
      state: 'running',
      platform: n.info.PlatformType === 'Windows' ? 'Windows' : 'Linux/UNIX',
      tags: n.tags,
    }),
  );
  const [first, ...rest] = EC2_ONLY[region]!;
  return [first!, ...managed, ...rest];
}

/** Instances a page of the DescribeInstances mock holds, whatever MaxResults asks (EC2 may answer fewer). */
export const EC2_PAGE = 5;

export const CATALOGUE: Patch[] = [
  {
    Id: 'w-1',
    KbNumber: 'KB5000001',
    Title: 'KB5000001 update',
    ReleaseDate: new Date('2026-10-01T00:00:00Z'),
    CVEIds: ['CVE-2026-1001'],
    Classification: 'SecurityUpdates',
    MsrcSeverity: 'Critical',
    Product: 'WindowsServer2022',
  },
  {
    Id: 'w-2',
    KbNumber: 'KB5000002',
    Title: 'KB5000002 update',
    ReleaseDate: new Date('2026-09-20T00:00:00Z'),
    CVEIds: [],
    Classification: 'SecurityUpdates',
    MsrcSeverity: 'Important',
    Product: 'WindowsServer2022',
  },
  {
    Name: 'kernel',
    Arch: 'x86_64',
    Epoch: 0,
    Version: '5.10.1',
    Release: '1.amzn2',
    Title: 'kernel update',
    ReleaseDate: new Date('2026-10-05T00:00:00Z'),
    CVEIds: ['CVE-2026-0001', 'CVE-2026-0002'],
    Classification: 'Security',
    Severity: 'Critical',
    Product: 'AmazonLinux2.0',
  },
  // Another package of the same name asked for, on an architecture no node has: not kept.
  {
    Name: 'kernel',
    Arch: 'aarch64',
    Epoch: 0,
    Version: '5.10.1',
    Release: '1.amzn2',
    Title: 'kernel update',
    ReleaseDate: new Date('2026-10-05T00:00:00Z'),
    Product: 'AmazonLinux2.0',
  },
];

export const NON_COMPLIANT = new Set(['MISSING', 'FAILED', 'INSTALLED_PENDING_REBOOT', 'INSTALLED_REJECTED']);
export const allNodes = () => Object.values(FLEET).flat();

// ---- The mocks ---------------------------------------------------------------------------------------------

export const ssmMock = mockClient(SSMClient);
export const stsMock = mockClient(STSClient);
export const ec2Mock = mockClient(EC2Client);

export interface Failure {
  readonly error: Error;
  times: number;
  readonly when?: (input: Record<string, unknown>, region: string) => boolean;
}

export const mock = {
  /** Every SSM and EC2 request as sent (a copy: the SDK's paginators reuse one input object), with its client's Region. */
  requests: [] as { command: string; region: string; input: Record<string, unknown> }[],
  /** Per command, errors to throw before answering (ThrottlingException, AccessDenied). */
  failures: new Map<string, Failure>(),
  /** Milliseconds each DescribeInstancePatches answer takes (a slow service, for kill tests). */
  patchesDelayMs: 0,
};

export function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

function patchState(node: MockNode): InstancePatchState {
  const count = (state: string) => node.patches.filter((p) => p.State === state).length;
  return {
    InstanceId: node.info.InstanceId!,
    PatchGroup: '',
    BaselineId: node.baselineId!,
    SnapshotId: '6d03d6c5-f79d-41d0-8d0e-00a9a0000001',
    InstalledCount: count('INSTALLED'),
    InstalledOtherCount: count('INSTALLED_OTHER'),
    InstalledPendingRebootCount: count('INSTALLED_PENDING_REBOOT'),
    InstalledRejectedCount: 0,
    MissingCount: count('MISSING'),
    FailedCount: count('FAILED'),
    NotApplicableCount: 0,
    OperationStartTime: SCAN_START,
    OperationEndTime: SCAN_END,
    Operation: 'Scan',
    RebootOption: 'RebootIfNeeded',
  };
}

/** Pages of `size` from `items`, the token being the next index. */
function page<T>(items: readonly T[], token: unknown, size: number): { items: T[]; NextToken?: string } {
  const start = typeof token === 'string' ? Number(token.replace('token-', '')) : 0;
  const end = start + size;
  return { items: items.slice(start, end), ...(end < items.length ? { NextToken: `token-${end}` } : {}) };
}

function fake(command: string, answer: (input: Record<string, unknown>, region: string) => unknown) {
  return async (input: Record<string, unknown>, getClient: () => SSMClient | EC2Client) => {
    const region = await getClient().config.region();
    mock.requests.push({ command, region, input: structuredClone(input) });
    const failure = mock.failures.get(command);
    if (failure && failure.times > 0 && (failure.when?.(input, region) ?? true)) {
      failure.times--;
      throw failure.error;
    }
    return answer(input, region);
  };
}

function nodeById(region: string, id: unknown): MockNode {
  const node = FLEET[region]!.find((n) => n.info.InstanceId === id);
  if (!node) throw awsError('InvalidInstanceId', `no node ${String(id)}`);
  return node;
}

function describeInstance(instance: MockInstance): Instance {
  return {
    InstanceId: instance.id,
    State: { Name: instance.state as NonNullable<Instance['State']>['Name'] },
    LaunchTime: new Date('2026-05-01T08:00:00Z'),
    PlatformDetails: instance.platform,
    InstanceType: 't3.medium',
    ImageId: 'ami-0123456789abcdef0',
    ...(instance.tags.length > 0 ? { Tags: instance.tags.map(([Key, Value]) => ({ Key, Value })) } : {}),
  };
}

export function installMocks(): void {
  ssmMock.reset();
  stsMock.reset();
  ec2Mock.reset();
  mock.requests = [];
  mock.failures = new Map();
  mock.patchesDelayMs = 0;
  stsMock.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:role/x` });
  ec2Mock.on(DescribeInstancesCommand).callsFake(
    fake('DescribeInstances', (input, region) => {
      const max = input.MaxResults as number | undefined;
      if (max !== undefined && (max < 5 || max > 1000)) {
        throw awsError('InvalidParameterValue', 'MaxResults must be between 5 and 1000');
      }
      const { items, NextToken } = page(
        ec2Instances(region).map(describeInstance),
        input.NextToken,
        EC2_PAGE,
      );
      // Two instances a reservation, as instances launched together share one.
      const Reservations: Reservation[] = [];
      for (let i = 0; i < items.length; i += 2) Reservations.push({ Instances: items.slice(i, i + 2) });
      return { Reservations, NextToken };
    }),
  );
  ssmMock.on(DescribeInstanceInformationCommand).callsFake(
    fake('DescribeInstanceInformation', (input, region) => {
      const { items, NextToken } = page(
        FLEET[region]!.map((n) => n.info),
        input.NextToken,
        3,
      );
      return { InstanceInformationList: items, NextToken };
    }),
  );
  ssmMock.on(DescribeInstancePatchStatesCommand).callsFake(
    fake('DescribeInstancePatchStates', (input, region) => {
      const ids = input.InstanceIds as string[];
      if (ids.length > 50) throw awsError('ValidationException', 'InstanceIds: at most 50');
      const states = ids
        .map((id) => nodeById(region, id))
        .filter((n) => n.baselineId)
        .map(patchState);
      // Answer in pages of 20 so the collector must follow the token within a batch too.
      const { items, NextToken } = page(states, input.NextToken, 20);
      return { InstancePatchStates: items, NextToken };
    }),
  );
  ssmMock.on(DescribePatchBaselinesCommand).callsFake(
    fake('DescribePatchBaselines', () => ({
      BaselineIdentities: [
        { BaselineId: LINUX_BASELINE, BaselineName: 'linux', OperatingSystem: 'AMAZON_LINUX_2' },
        { BaselineId: WINDOWS_BASELINE, BaselineName: 'windows', OperatingSystem: 'WINDOWS' },
      ],
    })),
  );
  ssmMock.on(GetPatchBaselineCommand).callsFake(
    fake('GetPatchBaseline', (input) =>
      input.BaselineId === LINUX_BASELINE
        ? { BaselineId: LINUX_BASELINE, ApprovalRules: { PatchRules: LINUX_RULES } }
        : {
            BaselineId: WINDOWS_BASELINE,
            ApprovalRules: { PatchRules: WINDOWS_RULES },
            ApprovedPatches: ['KB5000003'],
            ApprovedPatchesComplianceLevel: 'MEDIUM',
          },
    ),
  );
  ssmMock.on(DescribeInstancePatchesCommand).callsFake(
    fake('DescribeInstancePatches', async (input, region) => {
      if (mock.patchesDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, mock.patchesDelayMs));
      // Two patches a page: node 1's four patches take two pages.
      const { items, NextToken } = page(nodeById(region, input.InstanceId).patches, input.NextToken, 2);
      return { Patches: items, NextToken };
    }),
  );
  ssmMock.on(ListInventoryEntriesCommand).callsFake(
    fake('ListInventoryEntries', (input, region) => {
      const node = nodeById(region, input.InstanceId);
      const { items, NextToken } = page(node.tags, input.NextToken, 2);
      return {
        TypeName: 'AWS:Tag',
        InstanceId: node.info.InstanceId,
        SchemaVersion: '1.0',
        CaptureTime: '2026-10-30T22:00:00Z',
        Entries: items.map(([Key, Value]) => ({ Key, Value })),
        NextToken,
      };
    }),
  );
  ssmMock.on(ListTagsForResourceCommand).callsFake(
    fake('ListTagsForResource', (input, region) => ({
      TagList: nodeById(region, input.ResourceId).tags.map(([Key, Value]) => ({ Key, Value })),
    })),
  );
  ssmMock.on(DescribeAvailablePatchesCommand).callsFake(
    fake('DescribeAvailablePatches', (input) => {
      const filters = input.Filters as { Key: string; Values: string[] }[];
      const ids = filters.find((f) => f.Key === 'PATCH_ID')?.Values ?? [];
      const names = filters.find((f) => f.Key === 'NAME')?.Values ?? [];
      return {
        Patches: CATALOGUE.filter((p) => ids.includes(p.KbNumber ?? '') || names.includes(p.Name ?? '')),
      };
    }),
  );
}

export const clients = (): CollectClients => {
  const ssm = new Map<string, SSMClient>();
  const ec2 = new Map<string, EC2Client>();
  return {
    sts: new STSClient({ region: 'us-east-1' }),
    ssm: (region) => {
      if (!ssm.has(region)) ssm.set(region, new SSMClient({ region }));
      return ssm.get(region)!;
    },
    ec2: (region) => {
      if (!ec2.has(region)) ec2.set(region, new EC2Client({ region }));
      return ec2.get(region)!;
    },
  };
};

export const options = (outDir: string, extra: Partial<CollectOptions> = {}): CollectOptions => ({
  outDir,
  regions: ['us-east-1', 'eu-west-1'],
  clients: clients(),
  concurrency: 1,
  maxRequestsPerSecond: 0,
  throttleBaseDelayMs: 1,
  now: Date.parse('2026-10-30T23:30:00Z'),
  ...extra,
});

/** Every file under `dir` but the collection state, with its contents. */
export async function tree(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const key = relative(dir, path);
    if (key.startsWith('.patchboard-collect')) continue;
    files[key] = await readFile(path, 'utf8');
  }
  return files;
}
