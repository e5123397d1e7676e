/**
 * The organisation Resource Data Sync of one account and Region, kept by a CloudFormation custom resource.
 * `AWS::SSM::ResourceDataSync` cannot set DestinationDataSharing, hence the custom resource.
 *
 * - Create is idempotent: a sync of the same name and destination is kept; one of the same name elsewhere is
 *   replaced (delete + create).
 * - Update is delete + create: UpdateResourceDataSync only serves SyncFromSource syncs.
 * - Delete tolerates a sync that is already gone.
 * - An account holds one organisation sync and five syncs in all (per Region); either limit fails with a
 *   message naming the syncs in the way, before anything is changed.
 * ListResourceDataSync is read page by page (NextToken).
 *
 * This file is bundled into the StackSet template's inline code (CloudFormation allows 4,096 characters there),
 * so it imports nothing but the SSM client the Lambda runtime provides. Throttling is therefore retried by that
 * client itself (`SYNC_CLIENT_CONFIG`): the SDK's retry strategy classifies throttling with the SDK's own list
 * (the one `@patchboard/aws` follows) and backs off with jitter; the commons' list alone would not fit in the
 * 4,096 characters.
 */
import {
  CreateResourceDataSyncCommand,
  DeleteResourceDataSyncCommand,
  ListResourceDataSyncCommand,
  type ResourceDataSyncItem,
  type SSMClient,
} from '@aws-sdk/client-ssm';

export interface SyncProperties {
  readonly SyncName: string;
  readonly BucketName: string;
  readonly BucketRegion: string;
  readonly BucketPrefix: string;
  /** The sync bucket's KMS key (same Region as the bucket). */
  readonly KmsKeyArn?: string;
}

/** Syncs an account may hold per Region (SSM quota). */
export const SYNC_LIMIT = 5;
const SYNC_TYPE = 'SyncToDestination';

/**
 * The SSM client's settings: adaptive retries (exponential backoff with jitter, and a client-side rate that
 * slows while SSM throttles) over eight attempts instead of the SDK's default three, for bursts of stack
 * instances in one account.
 */
export const SYNC_CLIENT_CONFIG = { maxAttempts: 8, retryMode: 'adaptive' } as const;

export class SyncLimitError extends Error {
  override readonly name = 'SyncLimitError';
}

export async function listSyncs(ssm: SSMClient): Promise<ResourceDataSyncItem[]> {
  const items: ResourceDataSyncItem[] = [];
  let token: string | undefined;
  // Paged by hand rather than with the SDK paginator: a throttled page is retried with the same token (a
  // paginator that threw is finished). 100 pages is far above the five syncs an account can hold.
  for (let page = 0; page < 100; page++) {
    const input = { SyncType: SYNC_TYPE, MaxResults: 50, ...(token ? { NextToken: token } : {}) };
    const answer = await ssm.send(new ListResourceDataSyncCommand(input));
    items.push(...(answer.ResourceDataSyncItems ?? []));
    token = answer.NextToken;
    if (!token) break;
  }
  return items;
}

const isOrganizationSync = (item: ResourceDataSyncItem) =>
  item.S3Destination?.DestinationDataSharing?.DestinationDataSharingType === 'Organization';

const sameDestination = (item: ResourceDataSyncItem, props: SyncProperties) =>
  item.S3Destination?.BucketName === props.BucketName &&
  item.S3Destination.Region === props.BucketRegion &&
  (item.S3Destination.Prefix ?? '') === props.BucketPrefix &&
  (item.S3Destination.AWSKMSKeyARN ?? '') === (props.KmsKeyArn ?? '') &&
  isOrganizationSync(item);

export async function createSync(ssm: SSMClient, props: SyncProperties) {
  const syncs = await listSyncs(ssm);
  const existing = syncs.find((s) => s.SyncName === props.SyncName);
  if (existing && sameDestination(existing, props)) return 'unchanged';
  const others = syncs.filter((s) => s.SyncName !== props.SyncName);
  const otherOrganizationSync = others.find(isOrganizationSync);
  if (otherOrganizationSync) {
    throw new SyncLimitError(
      `This account already has its one organisation resource data sync in this Region, "${otherOrganizationSync.SyncName}" (to s3://${otherOrganizationSync.S3Destination?.BucketName}). Expected none besides "${props.SyncName}". Delete it (aws ssm delete-resource-data-sync) or remove this account from the StackSet.`,
    );
  }
  if (others.length >= SYNC_LIMIT) {
    throw new SyncLimitError(
      `This account already has ${others.length} resource data syncs in this Region (${others.map((s) => s.SyncName).join(', ')}); SSM allows ${SYNC_LIMIT}. Delete one it no longer needs, then retry the stack instance.`,
    );
  }
  if (existing) await deleteSync(ssm, props.SyncName);
  await ssm.send(
    new CreateResourceDataSyncCommand({
      SyncName: props.SyncName,
      SyncType: SYNC_TYPE,
      S3Destination: {
        BucketName: props.BucketName,
        Prefix: props.BucketPrefix,
        SyncFormat: 'JsonSerDe',
        Region: props.BucketRegion,
        ...(props.KmsKeyArn ? { AWSKMSKeyARN: props.KmsKeyArn } : {}),
        DestinationDataSharing: { DestinationDataSharingType: 'Organization' },
      },
    }),
  );
  return existing ? 'replaced' : 'created';
}

export async function deleteSync(ssm: SSMClient, syncName: string) {
  try {
    await ssm.send(new DeleteResourceDataSyncCommand({ SyncName: syncName, SyncType: SYNC_TYPE }));
    return 'deleted';
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceDataSyncNotFoundException') return 'absent';
    throw error;
  }
}
