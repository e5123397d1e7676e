/**
 * AWS Config snapshots in a bucket: the newest snapshot per account and Region becomes the EC2 instance list,
 * which makes instances without an agent UNMANAGED and stopped ones INACTIVE. Snapshots written by hand here,
 * in the shapes Config writes, including what a hostile member account could put in one.
 */
import { gzipSync } from 'node:zlib';
import { compileReport, DEFAULT_POLICY, memorySource, type QueryEngine } from '@patchboard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbQueryEngine, ingest, openDatabase, type OpenedDatabase } from '../src/index.js';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const NOW = '2026-11-22T12:00:00Z';
const MANAGED = 'i-0aaaaaaaaaaaaaaa1';
const RUNNING = 'i-0bbbbbbbbbbbbbbb2';
const STOPPED = 'i-0ccccccccccccccc3';
const GONE = 'i-0ddddddddddddddd4';

const snapshotKey = (day: number, stamp: string, account = ACCOUNT, region = REGION) =>
  `AWSLogs/${account}/Config/${region}/2026/11/${day}/ConfigSnapshot/${account}_Config_${region}_ConfigSnapshot_${stamp}_0d5a7c2e-1b7f-4d1e-9a4c-5e2f7d1c3b9a.json.gz`;

const ec2Item = (
  id: string,
  state: string,
  tags: Record<string, string>,
  extra: Record<string, unknown> = {},
) => ({
  configurationItemVersion: '1.3',
  configurationItemCaptureTime: '2026-11-20T08:00:00.000Z',
  configurationStateId: 1,
  awsAccountId: ACCOUNT,
  configurationItemStatus: 'OK',
  resourceType: 'AWS::EC2::Instance',
  resourceId: id,
  ARN: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${id}`,
  awsRegion: REGION,
  availabilityZone: `${REGION}a`,
  tags,
  configuration: {
    instanceId: id,
    imageId: 'ami-0123456789abcdef0',
    instanceType: 't3.micro',
    launchTime: '2026-10-01T09:00:00.000Z',
    platformDetails: 'Linux/UNIX',
    state: { code: state === 'running' ? 16 : 80, name: state },
    tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
  },
  relationships: [],
  supplementaryConfiguration: {},
  ...extra,
});
const ruleVerdict = (id: string, compliance: string) => ({
  resourceType: 'AWS::Config::ResourceCompliance',
  resourceId: `AWS::EC2::Instance/${id}`,
  awsAccountId: ACCOUNT,
  awsRegion: REGION,
  configurationItemCaptureTime: '2026-11-20T08:00:00.000Z',
  configuration: {
    targetResourceId: id,
    targetResourceType: 'AWS::EC2::Instance',
    complianceType: compliance,
    configRuleList: [
      {
        configRuleName: 'OrgConfigRule-ec2-instance-managed-by-systems-manager-x1y2',
        complianceType: compliance,
      },
    ],
  },
});
const snapshot = (items: unknown[]) =>
  gzipSync(JSON.stringify({ fileVersion: '1.0', configSnapshotId: 'a-b-c', configurationItems: items }));

/** One managed node with a fresh agent and a clean scan, as the sync writes it. */
const managedNode = {
  [`AWS:InstanceInformation/accountid=${ACCOUNT}/region=${REGION}/resourcetype=EC2Instance/${MANAGED}.json`]:
    JSON.stringify({
      resourceId: MANAGED,
      captureTime: '2026-11-22T06:00:00Z',
      schemaVersion: '1.0',
      InstanceId: MANAGED,
      PlatformName: 'Amazon Linux',
      PlatformType: 'Linux',
      InstanceStatus: 'Active',
    }),
  [`AWS:PatchSummary/accountid=${ACCOUNT}/region=${REGION}/resourcetype=EC2Instance/${MANAGED}.json`]:
    JSON.stringify({
      resourceId: MANAGED,
      captureTime: '2026-11-22T06:00:00Z',
      schemaVersion: '1.0',
      BaselineId: 'pb-0123456789abcdef0',
      MissingCount: '0',
      FailedCount: '0',
      OperationEndTime: '2026-11-22T05:00:00Z',
    }),
};

const newest = snapshot([
  ec2Item(MANAGED, 'running', { Name: 'web-1', Team: 'payments' }),
  ec2Item(RUNNING, 'running', {
    Name: '<img src=x onerror=alert(1)>',
    Team: 'payments',
    Environment: 'prod',
  }),
  ec2Item(STOPPED, 'stopped', { Team: 'search' }),
  ruleVerdict(MANAGED, 'COMPLIANT'),
  ruleVerdict(RUNNING, 'NON_COMPLIANT'),
  // What Config would never write: an id that is not an instance's, another account's instance, a repeat.
  ec2Item('../../etc/passwd', 'running', {}),
  { ...ec2Item('i-0eeeeeeeeeeeeeee5', 'running', {}), awsAccountId: '999999999999' },
  ec2Item(RUNNING, 'stopped', {}),
  { resourceType: 'AWS::EC2::SecurityGroup', resourceId: 'sg-1' },
]);
/** The day before: it still lists an instance terminated since; the newest snapshot is the one that counts. */
const older = snapshot([ec2Item(GONE, 'running', {}), ec2Item(RUNNING, 'running', {})]);

describe('AWS Config snapshots as the EC2 instance list', () => {
  let db: OpenedDatabase;
  let engine: QueryEngine;
  const query = async (text: string) => (await engine.run({ sql: text, parameters: [] })).rows;
  const report = async (id: string, params: Record<string, unknown> = {}) =>
    (
      await engine.run(
        compileReport(id, params, { policy: DEFAULT_POLICY, now: Date.parse(NOW), dialect: engine.dialect })
          .query,
      )
    ).rows;

  beforeEach(async () => {
    db = await openDatabase(':memory:');
    engine = new DuckDbQueryEngine(db);
  });
  afterEach(() => engine.close());

  it('reads the newest snapshot per account and Region into instances and tags, and reports bad items', async () => {
    const bucketObjects = {
      ...managedNode,
      [snapshotKey(21, '20261121T031500Z')]: older,
      [snapshotKey(22, '20261122T031500Z')]: newest,
      // Another Region's snapshot that is not a snapshot at all.
      [snapshotKey(22, '20261122T031500Z', ACCOUNT, 'us-east-1')]: gzipSync('{"configurationItems": 5}'),
    };
    const summary = await ingest(db.connection, memorySource('bucket', bucketObjects));
    expect(summary.errors).toBe(4);

    expect(
      await query(`SELECT resourceid, state, platform, source, managedrulecompliance, launchtime
        FROM custom_patchboardec2instance ORDER BY resourceid`),
    ).toEqual([
      {
        resourceid: MANAGED,
        state: 'running',
        platform: 'Linux/UNIX',
        source: 'config',
        managedrulecompliance: 'COMPLIANT',
        launchtime: '2026-10-01T09:00:00Z',
      },
      {
        resourceid: RUNNING,
        state: 'running',
        platform: 'Linux/UNIX',
        source: 'config',
        managedrulecompliance: 'NON_COMPLIANT',
        launchtime: '2026-10-01T09:00:00Z',
      },
      {
        resourceid: STOPPED,
        state: 'stopped',
        platform: 'Linux/UNIX',
        source: 'config',
        managedrulecompliance: null,
        launchtime: '2026-10-01T09:00:00Z',
      },
    ]);
    expect(await query(`SELECT count(*)::INTEGER AS tags FROM custom_patchboardec2tag`)).toEqual([
      { tags: 6 },
    ]);

    const errors = await query(
      `SELECT object_key, line, reason FROM ingest_errors ORDER BY object_key, reason`,
    );
    expect(errors.map((e) => [String(e.object_key).split('/')[3], e.line])).toEqual([
      [REGION, 1],
      [REGION, 1],
      [REGION, 1],
      ['us-east-1', 1],
    ]);
    expect(errors.map((e) => e.reason).join('\n')).toMatch(
      /configurationItems\[5\]: resourceId: an EC2 instance id/,
    );
    expect(errors.map((e) => e.reason).join('\n')).toMatch(
      /account 999999999999, Region eu-west-1 in the snapshot of account 111111111111/,
    );
    expect(errors.map((e) => e.reason).join('\n')).toMatch(
      /i-0bbbbbbbbbbbbbbb2 is listed twice; the first item is kept/,
    );
    expect(errors.map((e) => e.reason).join('\n')).toMatch(
      /no configurationItems array; expected an AWS Config snapshot/,
    );

    // The same bucket again: the snapshots' problems are reported once, not once per ingest.
    await ingest(db.connection, memorySource('bucket', bucketObjects));
    expect(await query(`SELECT count(*)::INTEGER AS n FROM ingest_errors`)).toEqual([{ n: 4 }]);
  });

  it('counts the running instance without an agent UNMANAGED, the stopped one INACTIVE, with EC2 tags', async () => {
    await ingest(
      db.connection,
      memorySource('bucket', { ...managedNode, [snapshotKey(22, '20261122T031500Z')]: newest }),
    );
    expect(
      (await report('node-compliance')).map((r) => [r.node_id, r.status, r.team, r.environment, r.name]),
    ).toEqual([
      [MANAGED, 'COMPLIANT', 'payments', '(untagged)', 'web-1'],
      [RUNNING, 'UNMANAGED', 'payments', 'prod', '<img src=x onerror=alert(1)>'],
      [STOPPED, 'INACTIVE', 'search', '(untagged)', null],
    ]);
    expect(await report('fleet-summary')).toEqual([
      {
        nodes: 3,
        active: 2,
        inactive: 1,
        compliant: 1,
        non_compliant: 0,
        stale: 0,
        not_scanned: 0,
        unmanaged: 1,
        compliance_pct: 50,
        coverage_pct: 50,
      },
    ]);
  });

  it('stores unchanged instances once, and closes the history of an instance that leaves the list', async () => {
    const first = await ingest(
      db.connection,
      memorySource('bucket', { ...managedNode, [snapshotKey(21, '20261121T031500Z')]: older }),
    );
    expect(first.objectsRead).toBe(2 + 2); // the managed node's two objects, two instances (no tags)
    // The next day's snapshot: the terminated instance is gone, another is new, one is unchanged.
    const second = await ingest(
      db.connection,
      memorySource('bucket', {
        ...managedNode,
        [snapshotKey(21, '20261121T031500Z')]: older,
        [snapshotKey(22, '20261122T031500Z')]: snapshot([
          ec2Item(RUNNING, 'running', {}),
          ec2Item(STOPPED, 'stopped', {}),
        ]),
      }),
    );
    expect(second).toMatchObject({ objectsRead: 1, objectsRemoved: 1, objectsUnchanged: 3 });
    expect(
      await query(`SELECT resourceid, valid_to IS NOT NULL AS closed FROM custom_patchboardec2instance_history
        ORDER BY resourceid`),
    ).toEqual([
      { resourceid: RUNNING, closed: false },
      { resourceid: STOPPED, closed: false },
      { resourceid: GONE, closed: true },
    ]);
  });
});
