import { PatchboardError } from '@patchboard/core';
import {
  DEFAULT_ENVIRONMENT_TAG_VALUES,
  DEFAULT_PATCH_GROUPS,
  type AwsConfigOptions,
  type DeliveryConfig,
  type PatchOperationsConfig,
  type ReportingConfig,
} from './config.js';
import { SYNC_NAME_PATTERN } from './organization-sync-member.js';
import type { StackSetCaller } from './organization-sync-stack-set.js';
import { type DashboardConfig, dashboardConfigFromContext } from './reporting/dashboard-config.js';

/** Everything the app deploys, read from CDK context. */
export interface AppConfig {
  readonly reporting: ReportingConfig;
  /** Account and Region of the StackSet administrator (management account or delegated administrator). */
  readonly stackSetAdmin: { readonly account: string; readonly region: string };
  /** `SELF` from the management account, `DELEGATED_ADMIN` from a delegated administrator. */
  readonly stackSetCallAs: StackSetCaller;
  /** The reporting key's ARN, once the reporting stack is deployed (the StackSet runs in another account). */
  readonly syncKmsKeyArn?: string;
  readonly patchOperations: PatchOperationsConfig;
  readonly delivery: DeliveryConfig;
  /** QuickSight user owning the data source and datasets (when `quickSight` is on). */
  readonly quickSightUser?: string;
  /** The QuickSight identity Region (where its users live); default the reporting Region. */
  readonly quickSightIdentityRegion?: string;
  /** AWS Config recorder, aggregator and snapshot location; all off by default. */
  readonly config: AwsConfigOptions;
  /** The scheduled Lambda that tags EC2 instances with their SSM platform, in every member account and Region. */
  readonly platformTags: boolean;
  /** The dashboard on ECS Fargate; off unless `dashboard.certificateArn` is given. */
  readonly dashboard?: DashboardConfig;
}

type ContextReader = (key: string) => unknown;

const list = (value: unknown): string[] | undefined =>
  value === undefined
    ? undefined
    : Array.isArray(value)
      ? value.map((v) => text(v) ?? '')
      : (text(value) ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0);

/** Context values are strings from `-c` or JSON scalars from cdk.json. */
function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(
    `The context value ${JSON.stringify(value)} is not a string, number or boolean; give a scalar.`,
  );
}
const number = (value: unknown): number | undefined => (value === undefined ? undefined : Number(value));
const flag = (value: unknown): boolean | undefined =>
  value === undefined ? undefined : value === true || value === 'true';

/** An on/off option: `true`/`false` from `-c`, or a JSON boolean from cdk.json; anything else is an error. */
function strictFlag(key: string, value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new PatchboardError(
    'CONFIG',
    `The context value ${key}=${JSON.stringify(value)} is not an on/off option; give true or false (e.g. -c ${key}=true).`,
  );
}

const S3_AWSLOGS_LOCATION = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/(?:[^\s]*\/)?AWSLogs\/$/;

/** Where Config already delivers snapshots: `s3://bucket/[prefix/]AWSLogs/`, the root Athena reads. */
function snapshotsLocation(value: unknown): string | undefined {
  const location = text(value);
  if (location === undefined || location === '') return undefined;
  if (!S3_AWSLOGS_LOCATION.test(location)) {
    throw new PatchboardError(
      'CONFIG',
      `The context value config.snapshotsLocation=${JSON.stringify(location)} is not an S3 location ending in AWSLogs/; give the folder Config delivers under, e.g. s3://my-config-bucket/AWSLogs/ or s3://my-config-bucket/org/AWSLogs/ (with the trailing slash).`,
    );
  }
  return location;
}

function awsConfigOptions(read: ContextReader): AwsConfigOptions {
  const recorder = strictFlag('config.recorder', read('config.recorder'));
  const location = snapshotsLocation(read('config.snapshotsLocation'));
  if (recorder && location) {
    throw new PatchboardError(
      'CONFIG',
      `config.recorder=true delivers Config snapshots to the sync bucket, and config.snapshotsLocation=${location} says they are read elsewhere; set one of them: the recorder for organisations without Config, the location for those that already deliver snapshots.`,
    );
  }
  return {
    recorder: recorder ?? false,
    aggregator: strictFlag('config.aggregator', read('config.aggregator')) ?? false,
    ...(location ? { snapshotsLocation: location } : {}),
  };
}

/**
 * `stackSetCallAs` when given; otherwise `SELF` when the StackSet administrator is the management account
 * (`managementAccount` names it), else `DELEGATED_ADMIN`, the administrator the README recommends.
 */
function stackSetCaller(read: ContextReader, adminAccount: string): StackSetCaller {
  const given = text(read('stackSetCallAs'));
  if (given === 'SELF' || given === 'DELEGATED_ADMIN') return given;
  if (given !== undefined) {
    throw new PatchboardError(
      'CONFIG',
      `The context value stackSetCallAs=${JSON.stringify(given)} is neither SELF nor DELEGATED_ADMIN; give SELF when deploying from the management account, DELEGATED_ADMIN from a delegated administrator (or leave it out and set managementAccount).`,
    );
  }
  return text(read('managementAccount')) === adminAccount ? 'SELF' : 'DELEGATED_ADMIN';
}

function syncName(value: unknown): string | undefined {
  const name = text(value);
  if (name !== undefined && !new RegExp(SYNC_NAME_PATTERN).test(name)) {
    throw new PatchboardError(
      'CONFIG',
      `The context value syncName=${JSON.stringify(name)} does not match ${SYNC_NAME_PATTERN}; give a name starting with patchboard- (at most 64 letters, digits, _ . -), e.g. patchboard-organization-sync.`,
    );
  }
  return name;
}

/** Patch groups: `patchGroup.<prod|non-prod>.<linux|windows>`, each defaulting to seed 002's name. */
function patchGroups(read: ContextReader): PatchOperationsConfig['patchGroups'] {
  const group = (environment: 'prod' | 'non-prod', os: 'linux' | 'windows') =>
    text(read(`patchGroup.${environment}.${os}`)) ?? DEFAULT_PATCH_GROUPS[environment][os];
  return {
    prod: { linux: group('prod', 'linux'), windows: group('prod', 'windows') },
    'non-prod': { linux: group('non-prod', 'linux'), windows: group('non-prod', 'windows') },
  };
}

/** Context keys (cdk.json or `-c key=value`); see infra/README.md for each. */
export function appConfigFromContext(read: ContextReader): AppConfig {
  const account = text(read('reportingAccount')) ?? '111111111111';
  const region = text(read('reportingRegion')) ?? 'eu-west-1';
  const stackSetAdminAccount = text(read('stackSetAdminAccount')) ?? '222222222222';
  return {
    reporting: {
      account,
      region,
      organizationId: text(read('organizationId')) ?? 'o-exampleorg1',
      syncBucketName: text(read('syncBucketName')),
      syncPrefix: text(read('syncPrefix')),
      syncRetentionDays: number(read('syncRetentionDays')),
      database: text(read('database')),
      workgroup: text(read('workgroup')),
      bytesScannedCutoff: number(read('bytesScannedCutoff')),
      quickSight: flag(read('quickSight')),
      syncName: syncName(read('syncName')),
      stackSetTargets: list(read('stackSetTargets')),
      stackSetRegions: list(read('stackSetRegions')),
    },
    stackSetAdmin: {
      account: stackSetAdminAccount,
      region: text(read('stackSetAdminRegion')) ?? region,
    },
    stackSetCallAs: stackSetCaller(read, stackSetAdminAccount),
    syncKmsKeyArn: text(read('syncKmsKeyArn')),
    quickSightUser: text(read('quickSightUser')),
    quickSightIdentityRegion: text(read('quickSightIdentityRegion')),
    patchOperations: {
      environmentTagKey: text(read('environmentTagKey')),
      installOnNonCompliance: flag(read('installOnNonCompliance')),
      linuxOperatingSystem: text(read('linuxOperatingSystem')),
      environmentTagValues: {
        prod: list(read('prodEnvironmentValues')) ?? DEFAULT_ENVIRONMENT_TAG_VALUES.prod,
        'non-prod': list(read('nonProdEnvironmentValues')) ?? DEFAULT_ENVIRONMENT_TAG_VALUES['non-prod'],
      },
      patchGroups: patchGroups(read),
    },
    config: awsConfigOptions(read),
    platformTags: strictFlag('platformTags', read('platformTags')) ?? false,
    delivery: {
      fromAddress: text(read('deliveryFrom')),
      toAddresses: list(read('deliveryTo')),
      slackWebhookSecretName: text(read('slackWebhookSecretName')),
    },
    dashboard: dashboardConfigFromContext(read),
  };
}
