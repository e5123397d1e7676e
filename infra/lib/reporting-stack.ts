import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AwsConfigOptions, DeliveryConfig, ReportingConfig } from './config.js';
import { ConfigAggregator } from './reporting/config-aggregator.js';
import type { DashboardConfig } from './reporting/dashboard-config.js';
import { dashboardImage, DashboardService } from './reporting/dashboard-service.js';
import { ScheduledDelivery } from './reporting/scheduled-delivery.js';
import { AccessLogsBucket } from './reporting/access-logs-bucket.js';
import { AthenaCatalogue } from './reporting/athena-catalogue.js';
import { QueryWorkgroup } from './reporting/query-workgroup.js';
import { ReportNamedQueries } from './reporting/report-named-queries.js';
import { QuickSightAccess } from './reporting/quicksight-access.js';
import { ReportingKey } from './reporting/reporting-key.js';
import { SyncBucket } from './reporting/sync-bucket.js';

export interface ReportingStackProps extends StackProps {
  readonly config: ReportingConfig;
  /** Scheduled delivery of the audit pack; channels are optional, the schedules always run. */
  readonly delivery?: DeliveryConfig;
  /** AWS Config delivery to the sync bucket, aggregator, external snapshot location; all off by default. */
  readonly awsConfig?: AwsConfigOptions;
  /** The dashboard on ECS Fargate with its scheduled ingest; off by default. */
  readonly dashboard?: DashboardConfig;
}

/** Resolved settings of the reporting account, defaults applied. */
export function reportingSettings(config: ReportingConfig) {
  return {
    syncBucketName: config.syncBucketName ?? `patchboard-sync-${config.account}-${config.region}`,
    syncPrefix: config.syncPrefix ?? 'inventory',
    syncRetentionDays: config.syncRetentionDays ?? 60,
    database: config.database ?? 'patchboard',
    workgroup: config.workgroup ?? 'patchboard',
    bytesScannedCutoff: config.bytesScannedCutoff ?? 10 * 1024 ** 3,
    syncName: config.syncName ?? 'patchboard-organization-sync',
  };
}

/**
 * The AWS Config `AWSLogs/` root Athena reads snapshots from: the sync bucket's when the recorder delivers there
 * (no key prefix), the organisation's own location when given, otherwise none (no Config table).
 */
export function configSnapshotsLocation(
  awsConfig: AwsConfigOptions,
  syncBucketName: string,
): string | undefined {
  if (awsConfig.snapshotsLocation) return awsConfig.snapshotsLocation;
  return awsConfig.recorder ? `s3://${syncBucketName}/AWSLogs/` : undefined;
}

/** The central reporting account: key, sync bucket, Glue tables and views, workgroup, named queries. */
export class ReportingStack extends Stack {
  readonly accessLogs: AccessLogsBucket;
  readonly key: ReportingKey;
  readonly syncBucket: SyncBucket;
  readonly workgroup: QueryWorkgroup;
  readonly catalogue: AthenaCatalogue;
  readonly delivery: ScheduledDelivery;
  readonly configAggregator?: ConfigAggregator;
  readonly quickSightAccess?: QuickSightAccess;
  readonly dashboard?: DashboardService;

  constructor(scope: Construct, id: string, props: ReportingStackProps) {
    super(scope, id, props);
    const { config } = props;
    const settings = reportingSettings(config);
    const awsConfig = props.awsConfig ?? {};
    const configLocation = configSnapshotsLocation(awsConfig, settings.syncBucketName);
    const accessLogs = new AccessLogsBucket(this, 'AccessLogs');
    this.accessLogs = accessLogs;
    this.key = new ReportingKey(this, 'Key', {
      organizationId: config.organizationId,
      configDelivery: awsConfig.recorder ?? false,
    });
    this.syncBucket = new SyncBucket(this, 'SyncBucket', {
      bucketName: settings.syncBucketName,
      organizationId: config.organizationId,
      key: this.key.key,
      retentionDays: settings.syncRetentionDays,
      accessLogs: accessLogs.bucket,
      configDelivery: awsConfig.recorder ?? false,
    });
    this.workgroup = new QueryWorkgroup(this, 'Athena', {
      name: settings.workgroup,
      key: this.key.key,
      bytesScannedCutoff: settings.bytesScannedCutoff,
      accessLogs: accessLogs.bucket,
    });
    this.catalogue = new AthenaCatalogue(this, 'Catalogue', {
      database: settings.database,
      location: `s3://${settings.syncBucketName}/${settings.syncPrefix}/`,
      ...(configLocation ? { configLocation } : {}),
      syncBucket: this.syncBucket.bucket,
      resultsBucket: this.workgroup.resultsBucket,
      key: this.key.key,
      workgroup: settings.workgroup,
    });
    this.catalogue.views.node.addDependency(this.workgroup.workgroup);
    new ReportNamedQueries(this, 'NamedQueries', {
      database: this.catalogue.databaseName,
      workgroup: this.workgroup.workgroup,
    });
    this.delivery = new ScheduledDelivery(this, 'Delivery', {
      reporting: this,
      config: props.delivery ?? {},
      database: settings.database,
      workgroup: settings.workgroup,
      syncBucketName: settings.syncBucketName,
      syncPrefix: settings.syncPrefix,
      ...(configLocation ? { configLocation } : {}),
    });
    this.delivery.node.addDependency(this.catalogue);
    if (awsConfig.aggregator) this.configAggregator = new ConfigAggregator(this, 'ConfigAggregator');
    if (config.quickSight) {
      this.quickSightAccess = new QuickSightAccess(this, 'QuickSightAccess', {
        database: settings.database,
        workgroup: settings.workgroup,
        syncBucket: this.syncBucket.bucket,
        syncPrefix: settings.syncPrefix,
        resultsBucket: this.workgroup.resultsBucket,
        key: this.key.key,
      });
    }
    if (props.dashboard) {
      this.dashboard = new DashboardService(this, 'Dashboard', {
        ...props.dashboard,
        syncBucket: this.syncBucket.bucket,
        key: this.key.key,
        ingestSource: `s3://${settings.syncBucketName}/${settings.syncPrefix}`,
        accessLogs: accessLogs.bucket,
        image: dashboardImage(props.dashboard.image),
      });
    }
    new CfnOutput(this, 'PackBucketName', { value: this.delivery.bucket.bucketName });
    new CfnOutput(this, 'SyncBucketName', { value: this.syncBucket.bucket.bucketName });
    new CfnOutput(this, 'KmsKeyArn', { value: this.key.key.keyArn });
    new CfnOutput(this, 'AthenaResultsBucketName', { value: this.workgroup.resultsBucket.bucketName });
    new CfnOutput(this, 'AthenaDatabase', { value: this.catalogue.databaseName });
    new CfnOutput(this, 'AthenaWorkgroup', { value: settings.workgroup });
  }
}
