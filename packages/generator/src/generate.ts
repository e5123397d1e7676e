/**
 * Writes a synthetic fleet as copies of a Resource Data Sync bucket: `outDir/bucket` (the last snapshot),
 * `outDir/days/<date>` (every snapshot, when `days > 1`) and `outDir/truth` (the ground truth). Node by node,
 * every day of one node before the next: nothing about the whole fleet is held in memory, so 100,000 nodes
 * fit as well as 800.
 */
import { rmSync, writeFile as writeFileCallback } from 'node:fs';
import { link, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Baselines } from './baselines.js';
import { buildCatalogue, type Catalogue, PATCH_LIFETIME_DAYS, PLATFORMS } from './catalogue.js';
import { DAY, dayNumber, isoDate, isoSeconds } from './clock.js';
import { type ConfigItems, configItems, ec2StateAt, unmanagedTruth } from './config.js';
import { ConfigSnapshots } from './config-snapshots.js';
import {
  account,
  type FleetShape,
  hasHostileTags,
  type NodePlan,
  planNode,
  REGIONS,
  selectUnmanaged,
  withHostileTags,
} from './fleet.js';
import { NodePatching, NON_COMPLIANT_STATES } from './patching.js';
import { CATALOGUE_NODE, CATALOGUE_RESOURCE_TYPE, CATALOGUE_TYPE, catalogueText } from './patch-catalogue.js';
import { writesCveIds } from './records.js';
import { emptyTally, type QuirkTally } from './quirks.js';
import { NodeSnapshots, type NodeSnapshot, TYPE_NAMES, type TypeName } from './snapshot.js';
import { STALE_AFTER_DAYS, type TruthMeta, type TruthPatchEvent } from './truth.js';
import { BoundedTasks, LineFile } from './write.js';

export interface GenerateOptions {
  /** The bucket copy goes to outDir/bucket, the ground truth to outDir/truth. */
  outDir: string;
  /** Default 800. */
  nodes?: number;
  /** Default 3: prod, staging, dev. */
  accounts?: number;
  /** Default 1: us-east-1, then eu-west-1, ap-southeast-2, us-west-2, eu-central-1 ... */
  regions?: number;
  /** Default 1, a single snapshot; more write one bucket copy per day, ending at `at`. */
  days?: number;
  /**
   * Default 1: a copy of every day. 7 writes one copy a week (every 7th day counting back from the last, which
   * is always written), as an ingest run weekly sees the bucket: the same fleet on the same days, generated and
   * ingested in a seventh of the time (the 30-day, 100,000-node dashboard benchmark).
   */
  everyDays?: number;
  /** Default 1. */
  seed?: number;
  /** ISO instant of the (last) snapshot; default today 00:00:00Z. Output is determined by the options. */
  at?: string;
  /** A sync prefix written before AWS:<Type>/, e.g. "ssm-inventory". */
  prefix?: string;
  /**
   * Default 0: the share (0 to 100) of nodes that are EC2 instances with no working SSM Agent, written only to
   * AWS Config snapshots under `AWSLogs/`. Above 0, every snapshot also gets one Config snapshot per account
   * and Region listing all its EC2 instances.
   */
  unmanagedPct?: number;
  /**
   * Default false: files exactly as the SSM Agent and the sync write them. True adds the robustness layer
   * (quirks.ts): BOMs, CRLF, key casing, upper-case states, numeric counts, empty objects.
   */
  quirks?: boolean;
  /**
   * Default true: fleets of 20 nodes or more carry a few hostile tag values (markup, spreadsheet formulas), so
   * tests always exercise output escaping. False gives every node an ordinary Name and Team (the demo).
   */
  hostileTags?: boolean;
  /**
   * Default false. True also writes, in every copy, the patch catalogue as `patchboard collect` would
   * (patch-catalogue.ts): one line per version of every patch, with its release date, per account and Region.
   */
  catalogue?: boolean;
  /** Called every ~1% of nodes. */
  onProgress?: (done: number, total: number) => void;
}

export interface GenerateSummary {
  nodes: number;
  /** Of those, EC2 instances with no working SSM Agent. */
  unmanaged: number;
  /** Files and bytes of the bucket copy (the last snapshot). */
  files: number;
  bytes: number;
  /** Snapshot dates, YYYY-MM-DD, oldest first. */
  snapshots: string[];
  truthDir: string;
  bucketDir: string;
}

interface Settings {
  outDir: string;
  shape: FleetShape;
  prefix: string;
  unmanagedPct: number;
  quirks: boolean;
  catalogue: boolean;
  everyDays: number;
}

/** Concurrent file tasks: enough to keep the disk busy, few enough to bound memory and descriptors. */
const WRITE_CONCURRENCY = 64;
/** Reports reach back this far before the first snapshot (stale and inactive nodes' last operations). */
const REPORT_LOOKBACK_DAYS = 45;

function settle(options: GenerateOptions): Settings {
  const whole = (name: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`${name} must be a whole number from ${min} to ${max}; got ${value}.`);
    }
    return value;
  };
  const now = new Date();
  const at = options.at ?? isoSeconds(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const atMs = Date.parse(at);
  if (Number.isNaN(atMs)) {
    throw new RangeError(`at must be an ISO-8601 instant such as 2026-10-31T23:00:00Z; got ${at}.`);
  }
  const days = whole('days', options.days ?? 1, 1, 366);
  const prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const unmanagedPct = options.unmanagedPct ?? 0;
  if (!Number.isFinite(unmanagedPct) || unmanagedPct < 0 || unmanagedPct > 100) {
    throw new RangeError(`unmanagedPct must be a number from 0 to 100, such as 12.5; got ${unmanagedPct}.`);
  }
  return {
    outDir: options.outDir,
    prefix,
    unmanagedPct,
    quirks: options.quirks ?? false,
    catalogue: options.catalogue ?? false,
    everyDays: whole('everyDays', options.everyDays ?? 1, 1, days),
    shape: {
      seed: whole('seed', options.seed ?? 1, 0, 2 ** 32 - 1),
      nodes: whole('nodes', options.nodes ?? 800, 1, 10_000_000),
      accounts: whole('accounts', options.accounts ?? 3, 1, 10_000),
      regions: whole('regions', options.regions ?? 1, 1, REGIONS.length),
      days,
      at: atMs,
      firstSnapshot: atMs - (days - 1) * DAY,
      hostileTags: options.hostileTags ?? true,
    },
  };
}

const objectKey = (prefix: string, type: string, plan: NodePlan) =>
  `${prefix ? `${prefix}/` : ''}${type}/accountid=${plan.account.accountId}/region=${plan.region}/resourcetype=ManagedInstanceInventory/${plan.nodeId}.json`;

export async function generateFleet(options: GenerateOptions): Promise<GenerateSummary> {
  const {
    outDir,
    shape,
    prefix,
    unmanagedPct,
    quirks,
    catalogue: withCatalogue,
    everyDays,
  } = settle(options);
  const bucketDir = join(outDir, 'bucket');
  const truthDir = join(outDir, 'truth');
  const daysDir = join(outDir, 'days');
  const scratchDir = join(outDir, '.config-items');
  // Synchronously: the asynchronous fs.rm queues every file of the tree at once, gigabytes for a large fleet.
  for (const dir of [bucketDir, truthDir, daysDir, scratchDir]) rmSync(dir, { recursive: true, force: true });
  const withConfig = unmanagedPct > 0;
  const unmanaged = selectUnmanaged(shape, unmanagedPct);
  // One unmanaged instance carries hostile tags, as nodes HOSTILE_NAME_INDEX and HOSTILE_TEAM_INDEX do.
  const hostileUnmanaged = hasHostileTags(shape) ? unmanaged.indexOf(1) : -1;
  const config = new ConfigSnapshots(scratchDir, shape.seed);

  // The fleet evolves over every day; copies are written of every `everyDays`-th day back from the last.
  const times = Array.from({ length: shape.days }, (_, d) => shape.firstSnapshot + d * DAY).filter(
    (_, d) => (shape.days - 1 - d) % everyDays === 0,
  );
  const dates = times.map(isoDate);
  // Each day's own copy; a single snapshot is only the bucket copy.
  const copies = shape.days === 1 ? [bucketDir] : dates.map((date) => join(daysDir, date));
  const regions = REGIONS.slice(0, shape.regions);
  const accounts = Array.from({ length: shape.accounts }, (_, i) => account(i));
  await mkdir(truthDir, { recursive: true });
  await createFolders([...new Set([...copies, bucketDir])], prefix, accounts, regions);

  const fromDay = dayNumber(shape.firstSnapshot) - REPORT_LOOKBACK_DAYS - PATCH_LIFETIME_DAYS - 7;
  const catalogues = new Map(
    PLATFORMS.map((p) => [p.family, buildCatalogue(p, shape.seed, fromDay, shape.at)]),
  );
  const baselines = new Baselines(shape.seed);
  const liveApprovedCache = new Map<string, number>();
  const liveApproved = (catalogue: Catalogue, plan: NodePlan) => {
    const baseline = baselines.forNode(plan.patchGroup, plan.region, plan.platform);
    const cacheKey = `${catalogue.platform.family}/${baseline.kind}`;
    let count = liveApprovedCache.get(cacheKey);
    if (count === undefined) {
      count = catalogue.patches.filter((patch) => {
        const approvedAt = baseline.approvedAt(patch, catalogue.platform.kind);
        return approvedAt !== null && approvedAt <= shape.at && patch.supersededAt > shape.at;
      }).length;
      liveApprovedCache.set(cacheKey, count);
    }
    return count;
  };

  const tasks = new BoundedTasks(WRITE_CONCURRENCY);
  const truthFiles = dates.map((date) => new LineFile(join(truthDir, `${date}.nodes.ndjson`)));
  const eventsFile = new LineFile(join(truthDir, 'patch-events.ndjson'));
  const perDay = dates.map(() => ({ nodes: 0, files: 0, bytes: 0, quirks: emptyTally() }));
  const progressStep = Math.max(1, Math.floor(shape.nodes / 100));
  const reportProgress = (index: number) => {
    if (options.onProgress && ((index + 1) % progressStep === 0 || index + 1 === shape.nodes)) {
      options.onProgress(index + 1, shape.nodes);
    }
  };

  for (let index = 0; index < shape.nodes; index++) {
    if (unmanaged[index] === 1) {
      const plan =
        index === hostileUnmanaged ? withHostileTags(planNode(shape, index)) : planNode(shape, index);
      const items: (ConfigItems | null)[] = [];
      for (const [d, t] of times.entries()) {
        const day = perDay[d];
        if (plan.launchedAt > t || !day) continue;
        const state = ec2StateAt(plan, true, shape, t);
        const truth = unmanagedTruth(plan, state, t);
        day.nodes++;
        await truthFiles[d]?.write(JSON.stringify(truth));
        items[d] =
          state &&
          configItems(plan, shape.seed, { state, managed: false, status: truth.status, lastScan: null });
      }
      await config.addNode(plan.account.accountId, plan.region, items);
      reportProgress(index);
      continue;
    }
    const plan = planNode(shape, index);
    const catalogue = catalogues.get(plan.platform.family);
    if (!catalogue) throw new Error(`no catalogue for ${plan.platform.family}`);
    const baseline = baselines.forNode(plan.patchGroup, plan.region, plan.platform);
    const patching = new NodePatching(plan, baseline, catalogue, shape.at, liveApproved(catalogue, plan));
    const snapshots = new NodeSnapshots(plan, baseline, patching, quirks);
    const contents = new Map<TypeName, (string | undefined)[]>();
    const events = new Map<number, TruthPatchEvent>();
    const items: (ConfigItems | null)[] = [];

    for (let d = 0; d < times.length; d++) {
      const t = times[d] ?? shape.at;
      const state = withConfig ? ec2StateAt(plan, false, shape, t) : null;
      const snapshot = snapshots.at(t, state?.name ?? null);
      const day = perDay[d];
      if (!snapshot || !day) continue;
      if (state) {
        items[d] = configItems(plan, shape.seed, {
          state,
          managed: true,
          status: snapshot.truth.status,
          lastScan: snapshot.reportedAt,
        });
      }
      day.nodes++;
      addQuirks(day.quirks, snapshot.quirks);
      await truthFiles[d]?.write(JSON.stringify(snapshot.truth));
      for (const [type, text] of snapshot.files) {
        let versions = contents.get(type);
        if (!versions) contents.set(type, (versions = new Array<string | undefined>(times.length)));
        versions[d] = text;
        day.files++;
        day.bytes += Buffer.byteLength(text);
      }
      recordEvents(events, plan, snapshot);
    }

    for (const [type, versions] of contents) {
      const key = objectKey(prefix, type, plan);
      await tasks.start(() => writeVersions(key, versions, copies, bucketDir));
    }
    for (const event of events.values()) await eventsFile.write(JSON.stringify(event));
    if (withConfig) await config.addNode(plan.account.accountId, plan.region, items);
    reportProgress(index);
  }

  // The sync's permission probe, in every account of every copy: readers must skip it.
  for (const root of new Set([...copies, bucketDir])) {
    for (const { accountId } of accounts) {
      const path = join(root, prefix, 'AWS:InstanceInformation', `accountid=${accountId}`, 'test.json');
      await tasks.start(() => writeFile(path, PROBE));
    }
  }
  for (const day of perDay) {
    day.files += accounts.length;
    day.bytes += accounts.length * Buffer.byteLength(PROBE);
  }
  if (withCatalogue) {
    for (const [d, root] of copies.entries()) {
      const text = catalogueText(catalogues.values(), times[d] ?? shape.at);
      for (const { accountId } of accounts) {
        for (const region of regions) {
          const folder = join(root, prefix, CATALOGUE_TYPE, `accountid=${accountId}`, `region=${region}`);
          const path = join(folder, `resourcetype=${CATALOGUE_RESOURCE_TYPE}`, `${CATALOGUE_NODE}.json`);
          await mkdir(dirname(path), { recursive: true });
          await writeFile(path, text);
          const day = perDay[d];
          if (day) {
            day.files++;
            day.bytes += Buffer.byteLength(text);
          }
          // The last day's catalogue is also the bucket copy's.
          if (d === copies.length - 1 && root !== bucketDir) {
            const last = join(
              bucketDir,
              prefix,
              CATALOGUE_TYPE,
              `accountid=${accountId}`,
              `region=${region}`,
            );
            const target = join(last, `resourcetype=${CATALOGUE_RESOURCE_TYPE}`, `${CATALOGUE_NODE}.json`);
            await mkdir(dirname(target), { recursive: true });
            await link(path, target);
          }
        }
      }
    }
  }
  await tasks.drain();
  await Promise.all([...truthFiles.map((file) => file.close()), eventsFile.close()]);
  const configDays = withConfig
    ? await config.write(
        accounts.map((a) => a.accountId),
        regions,
        times,
        copies,
        bucketDir,
      )
    : [];
  for (const [d, configDay] of configDays.entries()) {
    const day = perDay[d];
    if (!day) continue;
    day.files += configDay.keys.length;
    day.bytes += configDay.bytes;
  }

  const baselineList = baselines.list(regions, PLATFORMS).map((b) => ({
    baselineId: b.baselineId,
    patchGroup: b.patchGroup,
    operatingSystem: b.operatingSystem,
  }));
  for (const [d, day] of perDay.entries()) {
    const meta: TruthMeta = {
      seed: shape.seed,
      at: isoSeconds(times[d] ?? shape.at),
      date: dates[d] ?? isoDate(shape.at),
      nodes: day.nodes,
      accounts: accounts.map(({ accountId, name, environment }) => ({ accountId, name, environment })),
      regions,
      staleAfterDays: STALE_AFTER_DAYS,
      baselines: baselineList,
      files: day.files,
      unmanagedPct,
      configSnapshots: configDays[d]?.keys ?? [],
      quirks: day.quirks,
    };
    await writeFile(join(truthDir, `${meta.date}.meta.json`), `${JSON.stringify(meta, null, 2)}\n`);
  }
  const last = perDay.at(-1);
  return {
    nodes: shape.nodes,
    unmanaged: unmanaged.reduce((sum, flag) => sum + flag, 0),
    files: last?.files ?? 0,
    bytes: last?.bytes ?? 0,
    snapshots: dates,
    truthDir,
    bucketDir,
  };
}

const PROBE = '{"test":"test"}';

/** Every folder objects go to, made once up front rather than checked for at each write. */
async function createFolders(
  roots: readonly string[],
  prefix: string,
  accounts: readonly { accountId: string }[],
  regions: readonly string[],
): Promise<void> {
  for (const root of roots) {
    const base = join(root, prefix);
    for (const { accountId } of accounts) {
      await mkdir(join(base, 'AWS:InstanceInformation', `accountid=${accountId}`), { recursive: true });
      for (const type of TYPE_NAMES) {
        for (const region of regions) {
          const folder = join(base, type, `accountid=${accountId}`, `region=${region}`);
          await mkdir(join(folder, 'resourcetype=ManagedInstanceInventory'), { recursive: true });
        }
      }
    }
  }
}

function addQuirks(total: QuirkTally, add: QuirkTally): void {
  for (const key of Object.keys(total) as (keyof QuirkTally)[]) total[key] += add[key];
}

/**
 * One object of one node across the days: written where its bytes changed, hard-linked to the previous day's
 * file where they did not; the last day's file is linked into the bucket copy.
 */
async function writeVersions(
  key: string,
  versions: readonly (string | undefined)[],
  copies: readonly string[],
  bucketDir: string,
): Promise<void> {
  let previous: { path: string; text: string } | null = null;
  for (const [d, text] of versions.entries()) {
    const copy = copies[d];
    if (text === undefined || copy === undefined) {
      previous = null;
      continue;
    }
    const path = join(copy, key);
    if (previous !== null && previous.text === text) await link(previous.path, path);
    else await writeSmallFile(path, text);
    previous = { path, text };
  }
  const lastCopy = copies.at(-1);
  if (previous !== null && lastCopy !== bucketDir && previous.path === join(lastCopy ?? '', key)) {
    await link(previous.path, join(bucketDir, key));
  }
}

/** fs.writeFile with a callback: for small files much less overhead than the FileHandle of fs/promises. */
function writeSmallFile(path: string, text: string): Promise<void> {
  return new Promise((resolve, reject) =>
    writeFileCallback(path, text, (error) => (error ? reject(error) : resolve())),
  );
}

/** Patch events: every node x patch non-compliant in some snapshot, with the InstalledTime last reported. */
function recordEvents(events: Map<number, TruthPatchEvent>, plan: NodePlan, snapshot: NodeSnapshot): void {
  if (snapshot.reportedAt === null) return;
  for (const { patch, state, installedTime, severity } of snapshot.items) {
    // By patch, not id: a package's newer patch keeps the id of the one it supersedes.
    let event = events.get(patch.key);
    if (!event && NON_COMPLIANT_STATES.has(state)) {
      event = {
        accountId: plan.account.accountId,
        region: plan.region,
        nodeId: plan.nodeId,
        patchId: patch.id,
        title: patch.title,
        cveIds: writesCveIds(plan.platform.kind) ? [...patch.cveIds] : [],
        severity,
        classification: patch.classification,
        releasedAt: isoSeconds(patch.releasedAt),
        firstSeenNonCompliant: isoSeconds(snapshot.reportedAt),
        installedTime: null,
      };
      events.set(patch.key, event);
    }
    if (event) event.installedTime = installedTime === null ? null : isoSeconds(installedTime);
  }
}
