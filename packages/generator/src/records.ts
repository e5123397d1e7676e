/**
 * The records of each inventory type, one object per JSON line, with the attribute names of the SSM inventory
 * schema, then `resourceId`, `captureTime` and `schemaVersion` as the sync adds them (no account or Region:
 * those live in the object key only). Patch records follow the agent's own payload (AWS-RunPatchBaseline).
 */
import type { Baseline } from './baselines.js';
import type { PackageKind } from './catalogue.js';
import { isoSeconds } from './clock.js';
import type { NodePlan } from './fleet.js';
import { NON_COMPLIANT_STATES, type Operation, type PatchItem } from './patching.js';
import { countsAsNumbers, writtenPatchState } from './quirks.js';
import { between, hash, pick, randomStream, textHash, uuidOf } from './random.js';
import type { TruthSeverity } from './truth.js';

type Line = Record<string, unknown>;

const SEVERITY_RANK: Record<TruthSeverity, number> = {
  UNSPECIFIED: 0,
  INFORMATIONAL: 1,
  LOW: 2,
  MEDIUM: 3,
  HIGH: 4,
  CRITICAL: 5,
};
const SEVERITIES_DESCENDING = (Object.keys(SEVERITY_RANK) as TruthSeverity[]).reverse();
/**
 * Security by classification, as SecurityNonCompliantCount counts it: the Linux agent counts the classification
 * `security` alone, in any case (patch-baseline-operations, PackageCompliance `_get_count`); on Windows, whose
 * payload is not public, SecurityUpdates and CriticalUpdates.
 */
export function countsAsSecurity(kind: PackageKind, classification: string): boolean {
  return kind === 'windows'
    ? classification === 'SecurityUpdates' || classification === 'CriticalUpdates'
    : classification.toLowerCase() === 'security';
}

export function highestSeverity(severities: Iterable<TruthSeverity>): TruthSeverity | null {
  let highest: TruthSeverity | null = null;
  for (const severity of severities) {
    if (highest === null || SEVERITY_RANK[severity] > SEVERITY_RANK[highest]) highest = severity;
  }
  return highest;
}

/**
 * Appends the sync's fields to a record. Records are built as literals and stamped in place rather than
 * spread together: large spread objects fall out of V8's fast properties and make JSON.stringify slow.
 */
function stamper(plan: NodePlan, captureTime: number, schemaVersion = '1.0'): (line: Line) => Line {
  const time = isoSeconds(captureTime);
  return (line) => {
    line.resourceId = plan.nodeId;
    line.captureTime = time;
    line.schemaVersion = schemaVersion;
    return line;
  };
}

export function instanceInformation(
  plan: NodePlan,
  instanceStatus: string | null,
  captureTime: number,
): Line[] {
  const line: Line = {
    AgentType: 'amazon-ssm-agent',
    AgentVersion: plan.agentVersion,
    ComputerName: plan.computerName,
    InstanceId: plan.nodeId,
    IpAddress: plan.ipAddress,
    PlatformName: plan.platform.platformName,
    PlatformType: plan.platform.platformType,
    PlatformVersion: plan.platform.platformVersion,
    ResourceType: plan.resourceType,
  };
  if (instanceStatus !== null) line.InstanceStatus = instanceStatus;
  return [stamper(plan, captureTime)(line)];
}

export function tags(plan: NodePlan, captureTime: number): Line[] {
  const stamp = stamper(plan, captureTime);
  return plan.tags.map(([Key, Value]) => stamp({ Key, Value }));
}

const RPM_APPLICATIONS = [
  'bash',
  'coreutils',
  'curl',
  'glibc',
  'openssl-libs',
  'openssh-server',
  'python3',
  'sudo',
  'systemd',
  'tar',
  'vim-minimal',
  'git',
  'chrony',
  'rsyslog',
  'cronie',
  'gzip',
  'less',
  'sed',
  'grep',
  'findutils',
  'util-linux',
  'procps-ng',
  'iproute',
  'tzdata',
  'ca-certificates',
  'yum',
  'rpm',
  'zlib',
  'xz',
  'libxml2',
  'sqlite',
  'expat',
  'krb5-libs',
  'nss',
  'audit',
  'logrotate',
  'which',
  'wget',
  'jq',
  'kernel',
];
const DEB_APPLICATIONS = [
  'bash',
  'coreutils',
  'curl',
  'libc6',
  'openssl',
  'openssh-server',
  'python3',
  'sudo',
  'systemd',
  'tar',
  'vim',
  'git',
  'chrony',
  'rsyslog',
  'cron',
  'gzip',
  'less',
  'sed',
  'grep',
  'findutils',
  'util-linux',
  'procps',
  'iproute2',
  'tzdata',
  'ca-certificates',
  'apt',
  'dpkg',
  'zlib1g',
  'xz-utils',
  'libxml2',
  'libsqlite3-0',
  'libexpat1',
  'libkrb5-3',
  'libnss3',
  'auditd',
  'logrotate',
  'debianutils',
  'wget',
  'jq',
  'linux-image-aws',
];
const WINDOWS_APPLICATIONS = [
  'Microsoft Edge',
  'Microsoft Visual C++ 2019 X64 Minimum Runtime',
  'Microsoft Visual C++ 2019 X64 Additional Runtime',
  'AWS Tools for Windows',
  'Amazon CloudWatch Agent',
  'aws-cfn-bootstrap',
  'Notepad++ (64-bit x64)',
  '7-Zip 23.01 (x64)',
  'Git',
  'PowerShell 7-x64',
  'Microsoft .NET Runtime - 8.0.10 (x64)',
  'Microsoft ASP.NET Core 8.0.10 - Shared Framework (x64)',
  'IIS URL Rewrite Module 2',
  'Microsoft SQL Server 2019 (64-bit)',
  'SQL Server Management Studio',
  'Google Chrome',
  'Python 3.12.7 (64-bit)',
  'Node.js',
  'Windows Admin Center',
  'PuTTY release 0.81 (64-bit)',
  'WinSCP 6.3.5',
  'Microsoft Visual Studio Code',
  'Amazon Corretto 17',
  'Microsoft ODBC Driver 18 for SQL Server',
  'AWS Command Line Interface v2',
  'Mozilla Firefox (x64 en-US)',
  'Microsoft OLE DB Driver for SQL Server',
  'Microsoft Web Deploy 4.0',
  'Microsoft Monitoring Agent',
  'Splunk Universal Forwarder',
  'CrowdStrike Windows Sensor',
  'Datadog Agent',
  'Microsoft System CLR Types for SQL Server 2019',
  'Microsoft Update Health Tools',
  'Microsoft Visual C++ 2015-2022 Redistributable (x64)',
  'Microsoft Visual C++ 2015-2022 Redistributable (x86)',
  'OpenSSL 3.3.2 (64-bit)',
  'Wireshark 4.2.7 64-bit',
  'Sysinternals Suite',
  'TortoiseGit 2.15.0.0 (64 bit)',
];

/** A record as the agent uploaded it: without the three fields the sync adds. */
export function agentContent(line: Line): Line {
  const content: Line = {};
  for (const [key, value] of Object.entries(line)) {
    if (key !== 'resourceId' && key !== 'captureTime' && key !== 'schemaVersion') content[key] = value;
  }
  return content;
}

/** The agent's application gatherers leave out an attribute they found no value for, rather than write "". */
function withoutEmpty(line: Line): Line {
  for (const key of Object.keys(line)) if (line[key] === '') delete line[key];
  return line;
}

const appVersion = (plan: NodePlan, name: string) => {
  const h = hash(plan.key, textHash(name));
  return `${1 + (h % 9)}.${(h >>> 4) % 30}.${(h >>> 9) % 40}`;
};

/** The node's installed software: the SSM Agent first, then the rest of its stable list. */
export function applications(plan: NodePlan, captureTime: number): Line[] {
  const kind = plan.platform.kind;
  const installed = isoSeconds(plan.imageAt);
  const names =
    kind === 'windows' ? WINDOWS_APPLICATIONS : kind === 'deb' ? DEB_APPLICATIONS : RPM_APPLICATIONS;
  const agent: Line =
    kind === 'windows'
      ? {
          Name: 'Amazon SSM Agent',
          ApplicationType: '',
          Publisher: 'Amazon Web Services',
          Version: plan.agentVersion,
          Release: '',
          Epoch: '',
          InstalledTime: installed,
          Architecture: 'x86_64',
          URL: '',
          Summary: '',
          PackageId: '',
        }
      : {
          Name: 'amazon-ssm-agent',
          ApplicationType: kind === 'deb' ? 'admin' : 'System Environment/Daemons',
          Publisher: 'Amazon.com, Inc.',
          Version: plan.agentVersion,
          Release: '1',
          Epoch: '',
          InstalledTime: installed,
          Architecture: 'x86_64',
          URL: 'https://github.com/aws/amazon-ssm-agent',
          Summary: 'Amazon SSM Agent',
          PackageId:
            kind === 'deb'
              ? `amazon-ssm-agent_${plan.agentVersion}-1_amd64.deb`
              : `amazon-ssm-agent-${plan.agentVersion}-1.x86_64.rpm`,
        };
  const others = names.slice(0, plan.applications - 1).map((Name): Line => {
    const Version = appVersion(plan, Name);
    if (kind === 'windows') {
      return {
        Name,
        ApplicationType: '',
        Publisher: Name.startsWith('Microsoft') ? 'Microsoft Corporation' : '',
        Version,
        Release: '',
        Epoch: '',
        InstalledTime: installed,
        Architecture: 'x86_64',
        URL: '',
        Summary: '',
        PackageId: '',
      };
    }
    // The agent writes x86_64 for apt's amd64 too (inventory gatherer); the package file keeps amd64.
    const arch = kind === 'deb' ? 'amd64' : 'x86_64';
    return {
      Name,
      ApplicationType: kind === 'deb' ? 'utils' : 'System Environment/Base',
      Publisher:
        kind === 'deb'
          ? 'Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>'
          : plan.platform.platformName,
      Version,
      Release: kind === 'deb' ? '' : `1.${plan.platform.releaseTag}`,
      Epoch: '',
      InstalledTime: installed,
      Architecture: 'x86_64',
      URL: '',
      Summary: Name,
      PackageId: kind === 'deb' ? `${Name}_${Version}_${arch}.deb` : `${Name}-${Version}-1.${arch}.rpm`,
    };
  });
  return [agent, ...others].map((line) => stamper(plan, captureTime, '1.1')(withoutEmpty(line)));
}

export function awsComponents(plan: NodePlan, captureTime: number): Line[] {
  const windows = plan.platform.kind === 'windows';
  const components = windows
    ? ['AWS Tools for Windows', 'AWS PV Drivers', 'Amazon EC2Launch']
    : ['aws-cfn-bootstrap', 'amazon-cloudwatch-agent', 'awscli'];
  const stamp = stamper(plan, captureTime);
  const installed = isoSeconds(plan.imageAt);
  return components.slice(0, plan.awsComponents).map((Name) =>
    stamp(
      withoutEmpty({
        Name,
        ApplicationType: windows ? '' : 'System Environment/Base',
        Publisher: 'Amazon Web Services',
        Version: appVersion(plan, Name),
        InstalledTime: installed,
        Architecture: 'x86_64',
        URL: '',
      }),
    ),
  );
}

export function instanceDetailedInformation(plan: NodePlan, captureTime: number): Line[] {
  const random = randomStream(plan.key, textHash('hardware'));
  const cpus = pick(random, [2, 2, 4, 4, 8, 16]);
  const [model, speed] = pick(random, [
    ['Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz', '2500'],
    ['Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz', '2900'],
    ['AMD EPYC 7R13 Processor', '2650'],
  ] as const);
  const line: Line = {
    CPUModel: model,
    CPUCores: String(cpus / 2),
    CPUs: String(cpus),
    CPUSpeedMHz: speed,
    CPUSockets: '1',
    CPUHyperThreadEnabled: 'true',
    OSServicePack: '',
  };
  line.KernelVersion = plan.platform.kernelVersion;
  return [stamper(plan, captureTime)(line)];
}

export function network(plan: NodePlan, captureTime: number): Line[] {
  const windows = plan.platform.kind === 'windows';
  const [a, b, c] = plan.ipAddress.split('.');
  const mac = (n: number) =>
    Array.from({ length: 6 }, (_, i) =>
      (i === 0 ? 0x0a : hash(plan.key, n, i) & 0xff).toString(16).padStart(2, '0'),
    ).join(':');
  const stamp = stamper(plan, captureTime);
  return Array.from({ length: plan.interfaces }, (_, n) =>
    stamp({
      Name: windows ? (n === 0 ? 'Ethernet' : 'Ethernet 2') : n === 0 ? 'ens5' : 'ens6',
      SubnetMask: '255.255.240.0',
      Gateway: `${a}.${b}.${c}.1`,
      DHCPServer: `${a}.${b}.${c}.1`,
      DNSServer: `${a}.${b}.0.2`,
      MacAddress: mac(n),
      IPV4: n === 0 ? plan.ipAddress : `${a}.${b}.${c}.${between(randomStream(plan.key, n), 4, 254)}`,
      IPV6: '',
    }),
  );
}

/**
 * An association's compliance item. Patching through AWS-RunPatchBaselineAssociation writes one with the
 * baseline's name as Title, its id as PatchBaselineId and the operation's counts as a DetailedText JSON string;
 * its Severity is the association's compliance severity, empty when the association sets none.
 */
export interface Association {
  readonly name: string;
  readonly severity: TruthSeverity | '';
  readonly compliant: boolean;
  readonly patchBaseline?: { readonly id: string; readonly name: string; readonly detailedText: string };
}

/** One run of the node's compliance: its patch items, plus association and custom lines that must not count. */
export interface ComplianceRun {
  readonly operation: Operation;
  readonly items: readonly PatchItem[];
  readonly baseline: Baseline;
  readonly associations: readonly Association[];
  readonly customCompliant: boolean | null;
  /** The robustness layer (quirks.ts). */
  readonly quirks: boolean;
}

/** Whether the agent writes CVEIds on the platform's items: not for apt (Ubuntu, Debian). */
export const writesCveIds = (kind: PackageKind): boolean => kind !== 'deb';

/** The agent's snapshot id for the run (ComplianceItem ExecutionId, PatchSummary SnapshotId). */
const snapshotId = (plan: NodePlan, run: ComplianceRun) =>
  uuidOf(plan.key, Math.floor(run.operation.start / 1000), textHash('snapshot'));

export function complianceItems(plan: NodePlan, run: ComplianceRun): Line[] {
  const stamp = stamper(plan, run.operation.end);
  const executionId = snapshotId(plan, run);
  const executionTime = isoSeconds(run.operation.start);
  const patchGroup = plan.patchGroup ?? '';
  const lines: Line[] = run.items.map(({ patch, state, installedTime, severity }) => {
    const line: Line = {
      Id: patch.id,
      Title: patch.title,
      Severity: severity,
      Status: NON_COMPLIANT_STATES.has(state) ? 'NON_COMPLIANT' : 'COMPLIANT',
      PatchBaselineId: run.baseline.baselineId,
      PatchState: writtenPatchState(state, plan.key, patch.key, run.quirks),
      PatchGroup: patchGroup,
      DocumentName: '',
      DocumentVersion: '',
      InstalledTime: installedTime === null ? '' : isoSeconds(installedTime),
      Classification: patch.classification,
      PatchSeverity: patch.severity,
    };
    // The agent names the CVEs a patch fixes only while it is Missing or Failed, and never for apt packages.
    if (
      writesCveIds(plan.platform.kind) &&
      (state === 'Missing' || state === 'Failed') &&
      patch.cveIds.length > 0
    ) {
      line.CVEIds = patch.cveIds.join(',');
    }
    line.ComplianceType = 'Patch';
    line.ExecutionId = executionId;
    line.ExecutionType = 'Command';
    line.ExecutionTime = executionTime;
    return stamp(line);
  });
  const seconds = Math.floor(run.operation.start / 1000);
  run.associations.forEach((association, i) => {
    const patching = association.patchBaseline;
    const line: Line = {
      Id: uuidOf(plan.key, i, textHash('association')),
      Title: patching ? patching.name : association.name,
      Severity: association.severity,
      Status: association.compliant ? 'COMPLIANT' : 'NON_COMPLIANT',
      DocumentName: association.name,
      DocumentVersion: '1',
    };
    if (patching) {
      line.PatchBaselineId = patching.id;
      line.DetailedText = patching.detailedText;
    }
    line.ComplianceType = 'Association';
    // The patch association's item names the association as its execution.
    line.ExecutionId = patching ? line.Id : uuidOf(plan.key, seconds, i);
    line.ExecutionType = 'Command';
    line.ExecutionTime = executionTime;
    lines.push(stamp(line));
  });
  if (run.customCompliant !== null) {
    lines.push(
      stamp({
        Id: 'CIS-1.1.1.1',
        Title: 'Ensure mounting of cramfs filesystems is disabled',
        Severity: 'HIGH',
        Status: run.customCompliant ? 'COMPLIANT' : 'NON_COMPLIANT',
        DocumentName: '',
        DocumentVersion: '',
        ComplianceType: 'Custom:CIS',
        ExecutionId: uuidOf(plan.key, seconds, textHash('cis')),
        ExecutionType: 'Custom',
        ExecutionTime: executionTime,
      }),
    );
  }
  return lines;
}

/** One line per compliance type present, counted by severity and status as the service summarises. */
export function complianceSummary(plan: NodePlan, run: ComplianceRun): Line[] {
  const stamp = stamper(plan, run.operation.end + 9_000);
  const summarise = (
    complianceType: string,
    entries: readonly { severity: TruthSeverity | ''; compliant: boolean }[],
    patch: boolean,
  ): Line => {
    // An item without a severity counts as UNSPECIFIED.
    const levels = entries.map((e) => ({ compliant: e.compliant, severity: e.severity || 'UNSPECIFIED' }));
    const worst = highestSeverity(levels.filter((e) => !e.compliant).map((e) => e.severity));
    const line: Line = {
      ComplianceType: complianceType,
      PatchGroup: patch ? (plan.patchGroup ?? '') : '',
      PatchBaselineId: patch ? run.baseline.baselineId : '',
      Status: worst === null ? 'COMPLIANT' : 'NON_COMPLIANT',
      OverallSeverity: worst ?? 'UNSPECIFIED',
      ExecutionId: snapshotId(plan, run),
      ExecutionType: complianceType === 'Custom:CIS' ? 'Custom' : 'Command',
      ExecutionTime: isoSeconds(run.operation.start),
    };
    for (const compliant of [true, false]) {
      for (const severity of SEVERITIES_DESCENDING) {
        const label = severity.charAt(0) + severity.slice(1).toLowerCase();
        // The service writes these counts as JSON numbers (the agent's PatchSummary writes strings).
        line[`${compliant ? 'Compliant' : 'NonCompliant'}${label}Count`] = levels.filter(
          (e) => e.compliant === compliant && e.severity === severity,
        ).length;
      }
    }
    // The service summarises a few seconds after the items arrive.
    return stamp(line);
  };
  const lines = [
    summarise(
      'Patch',
      run.items.map((item) => ({
        severity: item.severity,
        compliant: !NON_COMPLIANT_STATES.has(item.state),
      })),
      true,
    ),
  ];
  if (run.associations.length > 0) lines.push(summarise('Association', run.associations, false));
  if (run.customCompliant !== null) {
    lines.push(summarise('Custom:CIS', [{ severity: 'HIGH', compliant: run.customCompliant }], false));
  }
  return lines;
}

/**
 * Approved patches for software the node does not have: the bulk of a baseline's list (the agent counts them,
 * uploading no item unless asked to), so hundreds on Linux and more on Windows, stable per node.
 */
function notApplicable(plan: NodePlan): number {
  const [low, high] = plan.platform.kind === 'windows' ? [1500, 2600] : [300, 2100];
  return low + (hash(plan.key, textHash('not applicable')) % (high - low + 1));
}

export function patchSummary(plan: NodePlan, run: ComplianceRun, lastNoRebootInstall: number | null): Line[] {
  const count = (state: string) => run.items.filter((item) => item.state === state).length;
  const nonCompliant = run.items.filter((item) => NON_COMPLIANT_STATES.has(item.state));
  const critical = nonCompliant.filter((item) => item.severity === 'CRITICAL').length;
  const kind = plan.platform.kind;
  const security = nonCompliant.filter((item) => countsAsSecurity(kind, item.patch.classification)).length;
  const other = nonCompliant.filter(
    (item) => item.severity !== 'CRITICAL' && !countsAsSecurity(kind, item.patch.classification),
  ).length;
  const numeric = countsAsNumbers(plan.key, run.quirks);
  const written = (value: number) => (numeric ? value : String(value));
  const pendingReboot = count('InstalledPendingReboot') > 0;
  // The agent starts its ranking at INFORMATIONAL, so all-UNSPECIFIED non-compliance reports INFORMATIONAL.
  const worst = highestSeverity(['INFORMATIONAL', ...nonCompliant.map((item) => item.severity)]);
  const line: Line = {
    BaselineId: run.baseline.baselineId,
    PatchGroup: plan.patchGroup ?? '',
    SnapshotId: snapshotId(plan, run),
    ExecutionId: uuidOf(plan.key, Math.floor(run.operation.start / 1000), textHash('command')),
    InstalledCount: written(count('Installed')),
    InstalledOtherCount: written(count('InstalledOther')),
    InstalledRejectedCount: written(count('InstalledRejected')),
    InstalledPendingRebootCount: written(count('InstalledPendingReboot')),
    NotApplicableCount: written(notApplicable(plan)),
    MissingCount: written(count('Missing')),
    FailedCount: written(count('Failed')),
    CriticalNonCompliantCount: written(critical),
    SecurityNonCompliantCount: written(security),
    OtherNonCompliantCount: written(other),
    OperationType: run.operation.type,
    OperationStartTime: isoSeconds(run.operation.start),
    OperationEndTime: isoSeconds(run.operation.end),
    RebootOption: plan.noReboot || pendingReboot ? 'NoReboot' : 'RebootIfNeeded',
  };
  if (pendingReboot && lastNoRebootInstall !== null) {
    line.LastNoRebootInstallOperationTime = isoSeconds(lastNoRebootInstall);
  }
  if (nonCompliant.length > 0) line.NonCompliantSeverity = worst;
  return [stamper(plan, run.operation.end)(line)];
}
