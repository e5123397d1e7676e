/**
 * The JSON-lines content of each inventory file of one node at one snapshot, as Resource Data Sync writes it,
 * with the small irregularities real buckets carry (BOM, CRLF, blank lines, `MISSING` spellings, key casing,
 * counts as numbers instead of strings). Also the node's ground truth for that snapshot.
 */
import type { Baseline, Patch } from './catalogue.js';
import { DAY, type ItemAt, itemsAt, lastScan, NON_COMPLIANT_STATES, type NodePlan } from './fleet.js';
import { chance, randomStream } from './random.js';
import type { TruthNode, TruthSeverity, TruthStatus } from './truth.js';

const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
const SEVERITY_ORDER: TruthSeverity[] = ['UNSPECIFIED', 'INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const SECURITY_CLASSES = new Set(['Security', 'SecurityUpdates', 'CriticalUpdates']);
const LINUX_APPS = [
  'bash',
  'coreutils',
  'curl',
  'glibc',
  'openssl',
  'openssh-server',
  'python3',
  'sudo',
  'systemd',
  'tar',
  'vim',
  'git',
  'nginx',
  'chrony',
  'rsyslog',
  'cronie',
  'gzip',
  'less',
  'sed',
  'grep',
  'findutils',
  'util-linux',
  'procps',
  'iproute',
  'tzdata',
  'ca-certificates',
  'dnf',
  'rpm',
  'zlib',
  'xz',
  'libxml2',
  'sqlite',
  'expat',
  'krb5',
  'nss',
  'audit',
  'logrotate',
  'which',
  'wget',
  'jq',
];
const WINDOWS_APPS = [
  'Microsoft Edge',
  'Microsoft Visual C++ 2019 Redistributable',
  'AWS Tools for Windows',
  'AWS PV Drivers',
  'Amazon CloudWatch Agent',
  'EC2Launch v2',
  'Notepad++',
  '7-Zip',
  'Git',
  'PowerShell 7',
  'Microsoft .NET Runtime',
  'IIS URL Rewrite Module',
  'SQL Server Management Studio',
  'Google Chrome',
  'Python 3.12',
  'Node.js',
  'Windows Admin Center',
  'Wireshark',
  'PuTTY',
  'WinSCP',
  'Sysinternals Suite',
  'Visual Studio Code',
  'Java 17',
  'OpenSSL',
  'curl',
  'Microsoft ODBC Driver 18',
  'Azure CLI',
  'AWS CLI v2',
  'Docker Desktop',
  'Firefox',
  'Zoom',
  'Slack',
  'VLC',
  'GIMP',
  'KeePass',
  'TortoiseGit',
  'Postman',
  'Terraform',
  'Packer',
  'Vagrant',
];

export interface QuirkCounts {
  bom: number;
  crlf: number;
  blankLines: number;
  upperCaseStates: number;
  keyCaseVariants: number;
  emptyFiles: number;
  numericCounts: number;
}

export interface NodeSnapshot {
  /** File content per inventory type name; absent types have no file. */
  readonly files: Map<string, string>;
  readonly truth: TruthNode;
  /** The node's patch items at its last scan (empty when not scanned). */
  readonly items: readonly ItemAt[];
  readonly scanTime: number | null;
}

/** Serialises records as one file, applying that file's quirks. */
function fileOf(
  plan: NodePlan,
  typeName: string,
  records: Record<string, unknown>[],
  quirks: QuirkCounts,
): string {
  if (records.length === 0) return '';
  const keyCase = chance(plan.nodeId, typeName, 'keycase') < 0.02;
  if (keyCase) quirks.keyCaseVariants++;
  const lines = records.map((record) => {
    const { resourceId, captureTime, schemaVersion, ...rest } = record;
    return JSON.stringify(
      keyCase
        ? { ...rest, ResourceId: resourceId, CaptureTime: captureTime, schemaVersion }
        : { ...rest, resourceId, captureTime, schemaVersion },
    );
  });
  const blank = chance(plan.nodeId, typeName, 'blank') < 0.03;
  if (blank) quirks.blankLines++;
  const crlf = chance(plan.nodeId, typeName, 'crlf') < 0.05;
  if (crlf) quirks.crlf++;
  const bom = chance(plan.nodeId, typeName, 'bom') < 0.02;
  if (bom) quirks.bom++;
  const newline = crlf ? '\r\n' : '\n';
  const body = lines.join(blank ? `${newline}${newline}` : newline);
  const trailing = chance(plan.nodeId, typeName, 'trailing') < 0.05 ? '' : newline;
  return `${bom ? '\ufeff' : ''}${body}${trailing}`;
}

function statusOf(
  instanceStatus: string | null,
  scanned: boolean,
  nonCompliant: number,
  scanTime: number | null,
  at: number,
): TruthStatus {
  if (instanceStatus === 'Stopped' || instanceStatus === 'Terminated') return 'INACTIVE';
  if (!scanned) return 'NOT_SCANNED';
  if (nonCompliant > 0) return 'NON_COMPLIANT';
  if (scanTime === null || scanTime < at - 7 * DAY) return 'STALE';
  return 'COMPLIANT';
}

export function snapshotNode(
  plan: NodePlan,
  baseline: Baseline,
  patches: readonly Patch[],
  at: number,
  quirks: QuirkCounts,
): NodeSnapshot | undefined {
  if (plan.launchedAt > at) return undefined;
  const files = new Map<string, string>();
  const ended = plan.endedAt !== null && plan.endedAt <= at;
  const instanceStatus = ended ? plan.endedStatus : plan.activeStatus;
  let inventoryTime = Math.floor(at / DAY) * DAY + 30 * 60_000;
  if (inventoryTime > at) inventoryTime -= DAY;
  if (ended) inventoryTime = plan.endedAt!;
  const base = (time: number) => ({ resourceId: plan.nodeId, captureTime: iso(time), schemaVersion: '1.0' });
  const windows = plan.platform.platformType === 'Windows';

  const info: Record<string, unknown> = {
    AgentType: 'amazon-ssm-agent',
    AgentVersion: plan.agentVersion,
    ComputerName: windows
      ? `EC2AMAZ-${plan.nodeId.slice(-7).toUpperCase()}`
      : `ip-${plan.ipAddress.replaceAll('.', '-')}.${plan.region}.compute.internal`,
    InstanceId: plan.nodeId,
    IpAddress: plan.ipAddress,
    PlatformName: plan.platform.platformName,
    PlatformType: plan.platform.platformType,
    PlatformVersion: plan.platform.platformVersion,
    ResourceType: plan.nodeId.startsWith('mi-') ? 'ManagedInstance' : 'EC2Instance',
    ...(instanceStatus === null ? {} : { InstanceStatus: instanceStatus }),
    ...base(inventoryTime),
  };
  files.set('AWS:InstanceInformation', fileOf(plan, 'AWS:InstanceInformation', [info], quirks));
  files.set(
    'AWS:Tag',
    fileOf(
      plan,
      'AWS:Tag',
      plan.tags.map(([Key, Value]) => ({ Key, Value, ...base(inventoryTime) })),
      quirks,
    ),
  );

  const random = randomStream(plan.index, 991);
  const agentName = windows ? 'Amazon SSM Agent' : 'amazon-ssm-agent';
  const appNames = windows ? WINDOWS_APPS : LINUX_APPS;
  const apps = [agentName, ...appNames.slice(0, plan.applications - 1)].map((Name, i) => ({
    Name,
    ApplicationType: windows ? '' : 'System Environment/Base',
    Publisher: i === 0 ? 'Amazon.com, Inc.' : windows ? 'Various' : 'Amazon Linux',
    Version:
      i === 0
        ? plan.agentVersion
        : `${1 + Math.floor(random() * 9)}.${Math.floor(random() * 30)}.${Math.floor(random() * 20)}`,
    Release: windows ? '' : '1',
    Epoch: '',
    InstalledTime: iso(plan.launchedAt),
    Architecture: windows ? '' : 'x86_64',
    URL: '',
    Summary: i === 0 ? 'Amazon SSM Agent' : Name,
    PackageId: windows ? '' : `${Name}-1.x86_64.rpm`,
    ...base(inventoryTime),
  }));
  files.set('AWS:Application', fileOf(plan, 'AWS:Application', apps, quirks));
  files.set(
    'AWS:AWSComponent',
    fileOf(
      plan,
      'AWS:AWSComponent',
      [
        {
          Name: 'AWSCLI',
          ApplicationType: '',
          Publisher: 'Amazon Web Services',
          Version: '2.17.0',
          InstalledTime: iso(plan.launchedAt),
          Architecture: 'x86_64',
          URL: '',
          ...base(inventoryTime),
        },
      ],
      quirks,
    ),
  );
  files.set(
    'AWS:InstanceDetailedInformation',
    fileOf(
      plan,
      'AWS:InstanceDetailedInformation',
      [
        {
          CPUModel: 'Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz',
          CPUCores: '2',
          CPUs: '4',
          CPUSpeedMHz: '2500',
          CPUSockets: '1',
          CPUHyperThreadEnabled: 'true',
          OSServicePack: '',
          ...(windows ? {} : { KernelVersion: '6.1.112-122.189.amzn2023.x86_64' }),
          ...base(inventoryTime),
        },
      ],
      quirks,
    ),
  );
  files.set(
    'AWS:Network',
    fileOf(
      plan,
      'AWS:Network',
      [
        {
          Name: windows ? 'Ethernet' : 'eth0',
          SubnetMask: '255.255.240.0',
          Gateway: '10.0.0.1',
          DHCPServer: '10.0.0.1',
          DNSServer: '10.0.0.2',
          MacAddress: '0a:1b:2c:3d:4e:5f',
          IPV4: plan.ipAddress,
          IPV6: '',
          ...base(inventoryTime),
        },
      ],
      quirks,
    ),
  );

  const scan = lastScan(plan, at);
  let items: ItemAt[] = [];
  let associationNonCompliant = false;
  if (scan === null) {
    if (plan.behaviour === 'unscanned' && chance(plan.nodeId, 'empty') < 0.34) {
      files.set('AWS:ComplianceItem', '');
      quirks.emptyFiles++;
    }
  } else {
    items = itemsAt(plan, baseline, patches, scan);
    const scanEnd = scan + (2 + (plan.index % 4)) * 60_000;
    const executionId = `${plan.nodeId.slice(-8)}-${Math.floor(scan / DAY)}`;
    const context = {
      ComplianceType: 'Patch',
      ExecutionId: executionId,
      ExecutionType: 'Command',
      ExecutionTime: iso(scan),
    };
    const lines: Record<string, unknown>[] = items.map(({ patch, state, installedTime, severity }) => {
      const nonCompliant = NON_COMPLIANT_STATES.includes(state);
      let written: string = state;
      if (state === 'Missing' && chance(plan.nodeId, patch.id, 'upper') < 0.03) written = 'MISSING';
      if (state === 'InstalledPendingReboot' && chance(plan.nodeId, patch.id, 'api') < 0.1)
        written = 'INSTALLED_PENDING_REBOOT';
      if (written !== state) quirks.upperCaseStates++;
      return {
        Id: patch.id,
        Title: patch.title,
        Severity: severity,
        Status: nonCompliant ? 'NON_COMPLIANT' : 'COMPLIANT',
        PatchBaselineId: baseline.baselineId,
        PatchState: written,
        PatchGroup: plan.patchGroup ?? '',
        DocumentName: '',
        DocumentVersion: '',
        InstalledTime: installedTime === null ? '' : iso(installedTime),
        Classification: patch.classification,
        PatchSeverity: patch.vendorSeverity,
        ...((state === 'Missing' || state === 'Failed') && patch.cveIds.length > 0
          ? { CVEIds: patch.cveIds.join(',') }
          : {}),
        ...context,
        ...base(scanEnd),
      };
    });
    // Packages installed outside the baseline: compliant, and not counted as Installed.
    const others = 1 + (plan.index % 3);
    for (let i = 0; i < others; i++) {
      items.push({
        patch: {
          id: `extra-tool-${i}.x86_64`,
          title: `extra-tool-${i}`,
          classification: '',
          vendorSeverity: '',
          security: false,
          cveIds: [],
          releasedAt: plan.launchedAt,
        },
        state: 'InstalledOther',
        installedTime: plan.launchedAt,
        severity: 'UNSPECIFIED',
      });
      lines.push({
        Id: `extra-tool-${i}.x86_64`,
        Title: `extra-tool-${i}.x86_64:0:1.0-1`,
        Severity: 'UNSPECIFIED',
        Status: 'COMPLIANT',
        PatchBaselineId: baseline.baselineId,
        PatchState: 'InstalledOther',
        PatchGroup: plan.patchGroup ?? '',
        DocumentName: '',
        DocumentVersion: '',
        InstalledTime: iso(plan.launchedAt),
        Classification: '',
        PatchSeverity: '',
        ...context,
        ...base(scanEnd),
      });
    }
    const summaries: Record<string, unknown>[] = [];
    const tally = (
      type: string,
      entries: { severity: string; nonCompliant: boolean }[],
      extra: Record<string, unknown>,
    ) => {
      const counts: Record<string, number> = {};
      for (const level of ['Critical', 'High', 'Medium', 'Low', 'Informational', 'Unspecified']) {
        counts[`Compliant${level}Count`] = entries.filter(
          (e) => !e.nonCompliant && e.severity === level.toUpperCase(),
        ).length;
        counts[`NonCompliant${level}Count`] = entries.filter(
          (e) => e.nonCompliant && e.severity === level.toUpperCase(),
        ).length;
      }
      const worst = entries
        .filter((e) => e.nonCompliant)
        .reduce((w, e) => Math.max(w, SEVERITY_ORDER.indexOf(e.severity as TruthSeverity)), -1);
      summaries.push({
        ComplianceType: type,
        ...extra,
        Status: worst >= 0 ? 'NON_COMPLIANT' : 'COMPLIANT',
        OverallSeverity: worst >= 0 ? SEVERITY_ORDER[worst] : 'UNSPECIFIED',
        ExecutionId: executionId,
        ExecutionType: 'Command',
        ExecutionTime: iso(scan),
        ...Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, String(v)])),
        ...base(scanEnd + 9_000),
      });
    };
    tally(
      'Patch',
      items.map((i) => ({ severity: i.severity, nonCompliant: NON_COMPLIANT_STATES.includes(i.state) })),
      { PatchGroup: plan.patchGroup ?? '', PatchBaselineId: baseline.baselineId },
    );
    const associationLines: Record<string, unknown>[] = [];
    for (let a = 0; a < plan.associations; a++) {
      const nonCompliant = chance(plan.nodeId, a, Math.floor(at / DAY), 'association') < 0.3;
      associationNonCompliant ||= nonCompliant;
      associationLines.push({
        Id: `a1b2c3d4-${String(a).padStart(4, '0')}-4e5f-8a9b-${plan.nodeId.slice(-12)}`,
        Title: a === 0 ? 'AWS-GatherSoftwareInventory' : 'AWS-UpdateSSMAgent',
        Severity: a === 0 ? 'MEDIUM' : 'CRITICAL',
        Status: nonCompliant ? 'NON_COMPLIANT' : 'COMPLIANT',
        DocumentName: a === 0 ? 'AWS-GatherSoftwareInventory' : 'AWS-UpdateSSMAgent',
        DocumentVersion: '1',
        ComplianceType: 'Association',
        ExecutionId: executionId,
        ExecutionType: 'Command',
        ExecutionTime: iso(scan),
        ...base(scanEnd),
      });
    }
    if (associationLines.length > 0)
      tally(
        'Association',
        associationLines.map((l) => ({
          severity: l.Severity as string,
          nonCompliant: l.Status === 'NON_COMPLIANT',
        })),
        {},
      );
    if (plan.customCompliance) {
      associationLines.push({
        Id: 'cis-1.1.1',
        Title: 'Ensure mounting of cramfs is disabled',
        Severity: 'HIGH',
        Status: 'NON_COMPLIANT',
        ComplianceType: 'Custom:CIS',
        ExecutionId: executionId,
        ExecutionType: 'Custom',
        ExecutionTime: iso(scan),
        ...base(scanEnd),
      });
    }
    files.set(
      'AWS:ComplianceItem',
      fileOf(plan, 'AWS:ComplianceItem', [...lines, ...associationLines], quirks),
    );
    files.set('AWS:ComplianceSummary', fileOf(plan, 'AWS:ComplianceSummary', summaries, quirks));

    const count = (state: string) => items.filter((i) => i.state === state).length;
    const nonCompliantItems = items.filter((i) => NON_COMPLIANT_STATES.includes(i.state));
    const critical = nonCompliantItems.filter((i) => i.severity === 'CRITICAL').length;
    const security = nonCompliantItems.filter((i) => SECURITY_CLASSES.has(i.patch.classification)).length;
    const worst = nonCompliantItems.reduce(
      (w, i) => Math.max(w, SEVERITY_ORDER.indexOf(i.severity as TruthSeverity)),
      -1,
    );
    const numeric = chance(plan.nodeId, 'numeric') < 0.05;
    if (numeric) quirks.numericCounts++;
    const n = (value: number) => (numeric ? value : String(value));
    const summary: Record<string, unknown> = {
      BaselineId: baseline.baselineId,
      PatchGroup: plan.patchGroup ?? '',
      SnapshotId: executionId,
      ExecutionId: executionId,
      InstalledCount: n(count('Installed')),
      InstalledOtherCount: n(count('InstalledOther')),
      InstalledRejectedCount: n(count('InstalledRejected')),
      InstalledPendingRebootCount: n(count('InstalledPendingReboot')),
      NotApplicableCount: n(0),
      MissingCount: n(count('Missing')),
      FailedCount: n(count('Failed')),
      CriticalNonCompliantCount: n(critical),
      SecurityNonCompliantCount: n(security),
      OtherNonCompliantCount: n(
        nonCompliantItems.length -
          nonCompliantItems.filter(
            (i) => i.severity === 'CRITICAL' || SECURITY_CLASSES.has(i.patch.classification),
          ).length,
      ),
      OperationType: 'Scan',
      OperationStartTime: iso(scan),
      OperationEndTime: iso(scanEnd),
      RebootOption: plan.noReboot ? 'NoReboot' : 'RebootIfNeeded',
      ...(worst >= 0 ? { NonCompliantSeverity: SEVERITY_ORDER[Math.max(worst, 1)] } : {}),
      ...base(scanEnd),
    };
    files.set('AWS:PatchSummary', fileOf(plan, 'AWS:PatchSummary', [summary], quirks));
  }

  const tag = (...keys: string[]) => {
    for (const key of keys) {
      const found = plan.tags.find(([k]) => k === key);
      if (found) return found[1];
    }
    return null;
  };
  const nonCompliant = items.filter((i) => NON_COMPLIANT_STATES.includes(i.state));
  const worst = nonCompliant.reduce(
    (w, i) => Math.max(w, SEVERITY_ORDER.indexOf(i.severity as TruthSeverity)),
    -1,
  );
  const scanEnd = scan === null ? null : scan + (2 + (plan.index % 4)) * 60_000;
  const count = (state: string) => items.filter((i) => i.state === state).length;
  const truth: TruthNode = {
    accountId: plan.accountId,
    region: plan.region,
    nodeId: plan.nodeId,
    name: tag('Name'),
    platformType: plan.platform.platformType,
    platformName: plan.platform.platformName,
    platformVersion: plan.platform.platformVersion,
    instanceStatus,
    agentVersion: plan.agentVersion,
    team: tag('Team', 'team'),
    environment: tag('Environment', 'environment', 'Env', 'env'),
    patchGroup: plan.patchGroup,
    baselineId: scan === null ? null : baseline.baselineId,
    status: statusOf(instanceStatus, scan !== null, nonCompliant.length, scanEnd, at),
    lastScanTime: scanEnd === null ? null : iso(scanEnd),
    installed: count('Installed'),
    installedOther: count('InstalledOther'),
    missing: count('Missing'),
    failed: count('Failed'),
    pendingReboot: count('InstalledPendingReboot'),
    installedRejected: count('InstalledRejected'),
    criticalNonCompliant: nonCompliant.filter((i) => i.severity === 'CRITICAL').length,
    securityNonCompliant: nonCompliant.filter((i) => SECURITY_CLASSES.has(i.patch.classification)).length,
    highestSeverity: worst >= 0 ? SEVERITY_ORDER[worst]! : null,
    nonCompliantPatchIds: nonCompliant.map((i) => i.patch.id).sort(),
    applications: apps.length,
    tags: plan.tags.length,
    associationNonCompliant,
  };
  return { files, truth, items, scanTime: scanEnd };
}
