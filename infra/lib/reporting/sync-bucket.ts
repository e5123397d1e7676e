import type { aws_kms as kms } from 'aws-cdk-lib';
import { aws_iam as iam, aws_s3 as s3, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface SyncBucketProps {
  readonly bucketName: string;
  readonly organizationId: string;
  readonly key: kms.IKey;
  /** Days an object may go without being rewritten by a sync before it expires. */
  readonly retentionDays: number;
  readonly accessLogs: s3.IBucket;
  /** Let the organisation's AWS Config delivery channels write snapshots under `AWSLogs/`; default false. */
  readonly configDelivery?: boolean;
}

/**
 * Where every account's Resource Data Sync writes. Syncs rewrite a node's object whenever its inventory
 * changes and never delete it, so an object not rewritten for `retentionDays` belongs to a node that is gone.
 */
export class SyncBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: SyncBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      versioned: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'sync-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'ExpireObjectsNoSyncRewrote',
          expiration: Duration.days(props.retentionDays),
          noncurrentVersionExpiration: Duration.days(props.retentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        { id: 'RemoveExpiredDeleteMarkers', expiredObjectDeleteMarker: true },
      ],
    });
    const fromOrganization = { 'aws:SourceOrgID': props.organizationId };
    const ssm = new iam.ServicePrincipal('ssm.amazonaws.com');
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SystemsManagerChecksTheBucket',
        principals: [ssm],
        actions: ['s3:GetBucketAcl'],
        resources: [this.bucket.bucketArn],
        conditions: { StringEquals: fromOrganization },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SystemsManagerWritesInventoryOnly',
        principals: [ssm],
        actions: ['s3:PutObject', 's3:PutObjectTagging'],
        // Inventory keys only: `<prefix>/AWS:<Type>/accountid=<id>/…`.
        resources: [this.bucket.arnForObjects('*/accountid=*/*')],
        conditions: { StringEquals: fromOrganization },
      }),
    );
    if (props.configDelivery) this.admitConfigDelivery(fromOrganization);
  }

  /**
   * AWS Config's delivery channels (config.amazonaws.com, delivering for the organisation's accounts) check
   * the bucket and write snapshots and history under `AWSLogs/<account>/Config/`. `aws:SourceOrgID` is the
   * organisation-wide form of the `aws:SourceAccount` key Config documents: present on every request a
   * service principal makes for a source account, so no account list to keep up to date (the reference
   * template admitted any account's Config here).
   */
  private admitConfigDelivery(fromOrganization: Record<string, string>): void {
    const config = new iam.ServicePrincipal('config.amazonaws.com');
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ConfigChecksTheBucket',
        principals: [config],
        actions: ['s3:GetBucketAcl', 's3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringEquals: fromOrganization },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ConfigWritesSnapshotsOnly',
        principals: [config],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('AWSLogs/*/Config/*')],
        conditions: {
          StringEquals: { ...fromOrganization, 's3:x-amz-acl': 'bucket-owner-full-control' },
        },
      }),
    );
  }
}
