import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFleet, type GenerateSummary } from './generate.js';
import {
  type Bucket,
  CONFIG_KEY_PATTERN,
  deriveTruth,
  KEY_PATTERN,
  type Line,
  listFiles,
  readBucket,
} from './test-support.js';
import { readTruth, type TruthMeta, type TruthNode } from './truth.js';

const AT = '2026-10-31T00:00:00Z';
const DAY = 86_400_000;
const NODES = 800;
const DAYS = 3;
let root: string;
let summary: GenerateSummary;
const buckets = new Map<string, Bucket>();
const truths = new Map<string, { meta: TruthMeta; nodes: TruthNode[] }>();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'patchboard-generator-unmanaged-'));
  summary = await generateFleet({
    outDir: join(root, 'fleet'),
    nodes: NODES,
    regions: 2,
    days: DAYS,
    seed: 9,
    at: AT,
    prefix: 'ssm-inventory',
    unmanagedPct: 12.5,
  });
  for (const date of summary.snapshots) {
    buckets.set(date, readBucket(join(root, 'fleet', 'days', date)));
    truths.set(date, await readTruth(join(root, 'fleet'), date));
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

const lastDate = () => summary.snapshots.at(-1) ?? '';
const lastTruth = () => truths.get(lastDate())?.nodes ?? [];
const nodeKey = (n: { accountId: string; region: string; nodeId: string }) =>
  `${n.accountId}/${n.region}/${n.nodeId}`;
const configOf = (item: Line | undefined) =>
  item?.configuration as
    | {
        instanceId: string;
        platform?: string;
        platformDetails: string;
        state: { code: number; name: string };
        tags: { key: string; value: string }[];
      }
    | undefined;

/** Every file's key and bytes, in key order; meta files without the fields that did not exist before. */
function digest(dir: string): string {
  const hash = createHash('sha256');
  for (const key of listFiles(dir)) {
    let bytes = readFileSync(join(dir, key));
    if (key.endsWith('.meta.json')) {
      const meta = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
      delete meta.unmanagedPct;
      delete meta.configSnapshots;
      bytes = Buffer.from(`${JSON.stringify(meta, null, 2)}\n`);
    }
    hash.update(key).update(bytes);
  }
  return hash.digest('hex');
}

describe('a fleet without unmanaged instances', () => {
  it('writes exactly the bytes it wrote before unmanagedPct existed', async () => {
    const out = join(root, 'zero');
    await generateFleet({
      outDir: out,
      nodes: 60,
      days: 2,
      regions: 2,
      seed: 11,
      at: '2026-10-31T06:00:00Z',
      prefix: 'inv',
    });
    // A golden digest of a fleet without unmanaged instances, meta files compared without the two fields that
    // unmanagedPct added: a different digest means pct 0 output changed. It was last renewed when the agent
    // model changed (Linux items by package, ten platform families, the robustness layer off by default, so the
    // six never-scanned nodes' empty AWS:ComplianceItem objects went: 1,604 files before, 1,598 now).
    expect(listFiles(out)).toHaveLength(1598);
    expect(digest(out)).toBe('f81a291fc84b414608d9e355c5b5bdfdcda46ea4172b9354ad6cb11512c93b87');
    expect(listFiles(out).filter((key) => key.includes('AWSLogs/'))).toEqual([]);
    const { meta, nodes } = await readTruth(out);
    expect(meta.unmanagedPct).toBe(0);
    expect(meta.configSnapshots).toEqual([]);
    expect(nodes.every((n) => n.managed && n.instanceState === null && n.status !== 'UNMANAGED')).toBe(true);
  });
});

describe('a fleet with 12.5% unmanaged instances over 3 days', () => {
  it('makes exactly round(nodes x pct) EC2 instances unmanaged, the total staying `nodes`', () => {
    const truth = lastTruth();
    expect(truth).toHaveLength(NODES);
    const unmanaged = truth.filter((n) => !n.managed);
    expect(unmanaged).toHaveLength(100);
    expect(summary.unmanaged).toBe(100);
    for (const node of unmanaged) {
      expect(node.nodeId).toMatch(/^i-[0-9a-f]{17}$/);
      expect(node.instanceStatus).toBeNull();
      expect(node.agentVersion).toBeNull();
      expect(['running', 'stopped']).toContain(node.instanceState);
    }
    const stopped = unmanaged.filter((n) => n.instanceState === 'stopped').length;
    expect(stopped).toBeGreaterThan(2);
    expect(stopped).toBeLessThan(25);
    expect(truth.filter((n) => n.status === 'UNMANAGED')).toHaveLength(100 - stopped);
    expect(truth.some((n) => n.managed && n.nodeId.startsWith('mi-') && n.instanceState === null)).toBe(true);
    expect(truths.get(lastDate())?.meta.unmanagedPct).toBe(12.5);
  });

  it('writes no SSM file for an unmanaged instance, and lists it in its account and Region Config snapshot', () => {
    for (const date of summary.snapshots) {
      const bucket = buckets.get(date);
      const ssmIds = new Set(
        (bucket?.keys ?? []).flatMap((key) => {
          const match = KEY_PATTERN.exec(key);
          return match ? [`${match[3]}/${match[4]}/${match[6]}`] : [];
        }),
      );
      const unmanaged = (truths.get(date)?.nodes ?? []).filter((n) => !n.managed);
      expect(unmanaged.length).toBeGreaterThan(95);
      for (const node of unmanaged) {
        expect(ssmIds.has(nodeKey(node)), node.nodeId).toBe(false);
        const snapshot = bucket?.configSnapshots.find((s) =>
          s.key.startsWith(`AWSLogs/${node.accountId}/Config/${node.region}/`),
        );
        const listed = snapshot?.configurationItems.filter(
          (item) => item.resourceType === 'AWS::EC2::Instance' && item.resourceId === node.nodeId,
        );
        expect(listed, `${date} ${node.nodeId}`).toHaveLength(1);
      }
    }
    // Nor in the truth's patch events.
    const events = readFileSync(join(root, 'fleet', 'truth', 'patch-events.ndjson'), 'utf8');
    for (const node of lastTruth().filter((n) => !n.managed))
      expect(events.includes(node.nodeId)).toBe(false);
  });

  it('writes one Config snapshot per account and Region at each copy root, valid gzip JSON with the AWS fields', () => {
    for (const [d, date] of summary.snapshots.entries()) {
      const bucket = buckets.get(date);
      const meta = truths.get(date)?.meta;
      const at = Date.parse(AT) - (DAYS - 1 - d) * DAY;
      const [year, month, day] = date.split('-').map(Number);
      const configKeys = (bucket?.keys ?? []).filter((key) => key.startsWith('AWSLogs/'));
      expect(configKeys).toEqual(meta?.configSnapshots);
      expect(configKeys).toHaveLength(3 * 2);
      expect(meta?.files).toBe(bucket?.keys.length);
      for (const key of configKeys) {
        const match = CONFIG_KEY_PATTERN.exec(key);
        expect(match, key).not.toBeNull();
        expect([match?.[3], match?.[4], match?.[5]].map(Number)).toEqual([year, month, day]);
        expect(match?.[6]).toBe(new Date(at).toISOString().replace(/[-:]/g, '').slice(0, 15) + 'Z');
        const bytes = readFileSync(join(root, 'fleet', 'days', date, key));
        // gzip magic, deflate, and no modification time: the bytes depend on the content only.
        expect([...bytes.subarray(0, 3)]).toEqual([0x1f, 0x8b, 8]);
        expect(bytes.readUInt32LE(4)).toBe(0);
        const document = JSON.parse(gunzipSync(bytes).toString('utf8')) as Record<string, unknown>;
        expect(Object.keys(document)).toEqual(['fileVersion', 'configSnapshotId', 'configurationItems']);
        expect(document.fileVersion).toBe('1.0');
        expect(document.configSnapshotId).toBe(match?.[7]);
      }
      for (const snapshot of bucket?.configSnapshots ?? []) {
        const [, accountId, region] = CONFIG_KEY_PATTERN.exec(snapshot.key) ?? [];
        for (const item of snapshot.configurationItems) {
          expect(item.awsAccountId).toBe(accountId);
          expect(item.awsRegion).toBe(region);
          expect(item.configurationItemVersion).toBe('1.3');
          expect(String(item.configurationItemCaptureTime)).toMatch(
            /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
          );
          expect(Date.parse(String(item.configurationItemCaptureTime))).toBeLessThanOrEqual(at);
          expect(item.configurationStateId).toBe(Date.parse(String(item.configurationItemCaptureTime)));
          expect(item.relationships).toEqual([]);
          expect(item.supplementaryConfiguration).toEqual({});
          if (item.resourceType !== 'AWS::EC2::Instance') continue;
          const configuration = configOf(item);
          expect(item.ARN).toBe(`arn:aws:ec2:${region}:${accountId}:instance/${String(item.resourceId)}`);
          expect(String(item.availabilityZone)).toMatch(new RegExp(`^${region}[abc]$`));
          expect(configuration?.instanceId).toBe(item.resourceId);
          expect(item.tags).toEqual(
            Object.fromEntries((configuration?.tags ?? []).map((t) => [t.key, t.value])),
          );
          expect(['Windows', 'Linux/UNIX', 'Red Hat Enterprise Linux']).toContain(
            configuration?.platformDetails,
          );
          expect(configuration?.platform === 'windows').toBe(configuration?.platformDetails === 'Windows');
          const expectedStatus = {
            running: ['ResourceDiscovered'],
            stopped: ['OK'],
            terminated: ['ResourceDeleted'],
          };
          const state = configuration?.state.name as keyof typeof expectedStatus;
          expect(expectedStatus[state], `${String(item.resourceId)} ${state}`).toContain(
            item.configurationItemStatus,
          );
          expect(configuration?.state.code).toBe({ running: 16, stopped: 80, terminated: 48 }[state]);
        }
      }
    }
  });

  it('lists every EC2 instance, with the state the SSM status says, and terminated ones for 7 days', () => {
    const at = Date.parse(AT);
    const bucket = buckets.get(lastDate());
    const truth = lastTruth();
    for (const node of truth) {
      const listed = bucket?.nodes.get(nodeKey(node))?.config.instance;
      if (node.nodeId.startsWith('mi-')) {
        expect(listed).toBeUndefined();
        continue;
      }
      const state = configOf(listed)?.state.name ?? null;
      expect(state, node.nodeId).toBe(node.instanceState);
      if (node.instanceStatus === 'Stopped') expect(state).toBe('stopped');
      else if (node.instanceStatus === 'Terminated') expect([null, 'terminated']).toContain(state);
      else if (node.managed) expect(state).toBe('running');
      if (state === 'terminated') {
        expect(Date.parse(String(listed?.configurationItemCaptureTime))).toBeGreaterThanOrEqual(at - 7 * DAY);
      }
    }
    // Both kinds of terminated nodes occur: still listed, and dropped from Config but still reported by SSM.
    const terminated = truth.filter((n) => n.instanceStatus === 'Terminated');
    expect(terminated.some((n) => n.instanceState === 'terminated')).toBe(true);
    expect(terminated.some((n) => n.instanceState === null)).toBe(true);
  });

  it('records the two rules verdicts: managed by Systems Manager, and patch compliance from the truth', () => {
    const bucket = buckets.get(lastDate());
    let patchVerdicts = 0;
    for (const node of lastTruth().filter((n) => n.instanceState !== null)) {
      const compliance = bucket?.nodes.get(nodeKey(node))?.config.compliance;
      const rules = new Map(
        ((compliance?.configuration as { configRuleList?: Line[] } | undefined)?.configRuleList ?? []).map(
          (r) => [r.configRuleName, r.complianceType],
        ),
      );
      const expected = new Map<string, string>();
      if (node.instanceState === 'running') {
        expected.set('ec2-instance-managed-by-systems-manager', node.managed ? 'COMPLIANT' : 'NON_COMPLIANT');
      }
      if (node.managed && node.lastScanTime !== null && node.instanceState !== 'terminated') {
        expected.set(
          'ec2-managedinstance-patch-compliance-status-check',
          node.status === 'COMPLIANT' ? 'COMPLIANT' : 'NON_COMPLIANT',
        );
        patchVerdicts++;
      }
      expect(rules, node.nodeId).toEqual(expected);
      if (expected.size === 0) continue;
      expect(compliance?.resourceId).toBe(`AWS::EC2::Instance/${node.nodeId}`);
      const configuration = compliance?.configuration as Record<string, unknown>;
      expect(configuration.targetResourceId).toBe(node.nodeId);
      expect(configuration.targetResourceType).toBe('AWS::EC2::Instance');
      expect(configuration.complianceType).toBe(
        [...expected.values()].includes('NON_COMPLIANT') ? 'NON_COMPLIANT' : 'COMPLIANT',
      );
    }
    expect(patchVerdicts).toBeGreaterThan(500);
  });

  it('keeps an unchanged instance item byte for byte from day to day', () => {
    const first = buckets.get(summary.snapshots[0] ?? '');
    const last = buckets.get(lastDate());
    let same = 0;
    for (const [id, node] of last?.nodes ?? []) {
      const before = first?.nodes.get(id)?.config.instance;
      const after = node.config.instance;
      if (!before || !after) continue;
      if (configOf(before)?.state.name === configOf(after)?.state.name) {
        expect(JSON.stringify(after), id).toBe(JSON.stringify(before));
        same++;
      }
    }
    expect(same).toBeGreaterThan(700);
  });

  it('gives one unmanaged instance hostile tag values', () => {
    const hostile = lastTruth().filter((n) => n.name === '<svg onload=alert(2)>');
    expect(hostile).toHaveLength(1);
    expect(hostile[0]?.managed).toBe(false);
    expect(hostile[0]?.team).toMatch(/^=HYPERLINK\(/);
  });

  it('writes a truth that the files alone bear out, for every node on every day', () => {
    for (const [d, date] of summary.snapshots.entries()) {
      const at = Date.parse(AT) - (DAYS - 1 - d) * DAY;
      const bucket = buckets.get(date);
      const truth = truths.get(date)?.nodes ?? [];
      expect(bucket?.nodes.size).toBe(truth.length);
      for (const node of truth) {
        const files = bucket?.nodes.get(nodeKey(node));
        expect(files, `${date} ${node.nodeId}`).toBeDefined();
        if (files) expect(deriveTruth(files, at), `${date} ${node.nodeId}`).toEqual(node);
      }
    }
  });
});

describe('unmanagedPct', () => {
  it('writes the same bytes for the same options', async () => {
    const options = { nodes: 60, days: 2, seed: 5, at: AT, unmanagedPct: 20 };
    await generateFleet({ ...options, outDir: join(root, 'a') });
    await generateFleet({ ...options, outDir: join(root, 'b') });
    await generateFleet({ ...options, seed: 6, outDir: join(root, 'c') });
    const [a, b, c] = ['a', 'b', 'c'].map((dir) => digest(join(root, dir)));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('at 100 makes every EC2 instance unmanaged and leaves on-premises nodes managed', async () => {
    const out = join(root, 'all');
    await generateFleet({ outDir: out, nodes: 300, seed: 4, at: AT, unmanagedPct: 100 });
    const { nodes } = await readTruth(out);
    expect(nodes).toHaveLength(300);
    const onPremises = nodes.filter((n) => n.nodeId.startsWith('mi-'));
    expect(onPremises.length).toBeGreaterThan(0);
    expect(onPremises.every((n) => n.managed)).toBe(true);
    expect(nodes.filter((n) => !n.managed)).toHaveLength(300 - onPremises.length);
  });

  it('refuses a share outside 0 to 100', async () => {
    for (const unmanagedPct of [-1, 100.5, Number.NaN]) {
      await expect(generateFleet({ outDir: join(root, 'x'), unmanagedPct })).rejects.toThrow(
        /unmanagedPct must be a number from 0 to 100/,
      );
    }
  });
});
