import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { AppConfig } from './app-config.js';
import { OrganizationSyncStackSetStack } from './organization-sync-stack-set.js';
import { QuickSightStack } from './quicksight-stack.js';
import { PatchOperationsStack } from './patch-operations-stack.js';
import { ReportingStack, reportingSettings } from './reporting-stack.js';

/** Feature flags the stacks rely on; bin/app.ts and the tests create their App with them. */
export const APP_CONTEXT = {
  // Access logs delivered under a bucket policy, not the LogDeliveryWrite ACL (ACLs stay disabled).
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/core:checkSecretUsage': true,
} as const;

export interface PatchboardStacks {
  readonly reporting: ReportingStack;
  readonly organizationSync: OrganizationSyncStackSetStack;
  readonly patchOperations: PatchOperationsStack;
  readonly quickSight?: QuickSightStack;
}

/** Every stack, with the AwsSolutions checks run on all of them. */
export function buildApp(app: App, config: AppConfig): PatchboardStacks {
  const reportingEnv = { account: config.reporting.account, region: config.reporting.region };
  const settings = reportingSettings(config.reporting);
  const reporting = new ReportingStack(app, 'PatchboardReporting', {
    env: reportingEnv,
    config: config.reporting,
    delivery: config.delivery,
    awsConfig: config.config,
    dashboard: config.dashboard,
    description: 'Patchboard: central reporting (sync bucket, Glue tables, Athena)',
  });
  const organizationSync = new OrganizationSyncStackSetStack(app, 'PatchboardOrganizationSyncStackSet', {
    env: config.stackSetAdmin,
    description: 'Patchboard: the organisation Resource Data Sync StackSet',
    syncName: settings.syncName,
    bucketName: settings.syncBucketName,
    bucketRegion: config.reporting.region,
    bucketPrefix: settings.syncPrefix,
    kmsKeyArn: config.syncKmsKeyArn ?? '',
    organizationalUnitIds: config.reporting.stackSetTargets ?? [],
    regions: config.reporting.stackSetRegions ?? [config.reporting.region],
    callAs: config.stackSetCallAs,
    member: { configRecorder: config.config.recorder ?? false, platformTags: config.platformTags },
  });
  // Environment-agnostic: the same template goes to every account and Region (StackSet or cdk deploy).
  const patchOperations = new PatchOperationsStack(app, 'PatchboardPatchOperations', {
    config: config.patchOperations,
    description:
      'Patchboard: patch baselines, maintenance windows and associations of one account and Region',
  });
  const quickSight = config.reporting.quickSight
    ? new QuickSightStack(app, 'PatchboardQuickSight', {
        env: reportingEnv,
        description:
          'Patchboard: QuickSight data source, datasets, analysis and dashboard over the Athena views',
        userName: config.quickSightUser ?? 'patchboard-admin',
        identityRegion: config.quickSightIdentityRegion ?? config.reporting.region,
        dataSourceRoleArn: reporting.quickSightAccess!.role.roleArn,
        database: settings.database,
        workgroup: settings.workgroup,
      })
    : undefined;
  if (quickSight) quickSight.addStackDependency(reporting);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { reporting, organizationSync, patchOperations, ...(quickSight ? { quickSight } : {}) };
}
