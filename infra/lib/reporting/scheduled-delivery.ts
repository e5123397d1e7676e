import {
  ArnFormat,
  aws_events as events,
  aws_events_targets as targets,
  aws_iam as iam,
  aws_s3 as s3,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { INVENTORY_TYPES, PatchboardError } from '@patchboard/core';
import { athenaSchema } from '@patchboard/engine-athena';
import { handlerFunction } from '../bundle.js';
import type { DeliveryConfig } from '../config.js';
import { grantWorkgroupQueries } from './grant-query-results.js';
import type { AccessLogsBucket } from './access-logs-bucket.js';
import type { QueryWorkgroup } from './query-workgroup.js';
import type { ReportingKey } from './reporting-key.js';

/** The parts of the reporting stack the delivery uses. */
export interface ReportingParts {
  readonly key: ReportingKey;
  readonly workgroup: QueryWorkgroup;
  readonly accessLogs: AccessLogsBucket;
}

export interface ScheduledDeliveryProps {
  readonly reporting: ReportingParts;
  readonly config: DeliveryConfig;
  /** Resolved reporting settings (database, workgroup, sync location). */
  readonly database: string;
  readonly workgroup: string;
  readonly syncBucketName: string;
  readonly syncPrefix: string;
  /** The AWS Config `AWSLogs/` root (`s3://bucket/[prefix/]AWSLogs/`), when the views read Config snapshots. */
  readonly configLocation?: string;
}

/** `s3://bucket/key/prefix/` as bucket and key prefix (validated upstream: app-config or the reporting stack). */
function splitS3Location(location: string): { bucket: string; keyPrefix: string } {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(location);
  if (!match) {
    throw new PatchboardError(
      'CONFIG',
      `The Config snapshot location ${JSON.stringify(location)} is not an s3://bucket/prefix/ location; give config.snapshotsLocation as s3://bucket/[prefix/]AWSLogs/.`,
    );
  }
  return { bucket: match[1] ?? '', keyPrefix: match[2] ?? '' };
}

/**
 * Scheduled delivery in the reporting stack: a Lambda running the Athena engine writes the monthly audit
 * pack to S3, e-mails it through SES, posts to Slack, and records the daily history snapshot.
 */
export class ScheduledDelivery extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ScheduledDeliveryProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { reporting, config } = props;
    const key = reporting.key.key;
    this.bucket = new s3.Bucket(this, 'PackBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: reporting.accessLogs.bucket,
      serverAccessLogsPrefix: 'delivery/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const fn = handlerFunction(this, 'Delivery', {
      handler: 'delivery',
      description: 'Patchboard: monthly audit pack (S3, SES, Slack) and daily history snapshot',
      timeout: Duration.minutes(15),
      memorySize: 1024,
      environment: {
        DELIVERY_BUCKET: this.bucket.bucketName,
        ATHENA_DATABASE: props.database,
        ATHENA_WORKGROUP: props.workgroup,
        ...(config.fromAddress ? { MAIL_FROM: config.fromAddress } : {}),
        ...(config.toAddresses ? { MAIL_TO: config.toAddresses.join(',') } : {}),
        ...(config.slackWebhookSecretName ? { SLACK_WEBHOOK_SECRET: config.slackWebhookSecretName } : {}),
      },
    });
    const role = fn.role as iam.Role;
    grantWorkgroupQueries(role, props.workgroup, reporting.workgroup.resultsBucket, key);
    const schema = athenaSchema({
      location: `s3://${props.syncBucketName}/${props.syncPrefix}/`,
      ...(props.configLocation ? { configLocation: props.configLocation } : {}),
    });
    const syncBucket = s3.Bucket.fromBucketName(this, 'SyncBucket', props.syncBucketName);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
        resources: [
          stack.formatArn({ service: 'glue', resource: 'catalog' }),
          stack.formatArn({ service: 'glue', resource: 'database', resourceName: props.database }),
          ...[...schema.tables.map((t) => t.name), ...schema.views.map((v) => v.name)].map((name) =>
            stack.formatArn({
              service: 'glue',
              resource: 'table',
              resourceName: `${props.database}/${name}`,
            }),
          ),
        ],
      }),
    );
    // Athena reads every inventory object the tables point at.
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket'],
        resources: [syncBucket.bucketArn, this.bucket.bucketArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: INVENTORY_TYPES.map((t) =>
          syncBucket.arnForObjects(`${props.syncPrefix}/${t.typeName}/*`),
        ),
      }),
    );
    if (props.configLocation) {
      // The Config snapshot table reads the objects under the AWSLogs/ root; the reporting key's Decrypt is
      // granted with the query results. In the sync bucket (recorder on) only Config writes below AWSLogs/ (the
      // bucket policy admits it under AWSLogs/*/Config/* and nothing else there), so the grant stops at the
      // Config folders. An organisation's own bucket (snapshotsLocation) may hold CloudTrail beside Config
      // under the same root (Control Tower's log archive does); Athena reads every object below a table's
      // LOCATION and fails on one it may not read, so there the grant is the root (see infra/README.md).
      const { bucket, keyPrefix } = splitS3Location(props.configLocation);
      const inSyncBucket = bucket === props.syncBucketName;
      const snapshots = inSyncBucket ? syncBucket : s3.Bucket.fromBucketName(this, 'ConfigBucket', bucket);
      if (!inSyncBucket) {
        role.addToPolicy(
          new iam.PolicyStatement({
            actions: ['s3:GetBucketLocation', 's3:ListBucket'],
            resources: [snapshots.bucketArn],
          }),
        );
      }
      const objects = inSyncBucket ? `${keyPrefix}*/Config/*` : `${keyPrefix}*`;
      role.addToPolicy(
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [snapshots.arnForObjects(objects)] }),
      );
      Validations.of(role).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${bucket}/${objects}]`,
        reason:
          'Athena reads every Config snapshot below the AWSLogs/ root: one per account, Region and day, named by AWS Config.',
      });
    }
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        resources: [this.bucket.arnForObjects('packs/*'), this.bucket.arnForObjects('history/*')],
      }),
    );
    if (config.fromAddress) {
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['ses:SendEmail'],
          // SES authorises against the verified identity: the address itself or its domain.
          resources: [config.fromAddress, config.fromAddress.split('@')[1] ?? config.fromAddress].map(
            (identity) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
          ),
        }),
      );
    }
    if (config.slackWebhookSecretName) {
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: [
            stack.formatArn({
              service: 'secretsmanager',
              resource: 'secret',
              resourceName: `${config.slackWebhookSecretName}-??????`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        }),
      );
    }
    const bucketId = stack.resolve((this.bucket.node.defaultChild as s3.CfnBucket).logicalId) as string;
    for (const [id, reason] of [
      [`Resource::<${bucketId}.Arn>/packs/*`, 'Each month writes its own pack files under packs/<month>/.'],
      [
        `Resource::<${bucketId}.Arn>/history/*`,
        'Athena UNLOAD writes snapshot files it names itself under history/<table>/snapshot_date=<day>/.',
      ],
      ...INVENTORY_TYPES.map((t) => [
        `Resource::arn:<AWS::Partition>:s3:::${props.syncBucketName}/${props.syncPrefix}/${t.typeName}/*`,
        'Athena reads every object of this inventory type: one per node, account and Region, named by the syncs.',
      ]),
    ] as const) {
      Validations.of(role).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${id}]`, reason });
    }
    const monthly = new events.Rule(this, 'MonthlyPack', {
      description: "Patchboard: the previous month's audit pack, on the 1st at 06:00 UTC",
      schedule: events.Schedule.expression(config.monthlySchedule ?? 'cron(0 6 1 * ? *)'),
    });
    monthly.addTarget(
      new targets.LambdaFunction(fn, {
        event: events.RuleTargetInput.fromObject({ task: 'monthly-pack' }),
        retryAttempts: 2,
      }),
    );
    const daily = new events.Rule(this, 'DailySnapshot', {
      description: 'Patchboard: the daily history snapshot, at 01:00 UTC',
      schedule: events.Schedule.expression(config.dailySchedule ?? 'cron(0 1 * * ? *)'),
    });
    daily.addTarget(
      new targets.LambdaFunction(fn, {
        event: events.RuleTargetInput.fromObject({ task: 'daily-snapshot' }),
        retryAttempts: 2,
      }),
    );
  }
}
