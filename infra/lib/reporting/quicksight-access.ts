import type { aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { aws_iam as iam, Stack, Token, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { grantWorkgroupQueries } from './grant-query-results.js';

export interface QuickSightAccessProps {
  readonly database: string;
  readonly workgroup: string;
  readonly syncBucket: s3.IBucket;
  readonly syncPrefix: string;
  readonly resultsBucket: s3.Bucket;
  readonly key: kms.IKey;
}

/**
 * The role QuickSight's Athena data source runs its queries as (`AthenaParameters.RoleArn`, which overrides
 * the account-wide QuickSight role for one data source: CloudFormation AWS::QuickSight::DataSource
 * AthenaParameters). The role is created here, so nothing names QuickSight's own service role, which exists only
 * once QuickSight is set up in the account: KMS refuses a key policy whose principal does not exist ("The
 * principals in the key policy must exist and be visible to KMS", KMS API PutKeyPolicy). The key reaches the
 * role through IAM, which the key's default policy (account root) allows.
 */
export class QuickSightAccess extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: QuickSightAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('quicksight.amazonaws.com'),
      description: 'Patchboard: QuickSight reads the inventory views through the Patchboard workgroup',
    });
    grantWorkgroupQueries(this.role, props.workgroup, props.resultsBucket, props.key, [
      'athena:GetWorkGroup',
    ]);
    const tables = stack.formatArn({
      service: 'glue',
      resource: 'table',
      resourceName: `${props.database}/*`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'glue:GetDatabase',
          'glue:GetDatabases',
          'glue:GetTable',
          'glue:GetTables',
          'glue:GetPartitions',
        ],
        resources: [
          stack.formatArn({ service: 'glue', resource: 'catalog' }),
          stack.formatArn({ service: 'glue', resource: 'database', resourceName: props.database }),
          tables,
        ],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket'],
        resources: [props.syncBucket.bucketArn],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [props.syncBucket.arnForObjects(`${props.syncPrefix}/*`)],
      }),
    );
    const acknowledge = (resource: string, reason: string) =>
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${resource}]`,
        reason,
      });
    const concrete = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
    acknowledge(
      `arn:<AWS::Partition>:glue:${concrete(stack.region, 'AWS::Region')}:${concrete(stack.account, 'AWS::AccountId')}:table/${props.database}/*`,
      'QuickSight reads the Patchboard database only: its tables and the views over them.',
    );
    const syncId = stack.resolve((props.syncBucket.node.defaultChild as s3.CfnBucket).logicalId) as string;
    acknowledge(
      `<${syncId}.Arn>/${props.syncPrefix}/*`,
      'Athena reads every inventory object the sync writes under its prefix; the keys name accounts, Regions and nodes.',
    );
  }
}
