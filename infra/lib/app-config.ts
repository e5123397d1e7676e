import type { DeliveryConfig, PatchOperationsConfig, ReportingConfig } from './config.js';

/** Everything the app deploys, read from CDK context. */
export interface AppConfig {
  readonly reporting: ReportingConfig;
  /** Account and Region of the StackSet administrator (management account or delegated administrator). */
  readonly stackSetAdmin: { readonly account: string; readonly region: string };
  /** The reporting key's ARN, once the reporting stack is deployed (the StackSet runs in another account). */
  readonly syncKmsKeyArn?: string;
  readonly patchOperations: PatchOperationsConfig;
  readonly delivery: DeliveryConfig;
  /** QuickSight user owning the data source and datasets (when `quickSight` is on). */
  readonly quickSightUser?: string;
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

/** Context keys (cdk.json or `-c key=value`); see infra/README.md for each. */
export function appConfigFromContext(read: ContextReader): AppConfig {
  const account = text(read('reportingAccount')) ?? '111111111111';
  const region = text(read('reportingRegion')) ?? 'eu-west-1';
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
      syncName: text(read('syncName')),
      stackSetTargets: list(read('stackSetTargets')),
      stackSetRegions: list(read('stackSetRegions')),
    },
    stackSetAdmin: {
      account: text(read('stackSetAdminAccount')) ?? '222222222222',
      region: text(read('stackSetAdminRegion')) ?? region,
    },
    syncKmsKeyArn: text(read('syncKmsKeyArn')),
    quickSightUser: text(read('quickSightUser')),
    patchOperations: {
      environmentTagKey: text(read('environmentTagKey')),
      installOnNonCompliance: flag(read('installOnNonCompliance')),
      linuxOperatingSystem: text(read('linuxOperatingSystem')),
    },
    delivery: {
      fromAddress: text(read('deliveryFrom')),
      toAddresses: list(read('deliveryTo')),
      slackWebhookSecretName: text(read('slackWebhookSecretName')),
    },
  };
}
