/**
 * Tags every EC2 instance SSM manages with its platform (`PlatformType`, `PlatformName`, `PlatformVersion`), so
 * that maintenance windows can target by platform. Only tags whose value differs are written, hybrid nodes
 * (`mi-…`) are never touched, and every loop is bounded in pages and in time.
 */
import { CreateTagsCommand, DescribeInstancesCommand, type EC2Client, type Tag } from '@aws-sdk/client-ec2';
import { DescribeInstanceInformationCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { withThrottleRetry, type RetryOptions } from '../shared/retry.js';
import { PLATFORM_TAG_KEYS, type PlatformTagKey } from './tag-keys.js';

/** EC2 tag values hold at most 256 characters. */
const MAX_TAG_VALUE = 256;
/** Instances still there to tag; a terminated one would fail its whole CreateTags batch. */
const TAGGABLE_STATES = ['pending', 'running', 'stopping', 'stopped'];

export interface PlatformTagLimits {
  /** DescribeInstanceInformation pages read at most (50 nodes each); default 400, 20,000 nodes. */
  readonly maxPages?: number;
  /** Instances per CreateTags call (the API takes up to 1,000); default 200. */
  readonly batchSize?: number;
  /** Epoch milliseconds after which no new page is started; default none. */
  readonly deadline?: number;
  readonly retry?: RetryOptions;
  readonly now?: () => number;
}

export interface PlatformTagOutcome {
  readonly pages: number;
  /** EC2 instances SSM reported (hybrid nodes excluded). */
  readonly instances: number;
  /** Instances whose tags were written. */
  readonly tagged: number;
  readonly createTagsCalls: number;
  /** True when the page or time bound stopped the run before SSM's last page. */
  readonly truncated: boolean;
}

const SSM_PAGE_SIZE = 50;

/** One run over every page SSM returns, within the bounds. */
export async function tagPlatforms(
  ssm: SSMClient,
  ec2: EC2Client,
  limits: PlatformTagLimits = {},
): Promise<PlatformTagOutcome> {
  const maxPages = limits.maxPages ?? 400;
  const batchSize = limits.batchSize ?? 200;
  const now = limits.now ?? Date.now;
  let nextToken: string | undefined;
  let pages = 0;
  let instances = 0;
  let tagged = 0;
  let createTagsCalls = 0;
  do {
    if (pages >= maxPages || (limits.deadline !== undefined && now() >= limits.deadline)) {
      return { pages, instances, tagged, createTagsCalls, truncated: true };
    }
    const page = await withThrottleRetry(
      () =>
        ssm.send(
          new DescribeInstanceInformationCommand({
            Filters: [{ Key: 'ResourceType', Values: ['EC2Instance'] }],
            MaxResults: SSM_PAGE_SIZE,
            NextToken: nextToken,
          }),
        ),
      limits.retry,
    );
    pages++;
    nextToken = page.NextToken;
    const wanted = new Map<string, Partial<Record<PlatformTagKey, string>>>();
    for (const node of page.InstanceInformationList ?? []) {
      // Hybrid nodes (mi-…) are no EC2 instances: CreateTags cannot reach them.
      if (!node.InstanceId?.startsWith('i-')) continue;
      const tags: Partial<Record<PlatformTagKey, string>> = {};
      for (const key of PLATFORM_TAG_KEYS) {
        const value = node[key];
        if (value) tags[key] = value.slice(0, MAX_TAG_VALUE);
      }
      wanted.set(node.InstanceId, tags);
    }
    instances += wanted.size;
    if (wanted.size === 0) continue;
    const current = await currentPlatformTags(ec2, [...wanted.keys()], limits.retry);
    // Instances that need the same tags written share CreateTags calls.
    const groups = new Map<string, { tags: Tag[]; ids: string[] }>();
    for (const [id, tags] of wanted) {
      const existing = current.get(id);
      if (!existing) continue; // terminated or gone since SSM last heard of it
      const changed = PLATFORM_TAG_KEYS.filter((k) => tags[k] !== undefined && existing[k] !== tags[k]).map(
        (k) => ({ Key: k, Value: tags[k] }),
      );
      if (changed.length === 0) continue;
      const groupKey = JSON.stringify(changed);
      const group = groups.get(groupKey) ?? { tags: changed, ids: [] };
      group.ids.push(id);
      groups.set(groupKey, group);
    }
    for (const { tags, ids } of groups.values()) {
      for (let start = 0; start < ids.length; start += batchSize) {
        const resources = ids.slice(start, start + batchSize);
        await withThrottleRetry(
          () => ec2.send(new CreateTagsCommand({ Resources: resources, Tags: tags })),
          limits.retry,
        );
        createTagsCalls++;
        tagged += resources.length;
      }
    }
  } while (nextToken);
  return { pages, instances, tagged, createTagsCalls, truncated: false };
}

/** The platform tags of those instances that still exist and are not terminating. */
async function currentPlatformTags(
  ec2: EC2Client,
  ids: readonly string[],
  retry: RetryOptions | undefined,
): Promise<Map<string, Partial<Record<PlatformTagKey, string>>>> {
  const found = new Map<string, Partial<Record<PlatformTagKey, string>>>();
  let nextToken: string | undefined;
  // Filters (not InstanceIds) so an id EC2 no longer knows is absent instead of an error; at most 50 ids in,
  // so a handful of pages at the very most.
  for (let page = 0; page < 10; page++) {
    const response = await withThrottleRetry(
      () =>
        ec2.send(
          new DescribeInstancesCommand({
            Filters: [
              { Name: 'instance-id', Values: [...ids] },
              { Name: 'instance-state-name', Values: TAGGABLE_STATES },
            ],
            MaxResults: 1000,
            NextToken: nextToken,
          }),
        ),
      retry,
    );
    for (const reservation of response.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) {
        if (!instance.InstanceId) continue;
        const tags: Partial<Record<PlatformTagKey, string>> = {};
        for (const tag of instance.Tags ?? []) {
          if ((PLATFORM_TAG_KEYS as readonly string[]).includes(tag.Key ?? '')) {
            tags[tag.Key as PlatformTagKey] = tag.Value ?? '';
          }
        }
        found.set(instance.InstanceId, tags);
      }
    }
    nextToken = response.NextToken;
    if (!nextToken) break;
  }
  return found;
}
