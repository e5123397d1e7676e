import { aws_iam as iam, aws_kms as kms, RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface ReportingKeyProps {
  /** Organisation whose Systems Manager syncs may encrypt with the key. */
  readonly organizationId: string;
  /** Let the organisation's AWS Config delivery channels encrypt snapshots with the key; default false. */
  readonly configDelivery?: boolean;
}

/**
 * The customer managed key of the sync and results buckets. Systems Manager may use it only on behalf of the
 * organisation's accounts (`aws:SourceOrgID`); the reporting account's own principals are governed by IAM.
 */
export class ReportingKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: ReportingKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Patchboard: Resource Data Sync objects and Athena results',
      enableKeyRotation: true,
      alias: 'alias/patchboard-reporting',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SystemsManagerSyncsOfTheOrganization',
        principals: [new iam.ServicePrincipal('ssm.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:Encrypt', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceOrgID': props.organizationId } },
      }),
    );
    if (props.configDelivery) {
      // Config writes snapshots as its service principal (the member recorder roles are not granted the
      // bucket), so the key must admit config.amazonaws.com with the two actions Config documents for
      // delivery to an SSE-KMS bucket, for the organisation only.
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'ConfigDeliveryOfTheOrganization',
          principals: [new iam.ServicePrincipal('config.amazonaws.com')],
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceOrgID': props.organizationId } },
        }),
      );
    }
  }
}
