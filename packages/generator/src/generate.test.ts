import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFleet, type GenerateSummary } from './generate.js';
import {
  type Bucket,
  deriveTruth,
  field,
  KEY_PATTERN,
  type Line,
  listFiles,
  patchState,
  readBucket,
} from './test-support.js';
import { readTruth, type TruthMeta, type TruthNode } from './truth.js';

const AT = '2026-10-31T12:00:00Z';
const PREFIX = 'ssm-inventory';
let root: string;
let out: string;
let summary: GenerateSummary;
let bucket: Bucket;
let meta: TruthMeta;
let truth: TruthNode[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'patchboard-generator-'));
  out = join(root, 'fleet');
  // With the robustness layer: the truth must still be read back from files carrying every quirk.
  summary = await generateFleet({
    outDir: out,
    nodes: 2000,
    regions: 2,
    seed: 3,
    at: AT,
    prefix: PREFIX,
    quirks: true,
  });
  bucket = readBucket(join(out, 'bucket'));
  ({ meta, nodes: truth } = await readTruth(out));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const nodeKey = (n: TruthNode) => `${n.accountId}/${n.region}/${n.nodeId}`;
const share = (predicate: (n: TruthNode) => boolean) => truth.filter(predicate).length / truth.length;

describe('a single snapshot', () => {
  it('lays out every object as the sync does, with a test.json probe per account', () => {
    const probes = bucket.keys.filter((key) => key.endsWith('/test.json'));
    expect(probes.sort()).toEqual(
      meta.accounts.map((a) => `${PREFIX}/AWS:InstanceInformation/accountid=${a.accountId}/test.json`).sort(),
    );
    for (const key of bucket.keys.filter((k) => !k.endsWith('/test.json'))) {
      const match = KEY_PATTERN.exec(key);
      expect(match, key).not.toBeNull();
      expect(match?.[1]).toBe(PREFIX);
      expect(match?.[5]).toBe('ManagedInstanceInventory');
    }
    expect(summary.files).toBe(bucket.keys.length);
    expect(meta.files).toBe(bucket.keys.length);
    expect(meta.accounts.map((a) => [a.accountId, a.name, a.environment])).toEqual([
      ['111111111111', 'prod', 'prod'],
      ['022222222222', 'staging', 'staging'],
      ['333333333333', 'dev', 'dev'],
    ]);
    expect(meta.regions).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('writes a truth that the files themselves bear out, node by node', () => {
    expect(truth).toHaveLength(2000);
    expect(bucket.nodes.size).toBe(2000);
    for (const node of truth) {
      const files = bucket.nodes.get(nodeKey(node));
      expect(files, node.nodeId).toBeDefined();
      if (files) expect(deriveTruth(files, Date.parse(AT)), node.nodeId).toEqual(node);
    }
  });

  it('writes lines the way the agent does: ids in every line, summaries that add up', () => {
    // Problems are collected rather than asserted one by one: 2,000 nodes make over 100,000 checks.
    const problems: string[] = [];
    const check = (holds: boolean, problem: string) => {
      if (!holds) problems.push(problem);
    };
    for (const node of bucket.nodes.values()) {
      for (const [type, lines] of node.lines) {
        for (const line of lines) {
          check(field(line, 'resourceId') === node.nodeId, `${type} ${node.nodeId}: resourceId`);
          check(
            /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(String(field(line, 'captureTime'))),
            `${type}: captureTime`,
          );
          check(!('accountId' in line) && !('region' in line), `${type}: account or Region in the body`);
        }
      }
      const items = (node.lines.get('AWS:ComplianceItem') ?? []).filter((l) => l.ComplianceType === 'Patch');
      const summary = node.lines.get('AWS:PatchSummary')?.[0];
      if (!summary) {
        check(
          items.length === 0 && !node.lines.has('AWS:ComplianceSummary'),
          `${node.nodeId}: patch data without summary`,
        );
        continue;
      }
      check(items.length >= 10 && items.length <= 40, `${node.nodeId}: ${items.length} patch items`);
      const states = items.map((l) => patchState(l.PatchState));
      const count = (state: string) => states.filter((s) => s === state).length;
      const nonCompliant = items.filter((_, i) =>
        ['Missing', 'Failed', 'InstalledPendingReboot', 'InstalledRejected'].includes(states[i] ?? ''),
      );
      const security = (l: Line) =>
        ['security', 'securityupdates', 'criticalupdates'].includes(String(l.Classification).toLowerCase());
      const written = [
        'InstalledCount',
        'InstalledOtherCount',
        'MissingCount',
        'FailedCount',
        'InstalledPendingRebootCount',
        'InstalledRejectedCount',
        'CriticalNonCompliantCount',
        'SecurityNonCompliantCount',
        'OtherNonCompliantCount',
      ].map((name) => Number(summary[name]));
      const counted = [
        count('Installed'),
        count('InstalledOther'),
        count('Missing'),
        count('Failed'),
        count('InstalledPendingReboot'),
        count('InstalledRejected'),
        nonCompliant.filter((l) => l.Severity === 'CRITICAL').length,
        nonCompliant.filter(security).length,
        nonCompliant.filter((l) => l.Severity !== 'CRITICAL' && !security(l)).length,
      ];
      check(
        written.join() === counted.join(),
        `${node.nodeId}: PatchSummary ${written.join()} vs items ${counted.join()}`,
      );
      check(
        (summary.NonCompliantSeverity !== undefined) === nonCompliant.length > 0,
        `${node.nodeId}: NonCompliantSeverity`,
      );
      check(
        count('InstalledPendingReboot') === 0 || summary.RebootOption === 'NoReboot',
        `${node.nodeId}: RebootOption`,
      );
      for (const [i, line] of items.entries()) {
        const state = states[i] ?? '';
        const missingOrFailed = state === 'Missing' || state === 'Failed';
        check(
          line.CVEIds === undefined || missingOrFailed,
          `${node.nodeId} ${String(line.Id)}: CVEIds when ${state}`,
        );
        check(
          (line.InstalledTime === '') === missingOrFailed,
          `${node.nodeId} ${String(line.Id)}: InstalledTime`,
        );
        check(
          line.Status === (nonCompliant.includes(line) ? 'NON_COMPLIANT' : 'COMPLIANT'),
          `${node.nodeId} ${String(line.Id)}: Status`,
        );
      }
      const patchSummary = node.lines.get('AWS:ComplianceSummary')?.find((l) => l.ComplianceType === 'Patch');
      check(
        patchSummary?.Status === (nonCompliant.length > 0 ? 'NON_COMPLIANT' : 'COMPLIANT') &&
          Number(patchSummary.NonCompliantCriticalCount) === Number(summary.CriticalNonCompliantCount),
        `${node.nodeId}: ComplianceSummary`,
      );
    }
    expect(problems).toEqual([]);
  });

  it('shapes the fleet like the seeds: statuses, platforms, tags, ids', () => {
    const status = (s: string) => share((n) => n.status === s);
    expect(status('COMPLIANT')).toBeGreaterThan(0.5);
    expect(status('COMPLIANT')).toBeLessThan(0.7);
    expect(status('NON_COMPLIANT')).toBeGreaterThan(0.15);
    expect(status('NON_COMPLIANT')).toBeLessThan(0.3);
    for (const s of ['STALE', 'NOT_SCANNED']) expect(status(s)).toBeGreaterThan(0.02);
    expect(status('INACTIVE')).toBeGreaterThan(0.04);
    const nonCompliant = truth.filter((n) => n.status === 'NON_COMPLIANT');
    expect(
      nonCompliant.some((n) => n.pendingReboot > 0 && n.missing + n.failed + n.installedRejected === 0),
    ).toBe(true);
    expect(nonCompliant.some((n) => n.failed > 0)).toBe(true);
    expect(nonCompliant.some((n) => n.installedRejected > 0)).toBe(true);
    expect(truth.some((n) => n.status === 'INACTIVE' && n.nonCompliantPatchIds.length > 0)).toBe(true);
    expect(truth.some((n) => n.status === 'NOT_SCANNED' && n.lastScanTime === null)).toBe(true);
    expect(truth.some((n) => n.instanceStatus === null)).toBe(true);
    expect(truth.some((n) => n.instanceStatus === 'ConnectionLost')).toBe(true);
    expect(truth.some((n) => n.associationNonCompliant && n.status === 'COMPLIANT')).toBe(true);

    expect(share((n) => n.platformType === 'Windows')).toBeGreaterThan(0.12);
    // Every platform family the agent model covers (docs/data-format.md).
    expect([...new Set(truth.map((n) => `${n.platformName} ${n.platformVersion}`))].sort()).toEqual([
      'Amazon Linux 2',
      'Amazon Linux 2023',
      'Debian GNU/Linux 12',
      'Microsoft Windows Server 2019 Datacenter 10.0.17763',
      'Microsoft Windows Server 2022 Datacenter 10.0.20348',
      'Oracle Linux Server 9.4',
      'Red Hat Enterprise Linux 9.4',
      'SLES 15.5',
      'Ubuntu 22.04',
      'Ubuntu 24.04',
    ]);
    expect(share((n) => n.team === null)).toBeGreaterThan(0.03);
    expect(share((n) => n.patchGroup === null)).toBeGreaterThan(0.02);
    expect(truth.filter((n) => n.name === '<img src=x onerror=alert(1)>')).toHaveLength(1);
    expect(truth.filter((n) => n.team?.startsWith('=HYPERLINK(') === true)).toHaveLength(1);

    const ids = truth.map((n) => n.nodeId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(i|mi)-[0-9a-f]{17}$/);
    expect(share((n) => n.nodeId.startsWith('mi-'))).toBeGreaterThan(0.01);
    const customBaselines = meta.baselines.filter((b) => b.patchGroup !== null);
    expect(customBaselines.map((b) => b.patchGroup)).toEqual([
      'prod-linux',
      'nonprod-linux',
      'prod-windows',
      'nonprod-windows',
    ]);
    for (const b of customBaselines) expect(b.baselineId).toMatch(/^pb-0[0-9a-f]{16}$/);
    for (const node of truth.filter((n) => n.baselineId !== null && n.patchGroup === null)) {
      expect(node.baselineId).toMatch(/^arn:aws:ssm:[a-z0-9-]+:aws:patchbaseline\/pb-0[0-9a-f]{16}$/);
    }
  });

  it('carries every formatting quirk on a small share of files, and counts them right', () => {
    const texts = [...bucket.nodes.values()].flatMap((node) => [...node.texts]);
    const files = texts.length;
    const counted = {
      bom: texts.filter(([, t]) => t.startsWith('\ufeff')).length,
      crlf: texts.filter(([, t]) => t.includes('\r\n')).length,
      blankLines: texts.filter(([, t]) => /\n\r?\n./s.test(t)).length,
      upperCaseStates: [...bucket.nodes.values()]
        .flatMap((node) => node.lines.get('AWS:ComplianceItem') ?? [])
        .filter((l) => l.PatchState === 'MISSING' || l.PatchState === 'INSTALLED_PENDING_REBOOT').length,
      keyCaseVariants: texts.filter(([, t]) => t.includes('"ResourceId":')).length,
      emptyFiles: texts.filter(([, t]) => t === '').length,
      numericCounts: [...bucket.nodes.values()].filter(
        (node) => typeof node.lines.get('AWS:PatchSummary')?.[0]?.MissingCount === 'number',
      ).length,
    };
    expect(counted).toEqual(meta.quirks);
    for (const [quirk, count] of Object.entries(meta.quirks)) {
      expect(count, quirk).toBeGreaterThan(0);
      expect(count / files, quirk).toBeLessThan(0.08);
    }
    expect(texts.filter(([, t]) => t !== '' && !t.endsWith('\n')).length).toBeGreaterThan(0);
  });
});

describe('determinism', () => {
  const digest = async (dir: string) => {
    const hash = createHash('sha256');
    for (const key of listFiles(dir)) hash.update(key).update(await readFile(join(dir, key)));
    return hash.digest('hex');
  };

  it('writes the same bytes for the same options and other bytes for another seed', async () => {
    const options = { nodes: 80, days: 2, seed: 5, at: AT };
    await generateFleet({ ...options, outDir: join(root, 'a') });
    await generateFleet({ ...options, outDir: join(root, 'b') });
    await generateFleet({ ...options, seed: 6, outDir: join(root, 'c') });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((dir) => digest(join(root, dir))));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('refuses options it cannot honour', async () => {
    await expect(generateFleet({ outDir: join(root, 'x'), nodes: 0 })).rejects.toThrow(RangeError);
    await expect(generateFleet({ outDir: join(root, 'x'), regions: 99 })).rejects.toThrow(RangeError);
    await expect(generateFleet({ outDir: join(root, 'x'), at: 'yesterday' })).rejects.toThrow(RangeError);
  });
});
