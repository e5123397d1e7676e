/**
 * AWS Config configuration snapshots: the full EC2 instance list of an account and Region, agent or not.
 *
 * A delivery channel writes `[prefix/]AWSLogs/<account>/Config/<region>/<yyyy>/<m>/<d>/ConfigSnapshot/
 * <account>_Config_<region>_ConfigSnapshot_<yyyymmddThhmmssZ>_<id>.json.gz`: one JSON document
 * `{fileVersion, configSnapshotId, configurationItems: [...]}`. Patchboard reads the `AWS::EC2::Instance` items
 * and the verdicts of the two SSM rules (`AWS::Config::ResourceCompliance` items) into the records of
 * `EC2_INSTANCE_TYPE` and `EC2_TAG_TYPE`, one per instance, as if an instance list had been synced like inventory.
 *
 * Like everything in the bucket, a snapshot is written by some member account: an item that is not what Config
 * writes is reported with its position and skipped, and every other item is kept.
 */
import * as z from 'zod';
import type { LineError } from './records.js';
import { parseIsoInstant } from './timestamp.js';

export interface ConfigSnapshotKey {
  readonly prefix: string;
  readonly accountId: string;
  readonly region: string;
  /** When Config delivered it, `yyyymmddThhmmssZ` as in the name: newer sorts later. */
  readonly deliveredAt: string;
}

const KEY_PATTERN =
  /^(?:(?<prefix>.+)\/)?AWSLogs\/(?<account>\d{12})\/Config\/(?<region>[a-z]{2}(?:-[a-z]+)+-\d{1,2})\/\d{4}\/\d{1,2}\/\d{1,2}\/ConfigSnapshot\/(?<file>[^/]+)$/;
const FILE_PATTERN =
  /^(?<account>\d{12})_Config_(?<region>[a-z0-9-]+)_ConfigSnapshot_(?<stamp>\d{8}T\d{6}Z)_[A-Za-z0-9-]+\.json(?:\.gz)?$/;

/** Parses a Config snapshot key, or returns undefined for any other key (history files, other services). */
export function parseConfigSnapshotKey(key: string): ConfigSnapshotKey | undefined {
  const groups = KEY_PATTERN.exec(key)?.groups;
  const file = groups?.file === undefined ? undefined : FILE_PATTERN.exec(groups.file)?.groups;
  // The file names its own account and Region; one that disagrees with its folder was not written by Config.
  if (!groups || !file || file.account !== groups.account || file.region !== groups.region) return undefined;
  return {
    prefix: groups.prefix ?? '',
    accountId: groups.account!,
    region: groups.region!,
    deliveredAt: file.stamp!,
  };
}

/** One EC2 instance as a snapshot describes it. */
export interface ConfigInstance {
  readonly instanceId: string;
  /** The item's capture time: when Config last saw the instance's configuration change. */
  readonly captureTime: string;
  readonly state: string | null;
  readonly launchTime: string | null;
  readonly platform: string | null;
  readonly instanceType: string | null;
  readonly imageId: string | null;
  readonly managedRuleCompliance: string | null;
  readonly patchRuleCompliance: string | null;
  readonly tags: readonly (readonly [key: string, value: string])[];
}

/** Rule names carry org prefixes and suffixes (`OrgConfigRule-…-abc123`); the managed rule's name is inside. */
const MANAGED_RULE = /ec2-instance-managed-by-systems-manager/i;
const PATCH_RULE = /ec2-managedinstance-patch-compliance-status-check/i;

const text = z.string().max(4096);
const instanceItem = z.object({
  resourceType: z.literal('AWS::EC2::Instance'),
  resourceId: z.string().regex(/^i-[0-9a-f]{8,32}$/, 'an EC2 instance id (i-…)'),
  awsAccountId: z.string().regex(/^\d{12}$/, 'a 12-digit account id'),
  awsRegion: text,
  configurationItemCaptureTime: text,
  configurationItemStatus: text.optional(),
  configuration: z
    .object({
      state: z.object({ name: text.nullish() }).nullish(),
      launchTime: text.nullish(),
      platformDetails: text.nullish(),
      platform: text.nullish(),
      instanceType: text.nullish(),
      imageId: text.nullish(),
      // The instance's EC2 tags as EC2 describes them; the Athena views read the same list.
      tags: z
        .array(z.object({ key: text, value: text }))
        .max(1000)
        .nullish(),
    })
    .nullish(),
});
const complianceItem = z.object({
  resourceType: z.literal('AWS::Config::ResourceCompliance'),
  configuration: z.object({
    targetResourceId: text,
    targetResourceType: text,
    configRuleList: z
      .array(z.object({ configRuleName: text, complianceType: text }).partial())
      .max(1000)
      .default([]),
  }),
});

const EXCERPT_CHARS = 160;
const excerpt = (value: unknown) => (JSON.stringify(value) ?? '').slice(0, EXCERPT_CHARS);
const issue = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.join('.') || 'item'}: ${i.message}`).join('; ');

/**
 * The instances of one snapshot document of `key`'s account and Region. Errors name the item by its index in
 * `configurationItems`; the line is 1, as Config writes the document on one line. `isSnapshot` is false when
 * the document is not a snapshot at all, so it says nothing about which instances exist.
 */
export function configSnapshotInstances(
  document: string,
  key: ConfigSnapshotKey,
): { instances: ConfigInstance[]; errors: LineError[]; isSnapshot: boolean } {
  const errors: LineError[] = [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch (error) {
    const reason = `not a JSON document (${(error as Error).message}); expected an AWS Config snapshot`;
    return {
      instances: [],
      errors: [{ line: 1, reason, excerpt: document.slice(0, EXCERPT_CHARS) }],
      isSnapshot: false,
    };
  }
  const items = (parsed as { configurationItems?: unknown } | null)?.configurationItems;
  if (!Array.isArray(items)) {
    const reason = 'no configurationItems array; expected an AWS Config snapshot';
    return { instances: [], errors: [{ line: 1, reason, excerpt: excerpt(parsed) }], isSnapshot: false };
  }

  const verdicts = new Map<string, { managed?: string; patch?: string }>();
  const found: z.infer<typeof instanceItem>[] = [];
  const seen = new Set<string>();
  items.forEach((item: unknown, index) => {
    const type = (item as { resourceType?: unknown } | null)?.resourceType;
    const at = `configurationItems[${index}]`;
    if (type === 'AWS::EC2::Instance') {
      const result = instanceItem.safeParse(item);
      if (!result.success) {
        errors.push({
          line: 1,
          reason: `${at}: ${issue(result.error)}; item skipped`,
          excerpt: excerpt(item),
        });
      } else if (result.data.awsAccountId !== key.accountId || result.data.awsRegion !== key.region) {
        errors.push({
          line: 1,
          reason: `${at}: instance of account ${result.data.awsAccountId}, Region ${result.data.awsRegion} in the snapshot of account ${key.accountId}, Region ${key.region}; item skipped`,
          excerpt: excerpt(item),
        });
      } else if (seen.has(result.data.resourceId)) {
        errors.push({
          line: 1,
          reason: `${at}: ${result.data.resourceId} is listed twice; the first item is kept`,
          excerpt: excerpt(item),
        });
      } else {
        seen.add(result.data.resourceId);
        found.push(result.data);
      }
    } else if (type === 'AWS::Config::ResourceCompliance') {
      const result = complianceItem.safeParse(item);
      if (!result.success) {
        errors.push({
          line: 1,
          reason: `${at}: ${issue(result.error)}; item skipped`,
          excerpt: excerpt(item),
        });
        return;
      }
      const { targetResourceId, targetResourceType, configRuleList } = result.data.configuration;
      if (targetResourceType !== 'AWS::EC2::Instance') return;
      const verdict = verdicts.get(targetResourceId) ?? {};
      for (const rule of configRuleList) {
        const compliance = rule.complianceType?.toUpperCase();
        if (MANAGED_RULE.test(rule.configRuleName ?? '')) verdict.managed = compliance;
        if (PATCH_RULE.test(rule.configRuleName ?? '')) verdict.patch = compliance;
      }
      verdicts.set(targetResourceId, verdict);
    }
    // Other resource types are Config's business, not ours.
  });

  const instances = found.flatMap((item, index): ConfigInstance[] => {
    if (parseIsoInstant(item.configurationItemCaptureTime) === undefined) {
      errors.push({
        line: 1,
        reason: `${item.resourceId}: configurationItemCaptureTime ${JSON.stringify(item.configurationItemCaptureTime)} is not an ISO-8601 instant; item skipped`,
        excerpt: excerpt(found[index]),
      });
      return [];
    }
    const configuration = item.configuration ?? {};
    const verdict = verdicts.get(item.resourceId) ?? {};
    return [
      {
        instanceId: item.resourceId,
        captureTime: item.configurationItemCaptureTime,
        state: configuration.state?.name ?? null,
        launchTime: configuration.launchTime ?? null,
        platform: configuration.platformDetails ?? configuration.platform ?? null,
        instanceType: configuration.instanceType ?? null,
        imageId: configuration.imageId ?? null,
        managedRuleCompliance: verdict.managed ?? null,
        patchRuleCompliance: verdict.patch ?? null,
        tags: (configuration.tags ?? []).map(({ key, value }) => [key, value] as const),
      },
    ];
  });
  return { instances, errors, isSnapshot: true };
}
