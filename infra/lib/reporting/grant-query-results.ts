import type { aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { aws_iam as iam, Stack, Validations } from 'aws-cdk-lib';

/**
 * What running Athena queries needs of the results bucket and key, with explicit actions. Athena names each
 * result object after the query execution id, so the object resource is a prefix wildcard, acknowledged here.
 */
export function grantQueryResults(role: iam.IRole, bucket: s3.Bucket, key: kms.IKey): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['s3:GetBucketLocation', 's3:ListBucket'],
      resources: [bucket.bucketArn],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: [bucket.arnForObjects('results/*')],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
  );
  const bucketId = bucket.stack.resolve((bucket.node.defaultChild as s3.CfnBucket).logicalId) as string;
  Validations.of(role).acknowledge({
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/results/*]`,
    reason:
      'Athena writes each result object under results/ with a key it generates from the query execution id.',
  });
}

/**
 * Running queries in the workgroup and reading their results (plus `extraActions` on the workgroup), and the
 * results bucket and key as `grantQueryResults` gives them.
 */
export function grantWorkgroupQueries(
  role: iam.IRole,
  workgroup: string,
  bucket: s3.Bucket,
  key: kms.IKey,
  extraActions: readonly string[] = [],
): void {
  grantQueryResults(role, bucket, key);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: [
        'athena:StartQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:StopQueryExecution',
        ...extraActions,
      ],
      resources: [
        Stack.of(role).formatArn({ service: 'athena', resource: 'workgroup', resourceName: workgroup }),
      ],
    }),
  );
}
