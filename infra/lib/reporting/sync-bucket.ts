import type { aws_kms as kms } from 'aws-cdk-lib';
import { aws_iam as iam, aws_s3 as s3, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface SyncBucketProps {
  readonly bucketName: string;
  readonly organizationId: string;
  readonly key: kms.IKey;
  /** Days a replaced (noncurrent) object version is kept. */
  readonly retentionDays: number;
  readonly accessLogs: s3.IBucket;
  /** Let the organisation's AWS Config delivery channels write snapshots under `AWSLogs/`; default false. */
  readonly configDelivery?: boolean;
}

/**
 * Where every account's Resource Data Sync writes. Current objects never expire: a sync writes a node's object
 * only when that inventory type's data changed: for an unchanged type the agent's PutInventory carries the
 * content hash alone, no content (amazon-ssm-agent agent/plugins/inventory/datauploader/uploader.go,
 * ConvertToSsmInventoryItems), and nothing documents a rewrite of the S3 object then. So a live node's unchanged `AWS:Application` or
 * `AWS:Tag` object can be months old, and expiring by age would delete it. The Systems Manager User Guide
 * ("Configuring resource data sync for Inventory") says the sync keeps a deleted node's files; see
 * infra/README.md for how they are told apart. Replaced versions, and Config snapshots under `AWSLogs/`, expire
 * after `retentionDays`.
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
          id: 'ExpireReplacedVersions',
          noncurrentVersionExpiration: Duration.days(props.retentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        { id: 'RemoveExpiredDeleteMarkers', expiredObjectDeleteMarker: true },
        // AWS Config writes a new snapshot object every day and only the newest per account and Region is
        // read, so snapshots (unlike inventory objects) do expire by age.
        { id: 'ExpireConfigSnapshots', prefix: 'AWSLogs/', expiration: Duration.days(props.retentionDays) },
      ],
    });
    // The bucket policy the Systems Manager User Guide gives for an organisation sync ("Configuring resource
    // data sync for Inventory", accounts defined in AWS Organizations): GetBucketAcl unconditioned; PutObject
    // below `*/accountid=*/*` with `s3:x-amz-acl = bucket-owner-full-control` and the sync's own object tag
    // `s3:RequestObjectTag/OrgId = <organisation id>`; PutObjectTagging on the same keys. No guide documents
    // that the sync's requests carry `aws:SourceOrgID`, so the organisation is checked on the tag it sets.
    const ssm = new iam.ServicePrincipal('ssm.amazonaws.com');
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SystemsManagerChecksTheBucket',
        principals: [ssm],
        actions: ['s3:GetBucketAcl'],
        resources: [this.bucket.bucketArn],
      }),
    );
    const inventoryKeys = this.bucket.arnForObjects('*/accountid=*/*');
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SystemsManagerWritesInventoryOnly',
        principals: [ssm],
        actions: ['s3:PutObject'],
        resources: [inventoryKeys],
        conditions: {
          StringEquals: {
            's3:x-amz-acl': 'bucket-owner-full-control',
            's3:RequestObjectTag/OrgId': props.organizationId,
          },
        },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SystemsManagerTagsInventory',
        principals: [ssm],
        actions: ['s3:PutObjectTagging'],
        resources: [inventoryKeys],
      }),
    );
    const fromOrganization = { 'aws:SourceOrgID': props.organizationId };
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
