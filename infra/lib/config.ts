/**
 * The deployment's typed configuration. Every default reproduces the seeds' scenario; `bin/app.ts` reads
 * overrides from CDK context (`-c key=value` or cdk.json).
 */

export type Environment = 'prod' | 'non-prod';
export type OperatingSystemFamily = 'linux' | 'windows';

export interface ReportingConfig {
  /** The dedicated reporting account (not the management account) and its Region. */
  readonly account: string;
  readonly region: string;
  /** The AWS Organizations id whose accounts may write inventory, `o-…`. */
  readonly organizationId: string;
  /** Sync bucket name; default `patchboard-sync-<account>-<region>`. */
  readonly syncBucketName?: string;
  /** Key prefix every sync writes under; default `inventory`. */
  readonly syncPrefix?: string;
  /** Days after which an object the sync has not rewritten (a node gone) expires; default 60. */
  readonly syncRetentionDays?: number;
  /** Glue database; default `patchboard`. */
  readonly database?: string;
  /** Athena workgroup; default `patchboard`. */
  readonly workgroup?: string;
  /** Per-query cut-off in bytes scanned; default 10 GiB. */
  readonly bytesScannedCutoff?: number;
  /** Let QuickSight's service role use the key (and deploy the QuickSight stack); default false. */
  readonly quickSight?: boolean;
  /** Name of the organisation sync in every member account; default `patchboard-organization-sync`. */
  readonly syncName?: string;
  /** Organisation units (`r-…` root or `ou-…`) the StackSet deploys to; default none (set before deploying). */
  readonly stackSetTargets?: readonly string[];
  /** Regions the StackSet deploys to; default the reporting Region. */
  readonly stackSetRegions?: readonly string[];
}

/**
 * AWS Config for the EC2 instances Systems Manager does not see (UNMANAGED, coverage %). Everything is off by
 * default: many organisations already run Config (Control Tower, Security Hub), and an account or Region holds
 * one configuration recorder and one delivery channel only.
 */
export interface AwsConfigOptions {
  /**
   * A configuration recorder, a delivery channel to the central sync bucket (daily snapshots under `AWSLogs/`)
   * and the two managed rules, in every account and Region of the organisation StackSet; default false.
   */
  readonly recorder?: boolean;
  /** An organisation aggregator in the reporting account; default false. */
  readonly aggregator?: boolean;
  /**
   * `s3://bucket/prefix/AWSLogs/` where the organisation already delivers Config snapshots; Athena reads them
   * there. Not with `recorder`, whose snapshots land in the sync bucket.
   */
  readonly snapshotsLocation?: string;
}

export interface DeliveryConfig {
  /** SES identity the pack is sent from; the e-mail is skipped when unset. */
  readonly fromAddress?: string;
  readonly toAddresses?: readonly string[];
  /** Secrets Manager secret holding the Slack incoming-webhook URL; Slack is skipped when unset. */
  readonly slackWebhookSecretName?: string;
  /** When the monthly pack is written: default 06:00 UTC on the 1st (the previous month's pack). */
  readonly monthlySchedule?: string;
  /** When the daily history snapshot is recorded: default 01:00 UTC. */
  readonly dailySchedule?: string;
}

export interface BaselineConfig {
  /** Days after release before a patch is approved. */
  readonly approveAfterDays: number;
  /** Linux severities / Windows MSRC severities approved; `['*']` for all. */
  readonly severities: readonly string[];
  /** Linux classifications / Windows classifications approved; `['*']` for all. */
  readonly classifications: readonly string[];
  /** Compliance severity a missing approved patch reports. */
  readonly complianceLevel: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL' | 'UNSPECIFIED';
}

export interface MaintenanceWindowConfig {
  /** `cron(…)` in UTC. */
  readonly schedule: string;
  readonly durationHours: number;
  readonly cutoffHours: number;
}

export interface PatchOperationsConfig {
  /** Linux operating system the Linux baselines apply to; default AMAZON_LINUX_2023. */
  readonly linuxOperatingSystem?: string;
  readonly baselines?: Readonly<Record<Environment, Readonly<Record<OperatingSystemFamily, BaselineConfig>>>>;
  readonly windows?: Readonly<Record<Environment, MaintenanceWindowConfig>>;
  /** Tag key naming a node's environment; default `Environment`. */
  readonly environmentTagKey?: string;
  /** Values of that tag each environment's window targets; default `DEFAULT_ENVIRONMENT_TAG_VALUES`. */
  readonly environmentTagValues?: Readonly<Record<Environment, readonly string[]>>;
  /** `Patch Group` tag value of each baseline; default `DEFAULT_PATCH_GROUPS`. */
  readonly patchGroups?: Readonly<Record<Environment, Readonly<Record<OperatingSystemFamily, string>>>>;
  /** Daily Scan-only association schedule; default 00:30 UTC. */
  readonly scanSchedule?: string;
  /** Start an Install automation when a node turns non-compliant; default false (opt in). */
  readonly installOnNonCompliance?: boolean;
}

export const DEFAULT_BASELINES: Readonly<
  Record<Environment, Readonly<Record<OperatingSystemFamily, BaselineConfig>>>
> = {
  prod: {
    linux: {
      approveAfterDays: 7,
      severities: ['Critical', 'Important'],
      classifications: ['Security'],
      complianceLevel: 'CRITICAL',
    },
    windows: {
      approveAfterDays: 7,
      severities: ['Critical', 'Important'],
      classifications: ['SecurityUpdates', 'CriticalUpdates'],
      complianceLevel: 'CRITICAL',
    },
  },
  'non-prod': {
    linux: { approveAfterDays: 0, severities: ['*'], classifications: ['*'], complianceLevel: 'HIGH' },
    windows: { approveAfterDays: 0, severities: ['*'], classifications: ['*'], complianceLevel: 'HIGH' },
  },
};

export const DEFAULT_WINDOWS: Readonly<Record<Environment, MaintenanceWindowConfig>> = {
  // Saturday 02:00 UTC for production, Tuesday 12:00 UTC for the rest.
  prod: { schedule: 'cron(0 2 ? * SAT *)', durationHours: 4, cutoffHours: 1 },
  'non-prod': { schedule: 'cron(0 12 ? * TUE *)', durationHours: 3, cutoffHours: 1 },
};

export const ENVIRONMENTS: readonly Environment[] = ['prod', 'non-prod'];
export const OS_FAMILIES: readonly OperatingSystemFamily[] = ['linux', 'windows'];

/**
 * The `Environment` tag values of the seeds' fleet (seed 002): production nodes carry `prod`, the others `dev` or
 * `staging`; the non-prod window targets both (a maintenance window target matches any of its tag values).
 */
export const DEFAULT_ENVIRONMENT_TAG_VALUES: Readonly<Record<Environment, readonly string[]>> = {
  prod: ['prod'],
  'non-prod': ['dev', 'staging'],
};

/** The `Patch Group` tag values of seed 002, one per baseline. */
export const DEFAULT_PATCH_GROUPS: Readonly<
  Record<Environment, Readonly<Record<OperatingSystemFamily, string>>>
> = {
  prod: { linux: 'prod-linux', windows: 'prod-windows' },
  'non-prod': { linux: 'nonprod-linux', windows: 'nonprod-windows' },
};
