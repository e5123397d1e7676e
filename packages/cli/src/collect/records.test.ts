import type { InstancePatchState, PatchComplianceData } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { complianceLevel, type BaselineRules } from './baseline-severity.js';
import {
  agentPatchState,
  catalogueRecord,
  classifyPatches,
  complianceSummaryRecord,
  ec2InstanceRecord,
  instanceInformationRecord,
  patchSummaryRecord,
  syncTime,
} from './records.js';

const BASELINE: BaselineRules = {
  BaselineId: 'pb-0123456789abcdef0',
  ApprovedPatches: ['KB1', 'zlib.x86_64'],
  ApprovedPatchesComplianceLevel: 'MEDIUM',
  ApprovalRules: {
    PatchRules: [
      {
        PatchFilterGroup: {
          PatchFilters: [
            { Key: 'PRODUCT', Values: ['AmazonLinux2'] },
            { Key: 'CLASSIFICATION', Values: ['Security'] },
            { Key: 'SEVERITY', Values: ['Critical'] },
          ],
        },
        ComplianceLevel: 'CRITICAL',
      },
      {
        PatchFilterGroup: { PatchFilters: [{ Key: 'CLASSIFICATION', Values: ['*'] }] },
        ComplianceLevel: 'LOW',
      },
    ],
  },
};
const facts = (kbId: string, classification: string, vendorSeverity: string) => ({
  kbId,
  title: `${kbId} 1.0`,
  classification,
  vendorSeverity,
});

describe('complianceLevel', () => {
  it('takes the approved-patch level, then the first matching rule, case-insensitively', () => {
    expect(complianceLevel(BASELINE, facts('KB1', 'Security', 'Critical'))).toBe('MEDIUM');
    expect(complianceLevel(BASELINE, facts('zlib.x86_64', 'Security', 'Critical'))).toBe('MEDIUM');
    expect(complianceLevel(BASELINE, facts('kernel.x86_64', 'security', 'CRITICAL'))).toBe('CRITICAL');
    // Not critical: the second rule (any classification) approves it.
    expect(complianceLevel(BASELINE, facts('kernel.x86_64', 'Security', 'Important'))).toBe('LOW');
  });
  it('is UNSPECIFIED without a baseline, a matching rule or a level', () => {
    expect(complianceLevel(undefined, facts('KB1', 'Security', 'Critical'))).toBe('UNSPECIFIED');
    const noWildcard: BaselineRules = {
      ApprovalRules: { PatchRules: [BASELINE.ApprovalRules!.PatchRules![0]!] },
    };
    expect(complianceLevel(noWildcard, facts('x.noarch', 'Bugfix', 'Low'))).toBe('UNSPECIFIED');
    const noLevel: BaselineRules = {
      ApprovalRules: { PatchRules: [{ PatchFilterGroup: { PatchFilters: [] } }] },
    };
    expect(complianceLevel(noLevel, facts('x.noarch', 'Bugfix', 'Low'))).toBe('UNSPECIFIED');
  });
});

describe('records', () => {
  it('formats times as the agent does, and "never" as empty', () => {
    expect(syncTime(new Date('2026-10-30T02:03:04.567Z'))).toBe('2026-10-30T02:03:04Z');
    expect(syncTime(new Date(0))).toBe('');
    expect(syncTime(undefined)).toBe('');
  });

  it('spells patch states as the agent does', () => {
    expect(agentPatchState('INSTALLED_PENDING_REBOOT')).toBe('InstalledPendingReboot');
    expect(agentPatchState('MISSING')).toBe('Missing');
    expect(agentPatchState('AVAILABLE_SECURITY_UPDATE')).toBe('AvailableSecurityUpdate');
  });

  it('maps instance information, with Online as Active and hybrid nodes as ManagedInstance', () => {
    expect(
      instanceInformationRecord(
        { InstanceId: 'mi-0123456789abcdef0', PingStatus: 'Online', PlatformType: 'Linux' },
        '2026-10-30T00:00:00Z',
      ),
    ).toEqual({
      AgentType: 'amazon-ssm-agent',
      AgentVersion: '',
      ComputerName: '',
      InstanceId: 'mi-0123456789abcdef0',
      IpAddress: '',
      PlatformName: '',
      PlatformType: 'Linux',
      PlatformVersion: '',
      ResourceType: 'ManagedInstance',
      InstanceStatus: 'Active',
      resourceId: 'mi-0123456789abcdef0',
      captureTime: '2026-10-30T00:00:00Z',
      schemaVersion: '1.0',
    });
  });

  const state: InstancePatchState = {
    InstanceId: 'i-0123456789abcdef0',
    PatchGroup: 'web',
    BaselineId: 'pb-0123456789abcdef0',
    SnapshotId: '6d03d6c5-f79d-41d0-8d0e-00a9a0000001',
    InstalledCount: 1,
    MissingCount: 1,
    AvailableSecurityUpdateCount: 2,
    OperationStartTime: new Date('2026-10-30T02:00:00Z'),
    OperationEndTime: new Date('2026-10-30T02:03:00Z'),
    Operation: 'Install',
    RebootOption: 'NoReboot',
    LastNoRebootInstallOperationTime: new Date('2026-10-29T02:00:00Z'),
  };
  const patches: PatchComplianceData[] = [
    {
      KBId: 'KB1',
      Title: 'KB1',
      Classification: 'SecurityUpdates',
      Severity: 'Critical',
      State: 'MISSING',
      InstalledTime: new Date(0),
    },
    {
      KBId: 'KB2',
      Title: 'KB2',
      Classification: 'Updates',
      Severity: 'Low',
      State: 'INSTALLED',
      InstalledTime: new Date('2026-09-01T00:00:00Z'),
    },
    {
      KBId: 'KB3',
      Title: 'KB3',
      Classification: 'SecurityUpdates',
      Severity: 'Important',
      State: 'AVAILABLE_SECURITY_UPDATE',
      InstalledTime: new Date(0),
    },
    {
      KBId: 'KB4',
      Title: 'KB4',
      Classification: '',
      Severity: '',
      State: 'bogus' as 'MISSING',
      InstalledTime: new Date(0),
    },
  ];

  it('counts available security updates by the baseline setting and drops unknown states', () => {
    const lenient = classifyPatches(patches, BASELINE, false);
    expect(lenient.map((p) => [p.data.KBId, p.state, p.severity, p.compliant])).toEqual([
      ['KB1', 'MISSING', 'MEDIUM', false],
      ['KB2', 'INSTALLED', 'LOW', true],
      ['KB3', 'AVAILABLE_SECURITY_UPDATE', 'LOW', true],
    ]);
    expect(classifyPatches(patches, BASELINE, true)[2]!.compliant).toBe(false);
  });

  it('writes the patch summary with string counts and the worst non-compliant level', () => {
    const summary = patchSummaryRecord(state.InstanceId!, state, classifyPatches(patches, BASELINE, false));
    expect(summary).toMatchObject({
      BaselineId: 'pb-0123456789abcdef0',
      PatchGroup: 'web',
      InstalledCount: '1',
      MissingCount: '1',
      FailedCount: '0',
      AvailableSecurityUpdateCount: '2',
      OperationType: 'Install',
      RebootOption: 'NoReboot',
      LastNoRebootInstallOperationTime: '2026-10-29T02:00:00Z',
      NonCompliantSeverity: 'MEDIUM',
      captureTime: '2026-10-30T02:03:00Z',
    });
    // A compliant node has no NonCompliantSeverity at all, as the agent writes it.
    expect(patchSummaryRecord(state.InstanceId!, state, [])).not.toHaveProperty('NonCompliantSeverity');
  });

  it('summarises compliance by level and status', () => {
    const summary = complianceSummaryRecord(
      state.InstanceId!,
      state,
      classifyPatches(patches, BASELINE, true),
    );
    expect(summary).toMatchObject({
      Status: 'NON_COMPLIANT',
      OverallSeverity: 'MEDIUM',
      NonCompliantMediumCount: '1',
      NonCompliantLowCount: '1',
      CompliantLowCount: '1',
      CompliantCriticalCount: '0',
    });
  });

  it('keys catalogue patches as node items name them', () => {
    expect(
      catalogueRecord({
        KbNumber: 'KB5000001',
        Id: 'abc',
        ReleaseDate: new Date('2026-10-01T00:00:00Z'),
        CVEIds: ['CVE-2026-1', 'CVE-2026-2'],
      }),
    ).toMatchObject({
      KBId: 'KB5000001',
      ReleaseDate: '2026-10-01T00:00:00Z',
      CVEIds: 'CVE-2026-1,CVE-2026-2',
    });
    expect(
      catalogueRecord({ Name: 'kernel', Arch: 'x86_64', Epoch: 0, Version: '5.10', Release: '1.amzn2' }),
    ).toMatchObject({
      KBId: 'kernel.x86_64',
      Version: '0:5.10-1.amzn2',
    });
  });

  it('writes an EC2 instance as the sync record the ingest stores, leaving out what the answer lacks', () => {
    expect(
      ec2InstanceRecord(
        {
          InstanceId: 'i-0ddddddddddddddd1',
          State: { Name: 'stopped', Code: 80 },
          LaunchTime: new Date('2026-03-04T05:06:07.890Z'),
          PlatformDetails: 'Red Hat Enterprise Linux',
          Platform: 'Windows',
          InstanceType: 't3.micro',
          ImageId: 'ami-0123456789abcdef0',
        },
        '2026-10-30T23:30:00Z',
      ),
    ).toEqual({
      InstanceId: 'i-0ddddddddddddddd1',
      State: 'stopped',
      LaunchTime: '2026-03-04T05:06:07Z',
      Platform: 'Red Hat Enterprise Linux',
      InstanceType: 't3.micro',
      ImageId: 'ami-0123456789abcdef0',
      Source: 'ec2',
      resourceId: 'i-0ddddddddddddddd1',
      captureTime: '2026-10-30T23:30:00Z',
      schemaVersion: '1.0',
    });
    expect(ec2InstanceRecord({ InstanceId: 'i-0ddddddddddddddd2', State: { Name: 'pending' } }, 'T')).toEqual(
      {
        InstanceId: 'i-0ddddddddddddddd2',
        State: 'pending',
        Source: 'ec2',
        resourceId: 'i-0ddddddddddddddd2',
        captureTime: 'T',
        schemaVersion: '1.0',
      },
    );
  });
});
