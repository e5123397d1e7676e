/**
 * Writes a synthetic fleet as a copy of a Resource Data Sync bucket: `outDir/bucket` (the last snapshot),
 * `outDir/days/<date>` (every snapshot, with `days > 1`) and `outDir/truth` (the ground truth). Node by node:
 * nothing about the whole fleet is held in memory, so 100,000 nodes fit as well as 800.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baselines, catalogue, type Family, type Patch } from './catalogue.js';
import {
  accountEnvironment,
  accountId,
  DAY,
  type FleetShape,
  NON_COMPLIANT_STATES,
  planNode,
  REGIONS,
} from './fleet.js';
import { type QuirkCounts, snapshotNode } from './records.js';
import type { TruthMeta, TruthPatchEvent } from './truth.js';
import { FileWriter, LineFile } from './write.js';

export interface GenerateOptions {
  outDir: string;
  nodes?: number;
  accounts?: number;
  regions?: number;
  days?: number;
  seed?: number;
  /** ISO instant of the (last) snapshot; default today 00:00:00Z. */
  at?: string;
  prefix?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface GenerateSummary {
  nodes: number;
  files: number;
  bytes: number;
  snapshots: string[];
  truthDir: string;
  bucketDir: string;
}

const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');

function objectKey(
  prefix: string | undefined,
  typeName: string,
  account: string,
  region: string,
  node: string,
): string {
  return `${prefix ? `${prefix}/` : ''}${typeName}/accountid=${account}/region=${region}/resourcetype=ManagedInstanceInventory/${node}.json`;
}

function validate(
  options: GenerateOptions,
): Required<Omit<GenerateOptions, 'prefix' | 'onProgress'>> & { atMs: number } {
  const whole = (name: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`${name} must be a whole number from ${min} to ${max}; got ${value}.`);
    }
    return value;
  };
  const today = new Date();
  const at = options.at ?? iso(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const atMs = Date.parse(at);
  if (Number.isNaN(atMs))
    throw new RangeError(`at must be an ISO-8601 instant such as 2026-10-31T23:00:00Z; got ${at}.`);
  return {
    outDir: options.outDir,
    nodes: whole('nodes', options.nodes ?? 800, 1, 1_000_000),
    accounts: whole('accounts', options.accounts ?? 3, 1, 1000),
    regions: whole('regions', options.regions ?? 1, 1, REGIONS.length),
    days: whole('days', options.days ?? 1, 1, 366),
    seed: whole('seed', options.seed ?? 1, 0, 2 ** 31),
    at,
    atMs,
  };
}

export async function generateFleet(options: GenerateOptions): Promise<GenerateSummary> {
  const o = validate(options);
  const shape: FleetShape = {
    seed: o.seed,
    nodes: o.nodes,
    accounts: o.accounts,
    regions: o.regions,
    days: o.days,
    at: o.atMs,
  };
  const bucketDir = join(o.outDir, 'bucket');
  const truthDir = join(o.outDir, 'truth');
  await rm(bucketDir, { recursive: true, force: true });
  await rm(join(o.outDir, 'days'), { recursive: true, force: true });
  await rm(truthDir, { recursive: true, force: true });
  await mkdir(truthDir, { recursive: true });

  const snapshots = Array.from({ length: o.days }, (_, d) => o.atMs - (o.days - 1 - d) * DAY);
  const dates = snapshots.map((t) => iso(t).slice(0, 10));
  const dayDir = (d: number) => (d === o.days - 1 ? bucketDir : join(o.outDir, 'days', dates[d]!));
  // Releases spread over most of a year, so a diligent node is usually between windows with nothing new.
  const spanDays = Math.max(300, o.days + 60);
  const catalogues = new Map<Family, Patch[]>();
  const patchesFor = (family: Family) => {
    let patches = catalogues.get(family);
    if (!patches) catalogues.set(family, (patches = catalogue(family, o.seed, o.atMs, spanDays)));
    return patches;
  };
  const baselineSets = new Map(
    REGIONS.slice(0, o.regions).map((region) => [region, baselines(o.seed, region)]),
  );

  const writer = new FileWriter();
  const truthFiles = dates.map((date) => new LineFile(join(truthDir, `${date}.nodes.ndjson`)));
  const events = new LineFile(join(truthDir, 'patch-events.ndjson'));
  const quirks: QuirkCounts[] = dates.map(() => ({
    bom: 0,
    crlf: 0,
    blankLines: 0,
    upperCaseStates: 0,
    keyCaseVariants: 0,
    emptyFiles: 0,
    numericCounts: 0,
  }));
  const filesPerDay = dates.map(() => 0);
  const nodesPerDay = dates.map(() => 0);

  for (let index = 0; index < o.nodes; index++) {
    const plan = planNode(shape, index);
    const set = baselineSets.get(plan.region)!;
    const baseline =
      (plan.patchGroup && set.custom.get(plan.patchGroup)) || set.defaults.get(plan.platform.platformType)!;
    const patches = patchesFor(plan.platform.family);
    const previous = new Map<string, { content: string; path: string }>();
    const history = new Map<string, TruthPatchEvent>();
    for (let d = 0; d < o.days; d++) {
      const snapshot = snapshotNode(plan, baseline, patches, snapshots[d]!, quirks[d]!);
      if (!snapshot) continue;
      nodesPerDay[d]!++;
      await truthFiles[d]!.write(JSON.stringify(snapshot.truth));
      for (const [typeName, content] of snapshot.files) {
        const path = join(
          dayDir(d),
          objectKey(options.prefix, typeName, plan.accountId, plan.region, plan.nodeId),
        );
        const before = previous.get(typeName);
        if (before && before.content === content) await writer.link(before.path, path);
        else await writer.write(path, content);
        filesPerDay[d]!++;
        previous.set(typeName, { content, path });
      }
      for (const { patch, state, installedTime } of snapshot.items) {
        const seen = history.get(patch.id);
        if (NON_COMPLIANT_STATES.includes(state) && !seen && snapshot.scanTime !== null) {
          history.set(patch.id, {
            accountId: plan.accountId,
            region: plan.region,
            nodeId: plan.nodeId,
            patchId: patch.id,
            cveIds: [...patch.cveIds],
            severity: baseline.complianceLevel(patch),
            classification: patch.classification,
            releasedAt: iso(patch.releasedAt),
            firstSeenNonCompliant: iso(snapshot.scanTime),
            installedTime: null,
          });
        }
        if (seen)
          seen.installedTime = state === 'Installed' && installedTime !== null ? iso(installedTime) : null;
      }
    }
    for (const event of history.values()) await events.write(JSON.stringify(event));
    if (
      options.onProgress &&
      (index % Math.max(1, Math.floor(o.nodes / 100)) === 0 || index === o.nodes - 1)
    ) {
      options.onProgress(index + 1, o.nodes);
    }
  }

  // The sync's permission probe, in every account of every snapshot.
  for (let d = 0; d < o.days; d++) {
    for (let a = 0; a < o.accounts; a++) {
      const path = join(
        dayDir(d),
        `${options.prefix ? `${options.prefix}/` : ''}AWS:InstanceInformation`,
        `accountid=${accountId(a)}`,
        'test.json',
      );
      await writer.write(path, '{"test":"This object tests the permissions of the resource data sync."}\n');
      filesPerDay[d]!++;
    }
  }
  await writer.flush();
  await Promise.all([...truthFiles.map((f) => f.close()), events.close()]);

  const baselineList = [
    ...new Map(
      [...baselineSets.values()]
        .flatMap((s) => [...s.custom.values(), ...s.defaults.values()])
        .map((b) => [b.baselineId, b]),
    ).values(),
  ];
  for (let d = 0; d < o.days; d++) {
    const meta: TruthMeta = {
      seed: o.seed,
      at: iso(snapshots[d]!),
      date: dates[d]!,
      nodes: nodesPerDay[d]!,
      accounts: Array.from({ length: o.accounts }, (_, a) => ({
        accountId: accountId(a),
        name: `${accountEnvironment(a)}-${a + 1}`,
        environment: accountEnvironment(a),
      })),
      regions: REGIONS.slice(0, o.regions),
      staleAfterDays: 7,
      baselines: baselineList.map((b) => ({
        baselineId: b.baselineId,
        patchGroup: b.patchGroup,
        operatingSystem: b.operatingSystem,
      })),
      files: filesPerDay[d]!,
      quirks: quirks[d]!,
    };
    await writeFile(join(truthDir, `${dates[d]}.meta.json`), `${JSON.stringify(meta, null, 2)}\n`);
  }
  return { nodes: o.nodes, files: writer.files, bytes: writer.bytes, snapshots: dates, truthDir, bucketDir };
}
