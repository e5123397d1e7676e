/**
 * SSM API answers -> the JSON-lines records Resource Data Sync writes, so a collected folder ingests exactly
 * like a bucket copy. Pure: no I/O, no clock (every time comes from the answers or from the caller).
 *
 * Field names and spellings follow what the agent uploads and the sync flattens: PascalCase attributes, then
 * `resourceId`, `captureTime`, `schemaVersion`; counts as strings; times as `YYYY-MM-DDTHH:MM:SSZ` (UTC);
 * patch states in the agent's spelling (`Missing`, `InstalledPendingReboot`), not the API's (`MISSING`).
 */
import type { Instance } from '@aws-sdk/client-ec2';
import type {
  InstanceInformation,
  InstancePatchState,
  PatchComplianceData,
  Patch,
} from '@aws-sdk/client-ssm';
import {
  NON_COMPLIANT_PATCH_STATES,
  normalisePatchState,
  type PatchState,
  SEVERITIES,
  type Severity,
} from '@patchboard/core';
import { complianceLevel, type BaselineRules } from './baseline-severity.js';

export type SyncRecord = Record<string, string>;

/** `2024-05-01T02:03:11Z`: the agent's format (UTC, whole seconds). */
export function syncTime(value: Date | string | undefined): string {
  if (value === undefined || value === '') return '';
  const date = value instanceof Date ? value : new Date(value);
  const ms = date.getTime();
  // The API answers the epoch (or nothing) for "never", e.g. the InstalledTime of a Missing patch.
  if (Number.isNaN(ms) || ms <= 0) return '';
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function stamp(
  record: SyncRecord,
  resourceId: string,
  captureTime: string,
  schemaVersion = '1.0',
): SyncRecord {
  record.resourceId = resourceId;
  record.captureTime = captureTime;
  record.schemaVersion = schemaVersion;
  return record;
}

/** The agent's spelling of an API patch state: `INSTALLED_PENDING_REBOOT` -> `InstalledPendingReboot`. */
export function agentPatchState(state: PatchState): string {
  return state
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/**
 * DescribeInstanceInformation's PingStatus in the sync's InstanceStatus words: a reachable node is `Active`;
 * `ConnectionLost` is the same word; `Inactive` (a deregistered or long-gone node) is kept as the API says it.
 */
function instanceStatus(pingStatus: string | undefined): string | undefined {
  if (pingStatus === 'Online') return 'Active';
  return pingStatus;
}

/** AWS:InstanceInformation, one line. `fallbackTime` is used when the node never pinged. */
export function instanceInformationRecord(info: InstanceInformation, fallbackTime: string): SyncRecord {
  const id = info.InstanceId ?? '';
  const record: SyncRecord = {
    AgentType: 'amazon-ssm-agent',
    AgentVersion: info.AgentVersion ?? '',
    ComputerName: info.ComputerName ?? '',
    InstanceId: id,
    IpAddress: info.IPAddress ?? '',
    PlatformName: info.PlatformName ?? '',
    PlatformType: info.PlatformType ?? '',
    PlatformVersion: info.PlatformVersion ?? '',
    ResourceType: info.ResourceType ?? (id.startsWith('mi-') ? 'ManagedInstance' : 'EC2Instance'),
  };
  const status = instanceStatus(info.PingStatus);
  if (status !== undefined) record.InstanceStatus = status;
  if (info.IamRole) record.IamRole = info.IamRole;
  return stamp(record, id, syncTime(info.LastPingDateTime) || fallbackTime);
}

/** One patch of a node with everything its records need. */
export interface CollectedPatch {
  readonly data: PatchComplianceData;
  readonly state: PatchState;
  readonly severity: Severity;
  readonly compliant: boolean;
}

/** Normalises DescribeInstancePatches' answer and gives every patch its compliance level and status. */
export function classifyPatches(
  patches: readonly PatchComplianceData[],
  baseline: BaselineRules | undefined,
  availableSecurityUpdatesNonCompliant: boolean,
): CollectedPatch[] {
  const collected: CollectedPatch[] = [];
  for (const data of patches) {
    const state = normalisePatchState(data.State ?? '');
    if (state === undefined) continue;
    const severity = complianceLevel(baseline, {
      kbId: data.KBId ?? '',
      title: data.Title ?? '',
      classification: data.Classification ?? '',
      vendorSeverity: data.Severity ?? '',
    });
    const compliant =
      state === 'AVAILABLE_SECURITY_UPDATE'
        ? !availableSecurityUpdatesNonCompliant
        : !NON_COMPLIANT_PATCH_STATES.includes(state);
    collected.push({ data, state, severity, compliant });
  }
  return collected;
}

/** AWS:ComplianceItem lines of ComplianceType Patch, as the agent writes them for its last operation. */
export function complianceItemRecords(
  nodeId: string,
  patchState: InstancePatchState,
  patches: readonly CollectedPatch[],
): SyncRecord[] {
  const captureTime = syncTime(patchState.OperationEndTime);
  const executionTime = syncTime(patchState.OperationStartTime);
  return patches.map(({ data, state, severity, compliant }) => {
    const record: SyncRecord = {
      Id: data.KBId ?? '',
      Title: data.Title ?? '',
      Severity: severity,
      Status: compliant ? 'COMPLIANT' : 'NON_COMPLIANT',
      PatchBaselineId: patchState.BaselineId ?? '',
      PatchState: agentPatchState(state),
      PatchGroup: patchState.PatchGroup ?? '',
      DocumentName: '',
      DocumentVersion: '',
      InstalledTime: state.startsWith('INSTALLED') ? syncTime(data.InstalledTime) : '',
      Classification: data.Classification ?? '',
      PatchSeverity: data.Severity ?? '',
    };
    // The API, like the agent, names CVEs only for Missing and Failed patches.
    if ((state === 'MISSING' || state === 'FAILED') && data.CVEIds) record.CVEIds = data.CVEIds;
    if (patchState.InstallOverrideList) record.InstallOverrideList = patchState.InstallOverrideList;
    record.ComplianceType = 'Patch';
    record.ExecutionId = patchState.SnapshotId ?? '';
    record.ExecutionType = 'Command';
    record.ExecutionTime = executionTime;
    return stamp(record, nodeId, captureTime);
  });
}

/** Core's ranking (UNSPECIFIED lowest): a level's index in `SEVERITIES`. */
const rank = (level: Severity) => SEVERITIES.indexOf(level);
const LEVELS_DESCENDING = [...SEVERITIES].reverse();

function highest(levels: readonly Severity[]): Severity | undefined {
  let top: Severity | undefined;
  for (const level of levels) if (top === undefined || rank(level) > rank(top)) top = level;
  return top;
}

const count = (value: number | undefined) => String(value ?? 0);

/** AWS:PatchSummary, one line: the node's InstancePatchState with the agent's string counts. */
export function patchSummaryRecord(
  nodeId: string,
  patchState: InstancePatchState,
  patches: readonly CollectedPatch[],
): SyncRecord {
  const record: SyncRecord = {
    BaselineId: patchState.BaselineId ?? '',
    PatchGroup: patchState.PatchGroup ?? '',
    SnapshotId: patchState.SnapshotId ?? '',
  };
  if (patchState.OwnerInformation) record.OwnerInformation = patchState.OwnerInformation;
  Object.assign(record, {
    InstalledCount: count(patchState.InstalledCount),
    InstalledOtherCount: count(patchState.InstalledOtherCount),
    InstalledRejectedCount: count(patchState.InstalledRejectedCount),
    InstalledPendingRebootCount: count(patchState.InstalledPendingRebootCount),
    NotApplicableCount: count(patchState.NotApplicableCount),
    UnreportedNotApplicableCount: count(patchState.UnreportedNotApplicableCount),
    MissingCount: count(patchState.MissingCount),
    FailedCount: count(patchState.FailedCount),
    CriticalNonCompliantCount: count(patchState.CriticalNonCompliantCount),
    SecurityNonCompliantCount: count(patchState.SecurityNonCompliantCount),
    OtherNonCompliantCount: count(patchState.OtherNonCompliantCount),
  });
  if (patchState.AvailableSecurityUpdateCount !== undefined) {
    record.AvailableSecurityUpdateCount = count(patchState.AvailableSecurityUpdateCount);
  }
  record.OperationType = patchState.Operation ?? '';
  record.OperationStartTime = syncTime(patchState.OperationStartTime);
  record.OperationEndTime = syncTime(patchState.OperationEndTime);
  if (patchState.InstallOverrideList) record.InstallOverrideList = patchState.InstallOverrideList;
  if (patchState.RebootOption) record.RebootOption = patchState.RebootOption;
  if (patchState.LastNoRebootInstallOperationTime) {
    record.LastNoRebootInstallOperationTime = syncTime(patchState.LastNoRebootInstallOperationTime);
  }
  // The agent writes NonCompliantSeverity only for a non-compliant node, ranking from INFORMATIONAL upwards.
  const nonCompliant = patches.filter((p) => !p.compliant).map((p) => p.severity);
  if (nonCompliant.length > 0) record.NonCompliantSeverity = highest(['INFORMATIONAL', ...nonCompliant])!;
  return stamp(record, nodeId, syncTime(patchState.OperationEndTime));
}

/** AWS:ComplianceSummary, the Patch line: the items counted by compliance level and status, as SSM summarises. */
export function complianceSummaryRecord(
  nodeId: string,
  patchState: InstancePatchState,
  patches: readonly CollectedPatch[],
): SyncRecord {
  const worst = highest(patches.filter((p) => !p.compliant).map((p) => p.severity));
  const record: SyncRecord = {
    ComplianceType: 'Patch',
    PatchGroup: patchState.PatchGroup ?? '',
    PatchBaselineId: patchState.BaselineId ?? '',
    Status: worst === undefined ? 'COMPLIANT' : 'NON_COMPLIANT',
    OverallSeverity: worst ?? 'UNSPECIFIED',
    ExecutionId: patchState.SnapshotId ?? '',
    ExecutionType: 'Command',
    ExecutionTime: syncTime(patchState.OperationStartTime),
  };
  for (const compliant of [true, false]) {
    for (const level of LEVELS_DESCENDING) {
      const label = level.charAt(0) + level.slice(1).toLowerCase();
      record[`${compliant ? 'Compliant' : 'NonCompliant'}${label}Count`] = String(
        patches.filter((p) => p.compliant === compliant && p.severity === level).length,
      );
    }
  }
  return stamp(record, nodeId, syncTime(patchState.OperationEndTime));
}

/**
 * AWS:Tag from ListTagsForResource (a hybrid node's tags), or Custom:PatchboardEc2Tag from an instance's
 * DescribeInstances tags: no capture time of their own, so the run's.
 */
export function tagRecordsFromTagList(
  nodeId: string,
  tags: readonly { readonly Key?: string; readonly Value?: string }[],
  captureTime: string,
): SyncRecord[] {
  return tags.map((tag) => stamp({ Key: tag.Key ?? '', Value: tag.Value ?? '' }, nodeId, captureTime));
}

/**
 * AWS:Tag from the node's own inventory (ListInventoryEntries, type AWS:Tag): the very entries the sync copies
 * to the bucket, with their capture time and schema version.
 */
export function tagRecordsFromInventory(
  nodeId: string,
  entries: readonly Record<string, string>[],
  captureTime: string,
  schemaVersion: string,
): SyncRecord[] {
  return entries.map((entry) =>
    stamp(
      { Key: entry.Key ?? '', Value: entry.Value ?? '' },
      nodeId,
      syncTime(captureTime) || captureTime,
      schemaVersion || '1.0',
    ),
  );
}

/** One patch of the catalogue (DescribeAvailablePatches): what a node's item is matched on, and its dates. */
export function catalogueRecord(patch: Patch): SyncRecord {
  // A node's item names a Windows patch by its KB number and a Linux one by `name.arch`.
  const kbId =
    patch.KbNumber || (patch.Name ? (patch.Arch ? `${patch.Name}.${patch.Arch}` : patch.Name) : '');
  const record: SyncRecord = {
    KBId: kbId,
    Id: patch.Id ?? '',
    Title: patch.Title ?? '',
    Product: patch.Product ?? '',
    Classification: patch.Classification ?? '',
    Severity: patch.MsrcSeverity || patch.Severity || '',
    ReleaseDate: syncTime(patch.ReleaseDate),
    CVEIds: (patch.CVEIds ?? []).join(','),
    AdvisoryIds: (patch.AdvisoryIds ?? []).join(','),
  };
  if (patch.Version) record.Version = `${patch.Epoch ?? 0}:${patch.Version}-${patch.Release ?? ''}`;
  return record;
}

/**
 * Custom:PatchboardEc2Instance, one line, from DescribeInstances: `State` is the state name, `Platform` the
 * PlatformDetails (EC2's own words, `Linux/UNIX`, `Windows`, ...). The answer carries no capture time, so the
 * run's. Attributes the answer lacks are left out, so they are stored as NULL rather than as empty text.
 */
export function ec2InstanceRecord(instance: Instance, captureTime: string): SyncRecord {
  const id = instance.InstanceId ?? '';
  const record: SyncRecord = { InstanceId: id, State: instance.State?.Name ?? '' };
  const launchTime = syncTime(instance.LaunchTime);
  if (launchTime) record.LaunchTime = launchTime;
  if (instance.PlatformDetails) record.Platform = instance.PlatformDetails;
  if (instance.InstanceType) record.InstanceType = instance.InstanceType;
  if (instance.ImageId) record.ImageId = instance.ImageId;
  record.Source = 'ec2';
  return stamp(record, id, captureTime);
}
