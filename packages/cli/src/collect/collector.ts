/**
 * `patchboard collect`: walks the SSM APIs of one account, Region by Region, and writes the folder Resource Data
 * Sync would have written, so `patchboard ingest <dir>` and everything after it work unchanged.
 *
 * Per Region: DescribeInstanceInformation lists the nodes (AWS:InstanceInformation); DescribeInstancePatchStates,
 * at most 50 nodes a call, gives each node's last patch operation (AWS:PatchSummary); GetPatchBaseline gives the
 * compliance levels of the baselines in use; DescribeInstancePatches gives each node's patches with their CVEs
 * (AWS:ComplianceItem, AWS:ComplianceSummary); the node's tags come from its inventory (EC2 instances) or
 * ListTagsForResource (hybrid nodes) (AWS:Tag). Last, DescribeAvailablePatches gives release dates and CVEs of
 * the patches nodes are non-compliant for.
 *
 * First, for every Region, EC2 DescribeInstances lists every instance in any state, managed by SSM or not
 * (Custom:PatchboardEc2Instance, and its EC2 tags as Custom:PatchboardEc2Tag), so the reports can count the
 * instances no agent reports for (UNMANAGED). `instances: false` skips it. It goes first so that a missing
 * `ec2:DescribeInstances` permission stops the run before the long part, not after it.
 *
 * Clients are injected (tests pass mocked ones); state in the output folder makes an interrupted run resumable.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  GetPatchBaselineCommand,
  ListInventoryEntriesCommand,
  ListTagsForResourceCommand,
  paginateDescribeInstanceInformation,
  paginateDescribeInstancePatches,
  paginateDescribeInstancePatchStates,
  paginateDescribePatchBaselines,
  type InstanceInformation,
  type InstancePatchState,
  type PatchComplianceData,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { paginateDescribeInstances, type EC2Client } from '@aws-sdk/client-ec2';
import { forEachLimited } from '@patchboard/aws';
import { EC2_INSTANCE_TYPE, EC2_TAG_TYPE, PATCH_CATALOGUE_TYPE, PatchboardError } from '@patchboard/core';
import type { BaselineRules } from './baseline-severity.js';
import { syncKey, writeNodeFile, type NodeLocation } from './bucket-writer.js';
import { fetchCatalogue, type CataloguePatchRef } from './catalogue.js';
import {
  classifyPatches,
  complianceItemRecords,
  complianceSummaryRecord,
  ec2InstanceRecord,
  instanceInformationRecord,
  patchSummaryRecord,
  syncTime,
  tagRecordsFromInventory,
  tagRecordsFromTagList,
  type SyncRecord,
} from './records.js';
import { loadState, type RegionState, type StateStore } from './state.js';
import { ApiCaller, RequestRate, type ThrottleOptions } from './throttle.js';

/** DescribeInstances' largest page (MaxResults 5 to 1000). */
export const INSTANCES_PAGE_SIZE = 1000;
/** The resource type in the key of an EC2 instance's files: `…/resourcetype=EC2Instance/<instance-id>.json`. */
export const EC2_RESOURCE_TYPE = 'EC2Instance';
/** DescribeInstancePatchStates takes at most 50 node ids a call. */
export const PATCH_STATES_BATCH = 50;
/** Inventory types a collection writes per node (ComplianceSummary is derived from the items, as SSM does). */
const NODE_TYPES = ['AWS:ComplianceItem', 'AWS:ComplianceSummary', 'AWS:PatchSummary', 'AWS:Tag'] as const;

export interface CollectClients {
  readonly sts: STSClient;
  /** The SSM client of a Region (one per Region, made once). */
  ssm(region: string): SSMClient;
  /** The EC2 client of a Region (one per Region, made once). */
  ec2(region: string): EC2Client;
}

export interface CollectOptions extends Partial<ThrottleOptions> {
  readonly outDir: string;
  readonly regions: readonly string[];
  readonly clients: CollectClients;
  /** Nodes fetched at once per Region (default 4). */
  readonly concurrency?: number;
  /** Fetch the patch catalogue (default true). */
  readonly catalogue?: boolean;
  /** List every EC2 instance with DescribeInstances (default true). */
  readonly instances?: boolean;
  /** Start of a new collection, epoch ms (default the clock): capture time of answers that carry none. */
  readonly now?: number;
  /** Nodes done of nodes listed so far (the SSM part). */
  readonly onProgress?: (done: number, total: number) => void;
  /** EC2 instances written of instances listed so far (the DescribeInstances part, which comes first). */
  readonly onInstanceProgress?: (written: number, listed: number) => void;
}

export interface RegionSummary {
  readonly region: string;
  readonly nodes: number;
  /** Nodes fetched by this run. */
  readonly fetched: number;
  /** Nodes an earlier, interrupted run had finished. */
  readonly alreadyDone: number;
  readonly patchItems: number;
  readonly cataloguePatches: number;
  /** EC2 instances DescribeInstances listed, in any state; null when the instance list was skipped. */
  readonly instances: number | null;
  /** Of those, the ones DescribeInstanceInformation does not list (no SSM Agent registered). */
  readonly instancesWithoutSsm: number | null;
}

export interface CollectSummary {
  readonly accountId: string;
  readonly outDir: string;
  readonly startedAt: string;
  readonly resumed: boolean;
  readonly regions: readonly RegionSummary[];
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  maxRequestsPerSecond: 10,
  throttleAttempts: 5,
  throttleBaseDelayMs: 500,
};

interface NodeInfo {
  readonly id: string;
  readonly platformType: string;
  readonly platformName: string;
  readonly platformVersion: string;
}

export async function collectFleet(options: CollectOptions): Promise<CollectSummary> {
  if (options.regions.length === 0) {
    throw new PatchboardError(
      'USAGE',
      'collect needs at least one Region: give --regions us-east-1,eu-west-1.',
    );
  }
  const throttle: ThrottleOptions = {
    maxRequestsPerSecond: options.maxRequestsPerSecond ?? DEFAULT_THROTTLE.maxRequestsPerSecond,
    throttleAttempts: options.throttleAttempts ?? DEFAULT_THROTTLE.throttleAttempts,
    throttleBaseDelayMs: options.throttleBaseDelayMs ?? DEFAULT_THROTTLE.throttleBaseDelayMs,
  };
  const rate = new RequestRate(throttle.maxRequestsPerSecond);
  const identity = await new ApiCaller(rate, throttle, options.regions[0]!).call(
    'sts:GetCallerIdentity',
    () => options.clients.sts.send(new GetCallerIdentityCommand({})),
  );
  const accountId = identity.Account;
  if (!accountId || !/^\d{12}$/.test(accountId)) {
    throw new PatchboardError(
      'IO',
      `STS GetCallerIdentity answered account ${JSON.stringify(accountId)}; expected 12 digits.`,
    );
  }
  const startedAt = syncTime(new Date(options.now ?? Date.now()));
  const store = await loadState(options.outDir, accountId, startedAt);
  const { state } = store;
  const resumed = store.resumed;
  await store.save();

  if (options.instances ?? true) {
    const instanceProgress = { written: 0, listed: 0 };
    for (const region of options.regions) {
      await collectInstances({
        ec2: options.clients.ec2(region),
        api: new ApiCaller(rate, throttle, region),
        store,
        location: { accountId, region },
        outDir: options.outDir,
        concurrency: options.concurrency ?? 4,
        progress: instanceProgress,
        report: () => options.onInstanceProgress?.(instanceProgress.written, instanceProgress.listed),
      });
    }
  }

  const progress = { done: 0, total: 0 };
  const report = () => options.onProgress?.(progress.done, progress.total);
  for (const region of options.regions) {
    const nodes = store.region(region).nodes;
    if (nodes) {
      progress.total += nodes.length;
      progress.done += (await store.doneNodes(region)).size;
    }
  }
  report();

  const regions: RegionSummary[] = [];
  for (const region of options.regions) {
    const api = new ApiCaller(rate, throttle, region);
    regions.push(
      await collectRegion({
        ssm: options.clients.ssm(region),
        api,
        store,
        location: { accountId, region },
        outDir: options.outDir,
        concurrency: options.concurrency ?? 4,
        catalogue: options.catalogue ?? true,
        progress,
        report,
      }),
    );
  }
  state.complete = true;
  await store.save();
  return { accountId, outDir: options.outDir, startedAt: state.startedAt, resumed, regions };
}

interface InstanceRun {
  readonly ec2: EC2Client;
  readonly api: ApiCaller;
  readonly store: StateStore;
  readonly location: { accountId: string; region: string };
  readonly outDir: string;
  readonly concurrency: number;
  readonly progress: { written: number; listed: number };
  readonly report: () => void;
}

/**
 * Every EC2 instance of a Region, in any state (no filter), a page of up to 1000 at a time: each instance's
 * record and tags written as its page arrives, then the ids kept in the state, so a Region listed whole is not
 * listed again after an interruption. One interrupted while listing is listed again from the start, rewriting
 * the same files: no page token is kept across runs, as a Region takes one call per 1000 instances.
 */
async function collectInstances(run: InstanceRun): Promise<readonly string[]> {
  const regionState = run.store.region(run.location.region);
  if (regionState.instances) {
    run.progress.listed += regionState.instances.length;
    run.progress.written += regionState.instances.length;
    run.report();
    return regionState.instances;
  }
  const captureTime = run.store.state.startedAt;
  const ids: string[] = [];
  for await (const page of run.api.pages(
    'ec2:DescribeInstances',
    (startingToken) =>
      paginateDescribeInstances(
        { client: run.ec2, pageSize: INSTANCES_PAGE_SIZE, ...(startingToken ? { startingToken } : {}) },
        {},
      ),
    (page) => page.NextToken,
  )) {
    // An id is a file name: only the shape EC2 gives one (i- and hex) is written.
    const instances = (page.Reservations ?? [])
      .flatMap((reservation) => reservation.Instances ?? [])
      .filter((instance) => /^i-[0-9a-f]{8,17}$/.test(instance.InstanceId ?? ''));
    run.progress.listed += instances.length;
    run.report();
    await forEachLimited(instances, run.concurrency, async (instance) => {
      const location: NodeLocation = { ...run.location, nodeId: instance.InstanceId! };
      await writeNodeFile(
        run.outDir,
        EC2_INSTANCE_TYPE,
        location,
        [ec2InstanceRecord(instance, captureTime)],
        EC2_RESOURCE_TYPE,
      );
      // No tags, no file (an older run's file for the instance is removed), as the sync does for AWS:Tag.
      await writeNodeFile(
        run.outDir,
        EC2_TAG_TYPE,
        location,
        tagRecordsFromTagList(location.nodeId, instance.Tags ?? [], captureTime),
        EC2_RESOURCE_TYPE,
      );
      run.progress.written++;
      run.report();
    });
    ids.push(...instances.map((instance) => instance.InstanceId!));
  }
  regionState.instances = [...new Set(ids)].sort();
  await run.store.save();
  return regionState.instances;
}

interface RegionRun {
  readonly ssm: SSMClient;
  readonly api: ApiCaller;
  readonly store: StateStore;
  readonly location: { accountId: string; region: string };
  readonly outDir: string;
  readonly concurrency: number;
  readonly catalogue: boolean;
  readonly progress: { done: number; total: number };
  readonly report: () => void;
}

async function listNodes(run: RegionRun, regionState: RegionState): Promise<NodeInfo[]> {
  if (regionState.nodes) return regionState.nodes;
  const infos: InstanceInformation[] = [];
  for await (const page of run.api.pages(
    'ssm:DescribeInstanceInformation',
    (startingToken) =>
      paginateDescribeInstanceInformation(
        { client: run.ssm, pageSize: 50, ...(startingToken ? { startingToken } : {}) },
        {},
      ),
    (page) => page.NextToken,
  )) {
    infos.push(...(page.InstanceInformationList ?? []));
  }
  const nodes: NodeInfo[] = [];
  for (const info of infos) {
    if (!info.InstanceId) continue;
    const record = instanceInformationRecord(info, run.store.state.startedAt);
    await writeNodeFile(run.outDir, 'AWS:InstanceInformation', { ...run.location, nodeId: info.InstanceId }, [
      record,
    ]);
    nodes.push({
      id: info.InstanceId,
      platformType: info.PlatformType ?? '',
      platformName: info.PlatformName ?? '',
      platformVersion: info.PlatformVersion ?? '',
    });
  }
  nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  regionState.nodes = nodes;
  await run.store.save();
  run.progress.total += nodes.length;
  run.report();
  return nodes;
}

async function patchStates(run: RegionRun, ids: readonly string[]): Promise<Map<string, InstancePatchState>> {
  const states = new Map<string, InstancePatchState>();
  for (let i = 0; i < ids.length; i += PATCH_STATES_BATCH) {
    const batch = ids.slice(i, i + PATCH_STATES_BATCH);
    for await (const page of run.api.pages(
      'ssm:DescribeInstancePatchStates',
      (startingToken) =>
        paginateDescribeInstancePatchStates(
          { client: run.ssm, pageSize: PATCH_STATES_BATCH, ...(startingToken ? { startingToken } : {}) },
          { InstanceIds: [...batch] },
        ),
      (page) => page.NextToken,
    )) {
      for (const state of page.InstancePatchStates ?? []) {
        if (state.InstanceId) states.set(state.InstanceId, state);
      }
    }
  }
  return states;
}

async function baselines(run: RegionRun, ids: ReadonlySet<string>): Promise<Map<string, BaselineRules>> {
  // The Region's baselines (AWS's predefined ones included, named by ARN): only these can be fetched.
  const known = new Set<string>();
  for await (const page of run.api.pages(
    'ssm:DescribePatchBaselines',
    (startingToken) =>
      paginateDescribePatchBaselines(
        { client: run.ssm, pageSize: 100, ...(startingToken ? { startingToken } : {}) },
        {},
      ),
    (page) => page.NextToken,
  )) {
    for (const identity of page.BaselineIdentities ?? [])
      if (identity.BaselineId) known.add(identity.BaselineId);
  }
  const rules = new Map<string, BaselineRules>();
  await forEachLimited([...ids].sort(), run.concurrency, async (baselineId) => {
    // A node may name a baseline deleted since its last scan: its patches then keep UNSPECIFIED, as predefined
    // baselines give anyway, rather than fail the collection.
    if (!known.has(baselineId) && !baselineId.startsWith('arn:')) return;
    const baseline = await run.api.call('ssm:GetPatchBaseline', () =>
      run.ssm.send(new GetPatchBaselineCommand({ BaselineId: baselineId })),
    );
    rules.set(baselineId, baseline);
  });
  return rules;
}

async function nodePatches(run: RegionRun, nodeId: string): Promise<PatchComplianceData[]> {
  const patches: PatchComplianceData[] = [];
  for await (const page of run.api.pages(
    'ssm:DescribeInstancePatches',
    (startingToken) =>
      paginateDescribeInstancePatches(
        { client: run.ssm, pageSize: 100, ...(startingToken ? { startingToken } : {}) },
        { InstanceId: nodeId },
      ),
    (page) => page.NextToken,
  )) {
    patches.push(...(page.Patches ?? []));
  }
  return patches;
}

/**
 * A node's tags as the sync's AWS:Tag has them. An EC2 instance's come from its own inventory (ListInventoryEntries,
 * type AWS:Tag): the agent's copy of the instance tags, which is exactly what the sync writes, and which needs no
 * EC2 permission or client. A hybrid node's come from ListTagsForResource (ManagedInstance).
 */
async function nodeTags(run: RegionRun, nodeId: string): Promise<SyncRecord[]> {
  if (nodeId.startsWith('mi-')) {
    const answer = await run.api.call('ssm:ListTagsForResource', () =>
      run.ssm.send(new ListTagsForResourceCommand({ ResourceType: 'ManagedInstance', ResourceId: nodeId })),
    );
    return tagRecordsFromTagList(nodeId, answer.TagList ?? [], run.store.state.startedAt);
  }
  const records: SyncRecord[] = [];
  let nextToken: string | undefined;
  // ListInventoryEntries has no SDK paginator; the loop follows NextToken, bounded in pages.
  for (let page = 0; page < 1000; page++) {
    const answer = await run.api.call('ssm:ListInventoryEntries', () =>
      run.ssm.send(
        new ListInventoryEntriesCommand({
          InstanceId: nodeId,
          TypeName: 'AWS:Tag',
          MaxResults: 50,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      ),
    );
    records.push(
      ...tagRecordsFromInventory(
        nodeId,
        answer.Entries ?? [],
        answer.CaptureTime ?? run.store.state.startedAt,
        answer.SchemaVersion ?? '1.0',
      ),
    );
    nextToken = answer.NextToken || undefined;
    if (!nextToken) break;
  }
  return records;
}

async function collectNode(
  run: RegionRun,
  node: NodeInfo,
  patchState: InstancePatchState | undefined,
  rules: ReadonlyMap<string, BaselineRules>,
): Promise<number> {
  const location: NodeLocation = { ...run.location, nodeId: node.id };
  const files: Record<(typeof NODE_TYPES)[number], SyncRecord[]> = {
    'AWS:ComplianceItem': [],
    'AWS:ComplianceSummary': [],
    'AWS:PatchSummary': [],
    'AWS:Tag': await nodeTags(run, node.id),
  };
  if (patchState) {
    const baseline = patchState.BaselineId ? rules.get(patchState.BaselineId) : undefined;
    const availableNonCompliant = baseline?.AvailableSecurityUpdatesComplianceStatus === 'NON_COMPLIANT';
    const patches = classifyPatches(await nodePatches(run, node.id), baseline, availableNonCompliant);
    files['AWS:ComplianceItem'] = complianceItemRecords(node.id, patchState, patches);
    files['AWS:ComplianceSummary'] = [complianceSummaryRecord(node.id, patchState, patches)];
    files['AWS:PatchSummary'] = [patchSummaryRecord(node.id, patchState, patches)];
  }
  for (const type of NODE_TYPES) await writeNodeFile(run.outDir, type, location, files[type]);
  return files['AWS:ComplianceItem'].length;
}

/** The non-compliant patches of the Region's nodes, from the files written, for the catalogue. */
async function catalogueRefs(run: RegionRun, nodes: readonly NodeInfo[]): Promise<CataloguePatchRef[]> {
  const refs: CataloguePatchRef[] = [];
  for (const node of nodes) {
    let text: string;
    try {
      text = await readFile(
        join(run.outDir, syncKey('AWS:ComplianceItem', { ...run.location, nodeId: node.id })),
        'utf8',
      );
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line) continue;
      const item = JSON.parse(line) as SyncRecord;
      if (item.Status === 'NON_COMPLIANT' && item.Id) {
        refs.push({
          kbId: item.Id,
          platformType: node.platformType,
          platformName: node.platformName,
          platformVersion: node.platformVersion,
        });
      }
    }
  }
  return refs;
}

async function collectRegion(run: RegionRun): Promise<RegionSummary> {
  const { region } = run.location;
  const regionState = run.store.region(region);
  const nodes = await listNodes(run, regionState);
  const done = await run.store.doneNodes(region);
  const alreadyDone = done.size;
  const pending = nodes.filter((node) => !done.has(node.id));
  let patchItems = 0;
  if (pending.length > 0) {
    const states = await patchStates(
      run,
      pending.map((node) => node.id),
    );
    const baselineIds = new Set([...states.values()].flatMap((s) => (s.BaselineId ? [s.BaselineId] : [])));
    const rules = baselineIds.size > 0 ? await baselines(run, baselineIds) : new Map<string, BaselineRules>();
    await forEachLimited(pending, run.concurrency, async (node) => {
      patchItems += await collectNode(run, node, states.get(node.id), rules);
      await run.store.markDone(region, node.id);
      run.progress.done++;
      run.report();
    });
  }
  let cataloguePatches = 0;
  if (run.catalogue && !regionState.catalogue) {
    const records = await fetchCatalogue(run.ssm, run.api, await catalogueRefs(run, nodes));
    cataloguePatches = records.length;
    const captureTime = run.store.state.startedAt;
    await writeNodeFile(
      run.outDir,
      PATCH_CATALOGUE_TYPE,
      { ...run.location, nodeId: CATALOGUE_NODE },
      records.map((record) => ({ ...record, captureTime, schemaVersion: '1.0' })),
      CATALOGUE_RESOURCE_TYPE,
    );
    regionState.catalogue = true;
    await run.store.save();
  }
  const nodeIds = new Set(nodes.map((node) => node.id));
  const instances = regionState.instances ?? null;
  return {
    region,
    nodes: nodes.length,
    fetched: pending.length,
    alreadyDone,
    patchItems,
    cataloguePatches,
    instances: instances ? instances.length : null,
    instancesWithoutSsm: instances ? instances.filter((id) => !nodeIds.has(id)).length : null,
  };
}

/**
 * The catalogue of a Region is one object of the custom inventory type `Custom:PatchboardCatalogue`, in the sync's
 * layout, so the ingest stores it like any type: `…/resourcetype=PatchCatalogue/catalogue.json`.
 */
export const CATALOGUE_NODE = 'catalogue';
export const CATALOGUE_RESOURCE_TYPE = 'PatchCatalogue';
