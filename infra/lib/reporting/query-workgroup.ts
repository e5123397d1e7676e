import type { aws_kms as kms } from 'aws-cdk-lib';
import { aws_athena as athena, aws_s3 as s3, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface QueryWorkgroupProps {
  readonly name: string;
  readonly key: kms.IKey;
  /** Per-query cut-off in bytes scanned. */
  readonly bytesScannedCutoff: number;
  readonly accessLogs: s3.IBucket;
}

/**
 * The Athena workgroup every Patchboard query runs in: its result location and KMS encryption are enforced
 * (a client cannot send results elsewhere or unencrypted), and a runaway query stops at the cut-off.
 */
export class QueryWorkgroup extends Construct {
  readonly workgroup: athena.CfnWorkGroup;
  readonly resultsBucket: s3.Bucket;
  readonly name: string;

  constructor(scope: Construct, id: string, props: QueryWorkgroupProps) {
    super(scope, id);
    this.name = props.name;
    this.resultsBucket = new s3.Bucket(this, 'ResultsBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'athena-results/',
      removalPolicy: RemovalPolicy.RETAIN,
      // Results are re-creatable; a month covers re-downloads of the latest audit pack's queries.
      lifecycleRules: [{ id: 'ExpireQueryResults', expiration: Duration.days(30) }],
    });
    this.workgroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: props.name,
      description: 'Patchboard reports over the organisation inventory',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoff,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: this.resultsBucket.s3UrlForObject('results/'),
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.key.keyArn },
          expectedBucketOwner: this.resultsBucket.stack.account,
        },
      },
    });
  }
}
