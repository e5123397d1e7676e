/**
 * `collect` against mocked SSM, EC2 and STS (aws-sdk-client-mock): the fleet in test/support/mock-ssm-fleet.ts,
 * collected, ingested and reported on. Every expected figure is worked out from that fleet data, not by
 * Patchboard; every request shape the collector promises (Region per client, at most 50 ids per patch-state
 * call, pagination tokens followed) is asserted on the calls the mocks saw.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { compileReport, DEFAULT_POLICY, isPatchboardError, type QueryEngine } from '@patchboard/core';
import { DuckDbQueryEngine, ingest, openDatabase } from '@patchboard/engine-duckdb';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { temporaryFolder } from '../src/collect/bucket-writer.js';
import { collectFleet } from '../src/collect/collector.js';
import { parseRegions } from '../src/commands/collect.js';
import { EXIT_FAILURE, EXIT_OK, main } from '../src/main.js';
import { LocalFolderSource } from '../src/sources/local-folder.js';
import {
  ACCOUNT,
  allNodes,
  awsError,
  EC2_ONLY,
  EC2_PAGE,
  ec2Instances,
  ec2Mock,
  FLEET,
  installMocks,
  LINUX_BASELINE,
  mock,
  type MockNode,
  NON_COMPLIANT,
  options,
  ssmMock,
  stsMock,
  tree,
  WINDOWS_BASELINE,
} from './support/mock-ssm-fleet.js';

const NOW = '2026-10-31T00:00:00Z';
/** policy.inactiveInstanceStates' default: EC2 states that make an instance INACTIVE. */
const INACTIVE_STATES = new Set(['stopping', 'stopped', 'shutting-down', 'terminated']);
const ec2OnlyIn = (region?: string) => (region ? EC2_ONLY[region]! : Object.values(EC2_ONLY).flat());

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'patchboard-collect-'));
  dirs.push(dir);
  return dir;
};
/** The files of an uninterrupted collection of the whole mocked fleet: what a resumed one must end with. */
const uninterruptedTree = async () => {
  const whole = await tempDir();
  await collectFleet(options(whole));
  return tree(whole);
};
beforeEach(installMocks);
afterEach(() => {
  ssmMock.reset();
  stsMock.reset();
  ec2Mock.reset();
});
afterAll(async () => {
  ssmMock.restore();
  stsMock.restore();
  ec2Mock.restore();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

// ---- Collect, ingest, report -------------------------------------------------------------------------------

describe('collect a mocked fleet, ingest it and report on it', () => {
  let outDir: string;
  let engine: QueryEngine | undefined;
  const report = async (id: string, params: Record<string, unknown> = {}) => {
    if (!engine) throw new Error('the collected folder was not ingested: see the first test');
    const context = { policy: DEFAULT_POLICY, now: Date.parse(NOW), dialect: engine.dialect };
    return (await engine.run(compileReport(id, params, context).query)).rows;
  };

  it('writes the sync layout with the request shapes promised', async () => {
    outDir = await tempDir();
    const progress: [number, number][] = [];
    const instanceProgress: [number, number][] = [];
    const summary = await collectFleet(
      options(outDir, {
        onProgress: (done, total) => progress.push([done, total]),
        onInstanceProgress: (written, listed) => instanceProgress.push([written, listed]),
      }),
    );
    // Instance progress: listed grows a page at a time, written by one per instance, ending at every instance.
    const instanceCount = ec2Instances('us-east-1').length + ec2Instances('eu-west-1').length;
    expect(instanceProgress.at(-1)).toEqual([instanceCount, instanceCount]);
    expect(new Set(instanceProgress.map(([, listed]) => listed)).size).toBe(
      Math.ceil(ec2Instances('us-east-1').length / EC2_PAGE) +
        Math.ceil(ec2Instances('eu-west-1').length / EC2_PAGE),
    );
    expect(instanceProgress.every(([written, listed]) => written <= listed)).toBe(true);
    // Progress counts nodes: the total grows as each Region is listed, done by one per node, ending at all.
    const nodeCount = allNodes().length;
    expect(progress.at(-1)).toEqual([nodeCount, nodeCount]);
    expect(progress.filter(([, total]) => total === 5)).toHaveLength(6);
    expect(
      progress.every(([done, total], i) => done <= total && (i === 0 || done >= progress[i - 1]![0])),
    ).toBe(true);
    expect(summary.accountId).toBe(ACCOUNT);
    expect(summary.regions.map((r) => [r.region, r.nodes, r.fetched, r.alreadyDone])).toEqual([
      ['us-east-1', 5, 5, 0],
      ['eu-west-1', 60, 60, 0],
    ]);
    // Instances: the Region's EC2 nodes (not the hybrid one) and those SSM does not know.
    expect(summary.regions.map((r) => [r.region, r.instances, r.instancesWithoutSsm])).toEqual(
      ['us-east-1', 'eu-west-1'].map((region) => [
        region,
        FLEET[region]!.filter((n) => n.info.InstanceId!.startsWith('i-')).length + ec2OnlyIn(region).length,
        ec2OnlyIn(region).length,
      ]),
    );
    expect(summary.regions.map((r) => r.instances)).toEqual([7, 62]);
    // Patch items: one per patch the API answered for a scanned node.
    expect(summary.regions.map((r) => r.patchItems)).toEqual([
      FLEET['us-east-1']!.filter((n) => n.baselineId).reduce((sum, n) => sum + n.patches.length, 0),
      60,
    ]);

    // Each Region's calls went to that Region's client, and each Region's nodes were asked of it.
    for (const request of mock.requests) {
      if ('InstanceId' in request.input) {
        expect(FLEET[request.region]!.some((n) => n.info.InstanceId === request.input.InstanceId)).toBe(true);
      }
    }
    expect(new Set(mock.requests.map((r) => r.region))).toEqual(new Set(['us-east-1', 'eu-west-1']));
    // Patch states: at most 50 ids a call; eu-west-1's 60 nodes in two batches (50 + 10), each batch's pages
    // of 20 followed by token.
    const stateCalls = mock.requests.filter(
      (r) => r.command === 'DescribeInstancePatchStates' && r.region === 'eu-west-1',
    );
    const batches = stateCalls.filter((r) => r.input.NextToken === undefined);
    expect(batches.map((r) => (r.input.InstanceIds as string[]).length)).toEqual([50, 10]);
    expect(stateCalls.map((r) => r.input.NextToken)).toEqual([undefined, 'token-20', 'token-40', undefined]);
    for (const call of stateCalls)
      expect((call.input.InstanceIds as string[]).length).toBeLessThanOrEqual(50);
    // DescribeInstances: per Region, its own client, no filter (every state), the largest page asked for, each
    // token followed once: us-east-1's 7 instances at 5 a page are 2 pages, eu-west-1's 62 are 13.
    for (const [region, pages] of [
      ['us-east-1', 2],
      ['eu-west-1', 13],
    ] as const) {
      const calls = mock.requests.filter((r) => r.command === 'DescribeInstances' && r.region === region);
      expect(calls.map((r) => r.input)).toEqual(
        Array.from({ length: pages }, (_, i) =>
          i === 0 ? { MaxResults: 1000 } : { MaxResults: 1000, NextToken: `token-${EC2_PAGE * i}` },
        ),
      );
    }
    // The instance list comes first, every Region's before any SSM call.
    const firstSsm = mock.requests.findIndex((r) => r.command !== 'DescribeInstances');
    expect(mock.requests.slice(firstSsm).some((r) => r.command === 'DescribeInstances')).toBe(false);
    // Node listing: 60 nodes at 3 a page is 20 pages, each token followed once.
    const listing = mock.requests.filter(
      (r) => r.command === 'DescribeInstanceInformation' && r.region === 'eu-west-1',
    );
    expect(listing.map((r) => r.input.NextToken)).toEqual([
      undefined,
      ...Array.from({ length: 19 }, (_, i) => `token-${3 * (i + 1)}`),
    ]);
    // Patches of node 1: two pages.
    const patches = mock.requests.filter(
      (r) => r.command === 'DescribeInstancePatches' && r.input.InstanceId === 'i-0aaaaaaaaaaaaaaa1',
    );
    expect(patches.map((r) => r.input.NextToken)).toEqual([undefined, 'token-2']);
    // The never-scanned node's patches are not asked for; each scanned node's are asked once.
    expect(
      mock.requests.filter((r) => r.command === 'DescribeInstancePatches' && r.input.NextToken === undefined),
    ).toHaveLength(allNodes().filter((n) => n.baselineId).length);
    // Tags: the hybrid node by ListTagsForResource (ManagedInstance), EC2 instances from their inventory.
    expect(mock.requests.filter((r) => r.command === 'ListTagsForResource').map((r) => r.input)).toEqual([
      { ResourceType: 'ManagedInstance', ResourceId: 'mi-0bbbbbbbbbbbbbbb1' },
    ]);
    const inventory = mock.requests.filter((r) => r.command === 'ListInventoryEntries');
    expect(new Set(inventory.map((r) => r.input.TypeName))).toEqual(new Set(['AWS:Tag']));
    expect(
      inventory.filter((r) => r.input.InstanceId === 'i-0aaaaaaaaaaaaaaa1').map((r) => r.input.NextToken),
    ).toEqual([undefined, 'token-2']);
    // Page sizes within each API's MaxResults bounds (SSM rejects others).
    const pageSizes = new Map<string, Set<unknown>>();
    for (const r of mock.requests) {
      if (!pageSizes.has(r.command)) pageSizes.set(r.command, new Set());
      pageSizes.get(r.command)!.add(r.input.MaxResults);
    }
    expect(Object.fromEntries([...pageSizes].map(([command, sizes]) => [command, [...sizes]]))).toEqual({
      DescribeInstances: [1000], // 5-1000
      DescribeInstanceInformation: [50], // 5-50
      DescribeInstancePatchStates: [50], // 10-100
      DescribePatchBaselines: [100], // 1-100
      GetPatchBaseline: [undefined],
      DescribeInstancePatches: [100], // 10-100
      ListInventoryEntries: [50], // 1-50
      ListTagsForResource: [undefined],
      DescribeAvailablePatches: [100], // 1-100
    });
    // Baselines: each one in use fetched once per Region that uses it.
    expect(
      mock.requests
        .filter((r) => r.command === 'GetPatchBaseline')
        .map((r) => [r.region, r.input.BaselineId]),
    ).toEqual([
      ['us-east-1', LINUX_BASELINE],
      ['us-east-1', WINDOWS_BASELINE],
      ['eu-west-1', LINUX_BASELINE],
    ]);

    // The files: the sync's keys, and the sync's record fields.
    const files = await tree(outDir);
    const key = (type: string, region: string, node: string) =>
      `${type}/accountid=${ACCOUNT}/region=${region}/resourcetype=ManagedInstanceInventory/${node}.json`;
    const ec2Key = (type: string, region: string, id: string) =>
      `${type}/accountid=${ACCOUNT}/region=${region}/resourcetype=EC2Instance/${id}.json`;
    const lines = (path: string) =>
      files[path]!.trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, string>);
    const kernel = lines(key('AWS:ComplianceItem', 'us-east-1', 'i-0aaaaaaaaaaaaaaa1'))[0];
    expect(kernel).toEqual({
      Id: 'kernel.x86_64',
      Title: 'kernel.x86_64:0:5.10.1-1.amzn2',
      Severity: 'CRITICAL',
      Status: 'NON_COMPLIANT',
      PatchBaselineId: LINUX_BASELINE,
      PatchState: 'Missing',
      PatchGroup: '',
      DocumentName: '',
      DocumentVersion: '',
      InstalledTime: '',
      Classification: 'Security',
      PatchSeverity: 'Critical',
      CVEIds: 'CVE-2026-0001,CVE-2026-0002',
      ComplianceType: 'Patch',
      ExecutionId: '6d03d6c5-f79d-41d0-8d0e-00a9a0000001',
      ExecutionType: 'Command',
      ExecutionTime: '2026-10-30T02:00:00Z',
      resourceId: 'i-0aaaaaaaaaaaaaaa1',
      captureTime: '2026-10-30T02:03:00Z',
      schemaVersion: '1.0',
    });
    expect(lines(key('AWS:PatchSummary', 'us-east-1', 'mi-0bbbbbbbbbbbbbbb1'))[0]).toMatchObject({
      BaselineId: WINDOWS_BASELINE,
      MissingCount: '2',
      InstalledPendingRebootCount: '1',
      InstalledCount: '1',
      OperationType: 'Scan',
      OperationEndTime: '2026-10-30T02:03:00Z',
      // KB5000001 and KB5000002 HIGH by rule, KB5000003 MEDIUM by the approved list: HIGH.
      NonCompliantSeverity: 'HIGH',
    });
    expect(lines(key('AWS:InstanceInformation', 'us-east-1', 'mi-0bbbbbbbbbbbbbbb1'))[0]).toMatchObject({
      InstanceId: 'mi-0bbbbbbbbbbbbbbb1',
      ResourceType: 'ManagedInstance',
      PlatformType: 'Windows',
      InstanceStatus: 'Active',
      captureTime: '2026-10-30T23:00:00Z',
    });
    expect(lines(key('AWS:Tag', 'us-east-1', 'mi-0bbbbbbbbbbbbbbb1'))).toEqual(
      [
        ['Name', 'dc-1'],
        ['Team', 'identity'],
        ['Environment', 'prod'],
      ].map(([Key, Value]) => ({
        Key,
        Value,
        resourceId: 'mi-0bbbbbbbbbbbbbbb1',
        captureTime: '2026-10-30T23:30:00Z',
        schemaVersion: '1.0',
      })),
    );
    // The never-scanned node has instance information only, and as an untagged EC2 instance its EC2 record.
    expect(
      Object.keys(files)
        .filter((k) => k.includes('i-0aaaaaaaaaaaaaaa3'))
        .sort(),
    ).toEqual([
      key('AWS:InstanceInformation', 'us-east-1', 'i-0aaaaaaaaaaaaaaa3'),
      ec2Key('Custom:PatchboardEc2Instance', 'us-east-1', 'i-0aaaaaaaaaaaaaaa3'),
    ]);
    // EC2 instances: one record each, tags one a line, in the sync's layout under resourcetype=EC2Instance.
    const capture = { captureTime: '2026-10-30T23:30:00Z', schemaVersion: '1.0' };
    expect(lines(ec2Key('Custom:PatchboardEc2Instance', 'us-east-1', 'i-0ddddddddddddddd2'))).toEqual([
      {
        InstanceId: 'i-0ddddddddddddddd2',
        State: 'stopped',
        LaunchTime: '2026-05-01T08:00:00Z',
        Platform: 'Windows',
        InstanceType: 't3.medium',
        ImageId: 'ami-0123456789abcdef0',
        Source: 'ec2',
        resourceId: 'i-0ddddddddddddddd2',
        ...capture,
      },
    ]);
    expect(lines(ec2Key('Custom:PatchboardEc2Tag', 'us-east-1', 'i-0ddddddddddddddd2'))).toEqual([
      { Key: 'Team', Value: 'data', resourceId: 'i-0ddddddddddddddd2', ...capture },
      { Key: 'Environment', Value: 'dev', resourceId: 'i-0ddddddddddddddd2', ...capture },
    ]);
    // Every instance has its record; only tagged ones a tag file; the hybrid node is no EC2 instance.
    for (const region of ['us-east-1', 'eu-west-1']) {
      for (const instance of ec2Instances(region)) {
        expect(lines(ec2Key('Custom:PatchboardEc2Instance', region, instance.id))[0]).toMatchObject({
          State: instance.state,
          Platform: instance.platform,
        });
        const tags = files[ec2Key('Custom:PatchboardEc2Tag', region, instance.id)];
        if (instance.tags.length === 0) expect(tags).toBeUndefined();
        else
          expect(
            lines(ec2Key('Custom:PatchboardEc2Tag', region, instance.id)).map((t) => [t.Key, t.Value]),
          ).toEqual(instance.tags);
      }
    }
    expect(Object.keys(files).filter((k) => k.startsWith('Custom:PatchboardEc2Instance/'))).toHaveLength(
      instanceCount,
    );
    expect(Object.keys(files).filter((k) => k.includes('Custom:PatchboardEc2') && k.includes('mi-'))).toEqual(
      [],
    );
    // The catalogue: the non-compliant patches the API knows (KB5000003 and the Linux bugfix it does not).
    expect(
      lines(
        `Custom:PatchboardCatalogue/accountid=${ACCOUNT}/region=us-east-1/resourcetype=PatchCatalogue/catalogue.json`,
      ).map((p) => [p.KBId, p.ReleaseDate, p.CVEIds]),
    ).toEqual([
      ['KB5000001', '2026-10-01T00:00:00Z', 'CVE-2026-1001'],
      ['KB5000002', '2026-09-20T00:00:00Z', ''],
      ['kernel.x86_64', '2026-10-05T00:00:00Z', 'CVE-2026-0001,CVE-2026-0002'],
    ]);

    const db = await openDatabase(join(outDir, 'p.duckdb'));
    engine = new DuckDbQueryEngine(db);
    const ingested = await ingest(db.connection, new LocalFolderSource(outDir));
    expect(ingested.errors).toBe(0);
  });

  it('fleet-summary counts the fleet as the mock data says', async () => {
    const nodes = allNodes();
    const scanned = nodes.filter((n) => n.baselineId);
    const nonCompliant = scanned.filter((n) => n.patches.some((p) => NON_COMPLIANT.has(p.State!)));
    const compliant = scanned.length - nonCompliant.length;
    // The instances SSM does not know: stopped and terminated ones INACTIVE, running ones UNMANAGED (active,
    // not compliant). Every SSM node reported within the stale window, so none of those is UNMANAGED.
    const inactive = ec2OnlyIn().filter((i) => INACTIVE_STATES.has(i.state)).length;
    const unmanaged = ec2OnlyIn().length - inactive;
    const active = nodes.length + unmanaged;
    expect(await report('fleet-summary')).toEqual([
      {
        nodes: nodes.length + ec2OnlyIn().length,
        active,
        inactive,
        compliant,
        non_compliant: nonCompliant.length,
        stale: 0,
        not_scanned: nodes.length - scanned.length,
        unmanaged,
        compliance_pct: Math.round((1000 * compliant) / active) / 10,
        coverage_pct: Math.round((1000 * (active - unmanaged)) / active) / 10,
      },
    ]);
    // The same in figures: 62 compliant of 68 active (65 SSM nodes, 3 running instances without an agent).
    expect([nonCompliant.length, compliant, active, unmanaged, inactive]).toEqual([2, 62, 68, 3, 2]);
    expect((await report('fleet-summary'))[0]).toMatchObject({ compliance_pct: 91.2, coverage_pct: 95.6 });
  });

  it('node-compliance has each node with its owner, counts and highest severity', async () => {
    const rows = await report('node-compliance', { region: 'us-east-1' });
    const tag = (n: MockNode, k: string) => n.tags.find(([key]) => key === k)?.[1] ?? '(untagged)';
    expect(
      rows.map((r) => [
        r.node_id,
        r.team,
        r.environment,
        r.status,
        r.missing_count,
        r.failed_count,
        r.pending_reboot_count,
        r.highest_severity,
      ]),
    ).toEqual(
      FLEET['us-east-1']!.map((n) => {
        const count = (state: string) => n.patches.filter((p) => p.State === state).length;
        const status = !n.baselineId
          ? 'NOT_SCANNED'
          : n.patches.some((p) => NON_COMPLIANT.has(p.State!))
            ? 'NON_COMPLIANT'
            : 'COMPLIANT';
        // Worked out from the baselines above: node 1's security items are CRITICAL; the Windows node's worst is HIGH.
        const highest =
          { 'i-0aaaaaaaaaaaaaaa1': 'CRITICAL', 'mi-0bbbbbbbbbbbbbbb1': 'HIGH' }[n.info.InstanceId!] ?? null;
        return [
          n.info.InstanceId,
          tag(n, 'Team'),
          tag(n, 'Environment'),
          status,
          count('MISSING'),
          count('FAILED'),
          count('INSTALLED_PENDING_REBOOT'),
          highest,
        ];
      })
        // The instances SSM does not know, owned by their EC2 tags: UNMANAGED when running, else INACTIVE.
        .concat(
          EC2_ONLY['us-east-1']!.map((i) => [
            i.id,
            i.tags.find(([key]) => key === 'Team')?.[1] ?? '(untagged)',
            i.tags.find(([key]) => key === 'Environment')?.[1] ?? '(untagged)',
            INACTIVE_STATES.has(i.state) ? 'INACTIVE' : 'UNMANAGED',
            0,
            0,
            0,
            null,
          ]),
        )
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(
      rows.filter((r) => r.status === 'UNMANAGED').map((r) => [r.node_id, r.team, r.environment]),
    ).toEqual([
      ['i-0ddddddddddddddd1', 'payments', 'prod'],
      ['i-0ddddddddddddddd3', '(untagged)', '(untagged)'],
    ]);
  });

  it('missing-patches lists every non-compliant patch with its node count and CVEs', async () => {
    const expected = allNodes()
      .flatMap((n) => n.patches.filter((p) => NON_COMPLIANT.has(p.State!)))
      .map((p) => ({ patch_id: p.KBId, state: p.State, node_count: 1, cve_ids: p.CVEIds ?? null }))
      // One node each: the report orders by patch id, in byte order as SQL compares text.
      .sort((a, b) => (a.patch_id! < b.patch_id! ? -1 : 1));
    const rows = await report('missing-patches');
    expect(
      rows.map((r) => ({
        patch_id: r.patch_id,
        state: r.state,
        node_count: r.node_count,
        cve_ids: r.cve_ids,
      })),
    ).toEqual(expected);
    // Severity by baseline: tzdata (Bugfix) LOW, KB5000003 (approved list) MEDIUM.
    expect(Object.fromEntries(rows.map((r) => [r.patch_id, r.severity]))).toEqual({
      'glibc.x86_64': 'CRITICAL',
      'kernel.x86_64': 'CRITICAL',
      'tzdata.noarch': 'LOW',
      KB5000001: 'HIGH',
      KB5000002: 'HIGH',
      KB5000003: 'MEDIUM',
    });
  });

  it('cve-evidence finds the nodes carrying a CVE', async () => {
    for (const cve of ['CVE-2026-0002', 'CVE-2026-1001', 'CVE-2026-0003']) {
      const expected = allNodes().flatMap((n) =>
        n.patches
          .filter((p) => p.CVEIds?.split(',').includes(cve))
          .map((p) => [n.info.InstanceId, p.KBId, p.State]),
      );
      const rows = await report('cve-evidence', { cve });
      expect(rows.map((r) => [r.node_id, r.patch_id, r.state])).toEqual(expected);
    }
  });

  it('overdue-patches starts a patch at its release when the first collection already found it missing', async () => {
    // Scanned 2026-10-30; evaluated 2026-10-31. Without the catalogue every open item is 1 day old. With it,
    // a security item the catalogue dates is counted from its release: KB5000001 (2026-10-01, 30 days),
    // KB5000002 (2026-09-20, 41 days), kernel (2026-10-05, 26 days); glibc is not in the catalogue: 1 day.
    const rows = await report('overdue-patches', { minDays: 0 });
    expect(
      rows.map((r) => [r.node_id, r.patch_id, r.first_seen_noncompliant, r.start_basis, r.days_outstanding]),
    ).toEqual([
      ['mi-0bbbbbbbbbbbbbbb1', 'KB5000002', '2026-09-20T00:00:00Z', 'release-date', 41],
      ['mi-0bbbbbbbbbbbbbbb1', 'KB5000001', '2026-10-01T00:00:00Z', 'release-date', 30],
      ['i-0aaaaaaaaaaaaaaa1', 'kernel.x86_64', '2026-10-05T00:00:00Z', 'release-date', 26],
      ['i-0aaaaaaaaaaaaaaa1', 'glibc.x86_64', '2026-10-30T02:03:00Z', 'first-seen', 1],
    ]);
    // The default threshold (14 days) keeps the three dated by release.
    expect((await report('overdue-patches')).map((r) => r.patch_id)).toEqual([
      'KB5000002',
      'KB5000001',
      'kernel.x86_64',
    ]);
  });

  afterAll(() => engine?.close());
});

// ---- Throttling, interruption, errors ----------------------------------------------------------------------

describe('collect under pressure', () => {
  it('retries a throttled page and resumes its paginator at that page', async () => {
    const outDir = await tempDir();
    mock.failures.set('DescribeInstancePatches', {
      error: awsError('ThrottlingException', 'Rate exceeded'),
      times: 2,
      when: (input) => input.InstanceId === 'i-0aaaaaaaaaaaaaaa1' && input.NextToken === 'token-2',
    });
    mock.failures.set('DescribeInstancePatchStates', {
      error: awsError('ThrottlingException', 'Rate exceeded'),
      times: 1,
    });
    await collectFleet(options(outDir, { regions: ['us-east-1'] }));
    // Page 1 once, page 2 three times (two throttled), never page 1 again.
    const node1 = mock.requests.filter(
      (r) => r.command === 'DescribeInstancePatches' && r.input.InstanceId === 'i-0aaaaaaaaaaaaaaa1',
    );
    expect(node1.map((r) => r.input.NextToken)).toEqual([undefined, 'token-2', 'token-2', 'token-2']);
    const items = (await tree(outDir))[
      `AWS:ComplianceItem/accountid=${ACCOUNT}/region=us-east-1/resourcetype=ManagedInstanceInventory/i-0aaaaaaaaaaaaaaa1.json`
    ]!;
    expect(items.trimEnd().split('\n')).toHaveLength(4);
  });

  it('gives up on throttling after the bounded attempts, with what to do', async () => {
    const outDir = await tempDir();
    mock.failures.set('GetPatchBaseline', {
      error: awsError('ThrottlingException', 'Rate exceeded'),
      times: 100,
    });
    const error = await collectFleet(options(outDir, { regions: ['us-east-1'], throttleAttempts: 3 })).catch(
      (e: unknown) => e,
    );
    expect(isPatchboardError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /ssm:GetPatchBaseline in us-east-1 was still throttled after every retry .*Lower --max-rps/,
    );
    expect(mock.requests.filter((r) => r.command === 'GetPatchBaseline')).toHaveLength(3);
  });

  it('an interrupted collection continues where it stopped and ends with the same files', async () => {
    const expected = await uninterruptedTree();
    installMocks();
    const resumed = await tempDir();
    // The run dies on the 40th node of eu-west-1 (a fault no retry helps), after us-east-1 and 39 nodes.
    const failingNode = FLEET['eu-west-1']![39]!.info.InstanceId;
    mock.failures.set('DescribeInstancePatches', {
      error: awsError('InternalServerError', 'boom'),
      times: 1,
      when: (input) => input.InstanceId === failingNode,
    });
    const first = await collectFleet(options(resumed)).catch((e: unknown) => e);
    expect(isPatchboardError(first)).toBe(true);
    expect((first as Error).message).toMatch(
      /ssm:DescribeInstancePatches in eu-west-1 failed: InternalServerError/,
    );

    // A kill while a file was being written leaves its temporary copy behind; the next run clears it away.
    await mkdir(temporaryFolder(resumed), { recursive: true });
    await writeFile(join(temporaryFolder(resumed), 'torn'), '{"Id":"kern');

    mock.requests = [];
    const second = await collectFleet(options(resumed, { now: Date.parse('2026-10-31T01:00:00Z') }));
    expect(await readdir(temporaryFolder(resumed))).toEqual([]);
    expect(second.resumed).toBe(true);
    expect(second.regions.map((r) => [r.region, r.fetched, r.alreadyDone])).toEqual([
      ['us-east-1', 0, 5],
      ['eu-west-1', 21, 39],
    ]);
    // Nodes already done are not fetched again, nor is anything of the finished Region, nor the node listing.
    const asked = new Set(
      mock.requests.flatMap((r) => (typeof r.input.InstanceId === 'string' ? [r.input.InstanceId] : [])),
    );
    expect([...asked].sort()).toEqual(
      FLEET['eu-west-1']!.slice(39)
        .map((n) => n.info.InstanceId)
        .sort(),
    );
    expect(mock.requests.filter((r) => r.region === 'us-east-1')).toEqual([]);
    expect(mock.requests.filter((r) => r.command === 'DescribeInstanceInformation')).toEqual([]);
    // Both Regions' instance lists were finished before the run died: neither is listed again.
    expect(mock.requests.filter((r) => r.command === 'DescribeInstances')).toEqual([]);
    const stateBatches = mock.requests.filter(
      (r) => r.command === 'DescribeInstancePatchStates' && r.input.NextToken === undefined,
    );
    expect(stateBatches.map((r) => (r.input.InstanceIds as string[]).length)).toEqual([21]);
    // The second run's later clock changes nothing: the state keeps the first run's start time.
    expect(await tree(resumed)).toEqual(expected);
  });

  it('AccessDenied names the permission that is missing', async () => {
    const outDir = await tempDir();
    mock.failures.set('DescribeInstancePatchStates', {
      error: awsError(
        'AccessDeniedException',
        'User: arn:aws:iam::111122223333:role/x is not authorized to perform: ssm:DescribeInstancePatchStates',
      ),
      times: 1,
    });
    const error = await collectFleet(options(outDir)).catch((e: unknown) => e);
    expect(isPatchboardError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^Access denied: the credentials may not call ssm:DescribeInstancePatchStates in us-east-1 .*Grant ssm:DescribeInstancePatchStates/,
    );
  });

  it('a missing account identity is a clear error', async () => {
    stsMock.reset();
    stsMock.on(GetCallerIdentityCommand).rejects(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
    );
    const error = await collectFleet(options(await tempDir())).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^No AWS credentials were found for sts:GetCallerIdentity in us-east-1 .*--profile/,
    );
  });
});

// ---- The EC2 instance list ---------------------------------------------------------------------------------

/** `patchboard <args>` in this process (so the mocks answer), with what it wrote to standard error. */
async function cli(...args: string[]): Promise<{ code: number; stderr: string }> {
  const err: string[] = [];
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  try {
    const code = await main(['node', 'patchboard', ...args]);
    return { code, stderr: err.join('') };
  } finally {
    stderr.mockRestore();
  }
}

const ec2Files = (files: Record<string, string>) =>
  Object.keys(files).filter((k) => k.startsWith('Custom:PatchboardEc2'));

describe('the EC2 instance list', () => {
  const refusal = () =>
    awsError(
      'UnauthorizedOperation',
      'You are not authorized to perform this operation. User: arn:aws:iam::111122223333:role/x is not authorized to perform: ec2:DescribeInstances because no identity-based policy allows the ec2:DescribeInstances action',
    );

  it('a collection interrupted while listing instances lists again only the Region not finished', async () => {
    const expected = await uninterruptedTree();
    installMocks();
    const resumed = await tempDir();
    mock.failures.set('DescribeInstances', {
      error: awsError('InternalServerError', 'boom'),
      times: 1,
      when: (input, region) => region === 'eu-west-1' && input.NextToken === `token-${2 * EC2_PAGE}`,
    });
    const first = await collectFleet(options(resumed)).catch((e: unknown) => e);
    expect((first as Error).message).toMatch(
      /^ec2:DescribeInstances in eu-west-1 failed: InternalServerError/,
    );
    // The instance list goes first: nothing of SSM was asked before it failed.
    expect(mock.requests.filter((r) => r.command !== 'DescribeInstances')).toEqual([]);

    mock.requests = [];
    const second = await collectFleet(options(resumed));
    const listing = mock.requests.filter((r) => r.command === 'DescribeInstances');
    expect(listing.map((r) => [r.region, r.input.NextToken])).toEqual(
      Array.from({ length: Math.ceil(ec2Instances('eu-west-1').length / EC2_PAGE) }, (_, i) => [
        'eu-west-1',
        i === 0 ? undefined : `token-${EC2_PAGE * i}`,
      ]),
    );
    expect(second.regions.map((r) => [r.region, r.instances])).toEqual([
      ['us-east-1', ec2Instances('us-east-1').length],
      ['eu-west-1', ec2Instances('eu-west-1').length],
    ]);
    expect(await tree(resumed)).toEqual(expected);
  });

  it('a throttled DescribeInstances page is asked again from that page', async () => {
    const outDir = await tempDir();
    mock.failures.set('DescribeInstances', {
      error: awsError('RequestLimitExceeded', 'Request limit exceeded.'),
      times: 2,
      when: (input) => input.NextToken === `token-${EC2_PAGE}`,
    });
    const summary = await collectFleet(options(outDir, { regions: ['us-east-1'] }));
    expect(
      mock.requests.filter((r) => r.command === 'DescribeInstances').map((r) => r.input.NextToken),
    ).toEqual([undefined, 'token-5', 'token-5', 'token-5']);
    expect(summary.regions[0]!.instances).toBe(ec2Instances('us-east-1').length);
  });

  it('refused, it stops with one line naming the Region, ec2:DescribeInstances and --no-instances', async () => {
    const outDir = await tempDir();
    mock.failures.set('DescribeInstances', {
      error: refusal(),
      times: 1,
      when: (_, region) => region === 'eu-west-1',
    });
    const error = await collectFleet(options(outDir)).catch((e: unknown) => e);
    expect(isPatchboardError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^Access denied: the credentials may not call ec2:DescribeInstances in eu-west-1 \(AWS said: You are not authorized .*\)\. Grant ec2:DescribeInstances to the role or user .*, or run collect again with --no-instances to go on without the EC2 instance list/,
    );
    // It stopped before any SSM call, not after the long part.
    expect(mock.requests.filter((r) => r.command !== 'DescribeInstances')).toEqual([]);

    // The command prints it as one line and fails.
    installMocks();
    mock.failures.set('DescribeInstances', { error: refusal(), times: 1 });
    const run = await cli('--out', await tempDir(), 'collect', '--regions', 'us-east-1', '--max-rps', '1000');
    expect(run.code).toBe(EXIT_FAILURE);
    expect(run.stderr).toMatch(
      /^patchboard: Access denied: the credentials may not call ec2:DescribeInstances in us-east-1 [^\n]*--no-instances[^\n]*\n$/,
    );
  });

  it('--no-instances collects without asking EC2; without it the summary counts the instances', async () => {
    const skipped = await tempDir();
    // EC2 would refuse: the run must not ask it.
    mock.failures.set('DescribeInstances', { error: refusal(), times: 100 });
    const run = await cli(
      '--out',
      skipped,
      'collect',
      '--regions',
      'us-east-1,eu-west-1',
      '--no-instances',
      '--max-rps',
      '1000',
    );
    expect(run.code).toBe(EXIT_OK);
    expect(mock.requests.filter((r) => r.command === 'DescribeInstances')).toEqual([]);
    const files = await tree(skipped);
    expect(ec2Files(files)).toEqual([]);
    expect(Object.keys(files).filter((k) => k.startsWith('AWS:InstanceInformation/'))).toHaveLength(
      allNodes().length,
    );
    expect(run.stderr).toContain(
      `Collected account ${ACCOUNT} us-east-1: 5 nodes (5 fetched now, 0 already done)`,
    );
    expect(run.stderr).not.toContain('EC2 instances');

    installMocks();
    const listed = await tempDir();
    const withInstances = await cli(
      '--out',
      listed,
      'collect',
      '--regions',
      'us-east-1',
      '--max-rps',
      '1000',
    );
    expect(withInstances.code).toBe(EXIT_OK);
    expect(withInstances.stderr).toContain(
      `catalogue patches, ${ec2Instances('us-east-1').length} EC2 instances (${EC2_ONLY['us-east-1']!.length} not in SSM's node list)\n`,
    );
    expect(ec2Files(await tree(listed))).toHaveLength(
      ec2Instances('us-east-1').length + ec2Instances('us-east-1').filter((i) => i.tags.length > 0).length,
    );
  });
});

describe('parseRegions', () => {
  it('reads a comma-separated list and refuses what is no Region', () => {
    expect(parseRegions('us-east-1, eu-west-1,us-east-1,')).toEqual(['us-east-1', 'eu-west-1']);
    expect(() => parseRegions('us-east-1,Ireland')).toThrow(
      /--regions "us-east-1,Ireland" is not a list of Regions \("Ireland"\)/,
    );
    expect(() => parseRegions(',')).toThrow(/give e.g. --regions us-east-1,eu-west-1/);
  });
});
