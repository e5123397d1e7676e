/**
 * With the robustness layer off (the default), the files are what the SSM Agent and Resource Data Sync write,
 * per platform family (docs/data-format.md cites the sources): Linux items named by package (`name.arch`) with
 * the release in the Title, no CVE ids on apt items, KB ids on Windows, the patch association's item, counts as
 * the agent (strings) and the service (numbers) write them, no formatting quirk anywhere.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFleet } from './generate.js';
import { agentContent } from './records.js';
import { type Bucket, type BucketNode, type Line, readBucket } from './test-support.js';

let root: string;
let bucket: Bucket;
let nodes: BucketNode[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'patchboard-fidelity-'));
  await generateFleet({ outDir: root, nodes: 600, regions: 1, seed: 9, at: '2026-10-31T12:00:00Z' });
  bucket = readBucket(join(root, 'bucket'));
  nodes = [...bucket.nodes.values()];
});
afterAll(() => rm(root, { recursive: true, force: true }));

const platformOf = (node: BucketNode) => String(node.lines.get('AWS:InstanceInformation')?.[0]?.PlatformName);
const patchItems = (node: BucketNode) =>
  (node.lines.get('AWS:ComplianceItem') ?? []).filter((l) => l.ComplianceType === 'Patch');
const family = (node: BucketNode) => {
  const name = platformOf(node);
  if (name.startsWith('Microsoft Windows')) return 'windows';
  return name === 'Ubuntu' || name.startsWith('Debian') ? 'deb' : 'rpm';
};
const byFamily = (kind: string) => nodes.filter((n) => family(n) === kind && patchItems(n).length > 0);

describe('the files as the agent writes them', () => {
  it('carries no quirk of the robustness layer', () => {
    for (const node of nodes) {
      for (const [type, text] of node.texts) {
        expect(text, `${type} ${node.nodeId}`).not.toBe('');
        expect(text.startsWith('\ufeff') || text.includes('\r') || /\n\n/.test(text), type).toBe(false);
        expect(text.endsWith('\n'), type).toBe(true);
        expect(text.includes('"ResourceId":') || text.includes('"CaptureTime":'), type).toBe(false);
      }
      for (const item of patchItems(node)) {
        expect(item.PatchState).toMatch(
          /^(Installed|InstalledOther|Missing|Failed|InstalledPendingReboot|InstalledRejected)$/,
        );
      }
    }
  });

  it('names Linux items by package and release, Windows items by KB', () => {
    for (const node of byFamily('rpm')) {
      for (const item of patchItems(node)) {
        expect(item.Id, node.nodeId).toMatch(/^[A-Za-z0-9._+-]+\.(x86_64|noarch)$/);
        // Title = name.arch:epoch:version-release
        expect(String(item.Title).startsWith(`${String(item.Id)}:`), String(item.Title)).toBe(true);
        expect(String(item.Title).slice(String(item.Id).length + 1)).toMatch(/^\d+:[^:]+-[^:]+$/);
        expect(String(item.Id)).not.toMatch(/^(ALAS|RHSA|RHBA|RHEA)/);
      }
    }
    for (const node of byFamily('deb')) {
      for (const item of patchItems(node)) {
        // apt's architecture, the machine's even for an architecture-independent package.
        expect(item.Id).toMatch(/^[A-Za-z0-9.+-]+\.amd64$/);
        expect(String(item.Title).startsWith(`${String(item.Id)}:`)).toBe(true);
      }
    }
    for (const node of byFamily('windows')) {
      for (const item of patchItems(node)) expect(item.Id).toMatch(/^KB\d+$/);
    }
    expect(byFamily('rpm').length).toBeGreaterThan(100);
    expect(byFamily('deb').length).toBeGreaterThan(30);
    expect(byFamily('windows').length).toBeGreaterThan(30);
  });

  it('writes CVE ids only on Missing or Failed items, and never for apt packages', () => {
    let withCves = 0;
    for (const node of nodes) {
      for (const item of patchItems(node)) {
        if (item.CVEIds === undefined) continue;
        withCves++;
        expect(family(node), node.nodeId).not.toBe('deb');
        expect(['Missing', 'Failed']).toContain(item.PatchState);
        expect(item.CVEIds).toMatch(/^CVE-\d{4}-\d+(,CVE-\d{4}-\d+)*$/);
      }
    }
    expect(withCves).toBeGreaterThan(50);
    // Ubuntu nodes do have missing security patches: the files just do not name their CVEs.
    const ubuntuMissingSecurity = byFamily('deb').flatMap((n) =>
      patchItems(n).filter((i) => i.PatchState === 'Missing' && i.Classification === 'Security'),
    );
    expect(ubuntuMissingSecurity.length).toBeGreaterThan(0);
  });

  it("writes the patch association's item: baseline name, id and counts as DetailedText", () => {
    const associations = nodes.flatMap((node) =>
      (node.lines.get('AWS:ComplianceItem') ?? [])
        .filter((l) => l.DocumentName === 'AWS-RunPatchBaselineAssociation')
        .map((line) => ({ node, line })),
    );
    expect(associations.length).toBeGreaterThan(100);
    const severities = new Set(associations.map(({ line }) => line.Severity));
    expect(severities).toEqual(new Set(['', 'UNSPECIFIED']));
    for (const { node, line } of associations) {
      expect(line.ComplianceType).toBe('Association');
      expect(line.ExecutionId).toBe(line.Id);
      const summary = node.lines.get('AWS:PatchSummary')?.[0];
      expect(line.PatchBaselineId).toBe(summary?.BaselineId);
      expect(String(line.Title)).toMatch(
        /^(patchboard-(prod|nonprod)-(linux|windows)|AWS-[A-Za-z0-9]+PatchBaseline)$/,
      );
      // The operation's summary, counts as strings: the PatchSummary's fields without the sync's.
      const detail = JSON.parse(String(line.DetailedText)) as Record<string, unknown>;
      expect(detail).toEqual(agentContent(summary ?? {}));
      const nonCompliant = patchItems(node).some((i) => i.Status === 'NON_COMPLIANT');
      expect(line.Status).toBe(nonCompliant ? 'NON_COMPLIANT' : 'COMPLIANT');
    }
  });

  it('writes PatchSummary counts as strings, ComplianceSummary counts as numbers, and the Linux security count', () => {
    for (const node of nodes) {
      const summary = node.lines.get('AWS:PatchSummary')?.[0];
      if (!summary) continue;
      for (const [key, value] of Object.entries(summary)) {
        if (key.endsWith('Count')) expect(typeof value, key).toBe('string');
      }
      expect(Number(summary.NotApplicableCount)).toBeGreaterThanOrEqual(300);
      for (const line of node.lines.get('AWS:ComplianceSummary') ?? []) {
        for (const [key, value] of Object.entries(line)) {
          if (key.endsWith('Count')) expect(typeof value, key).toBe('number');
        }
      }
      if (family(node) !== 'windows') {
        const security = patchItems(node).filter(
          (i) => i.Status === 'NON_COMPLIANT' && String(i.Classification).toLowerCase() === 'security',
        ).length;
        expect(summary.SecurityNonCompliantCount, node.nodeId).toBe(String(security));
      }
    }
  });

  it('leaves empty application fields out; Windows names its computer in WORKGROUP and reports a kernel', () => {
    const applications: Line[] = nodes.flatMap((n) => n.lines.get('AWS:Application') ?? []);
    expect(applications.length).toBeGreaterThan(1000);
    for (const app of applications) {
      for (const [key, value] of Object.entries(app)) expect(value, key).not.toBe('');
    }
    for (const node of nodes.filter((n) => family(n) === 'windows')) {
      const info = node.lines.get('AWS:InstanceInformation')?.[0];
      if (info?.ResourceType === 'EC2Instance')
        expect(info.ComputerName).toMatch(/^EC2AMAZ-[0-9A-F]{7}\.WORKGROUP$/);
      for (const app of node.lines.get('AWS:Application') ?? []) expect(app.Architecture).toBe('x86_64');
    }
    for (const node of nodes) {
      const detail = node.lines.get('AWS:InstanceDetailedInformation')?.[0];
      if (detail) expect(detail.KernelVersion, node.nodeId).toMatch(/\S/);
    }
  });
});
