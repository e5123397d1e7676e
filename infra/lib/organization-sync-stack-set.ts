import { CfnStackSet, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { organizationSyncMemberTemplate, type MemberOptions } from './organization-sync-member.js';

export interface OrganizationSyncStackSetProps extends StackProps {
  readonly syncName: string;
  readonly bucketName: string;
  readonly bucketRegion: string;
  readonly bucketPrefix: string;
  readonly kmsKeyArn: string;
  /** Organisation units (or the root) to deploy to. */
  readonly organizationalUnitIds: readonly string[];
  readonly regions: readonly string[];
  /** Optional member resources (AWS Config, platform tags); none by default. */
  readonly member?: MemberOptions;
}

/**
 * Deployed in the management account or the CloudFormation delegated administrator: a service-managed StackSet
 * that gives every account of the targeted units, new ones included (auto-deployment), its organisation sync.
 */
export class OrganizationSyncStackSetStack extends Stack {
  readonly stackSet: CfnStackSet;

  constructor(scope: Construct, id: string, props: OrganizationSyncStackSetProps) {
    super(scope, id, props);
    const { template } = organizationSyncMemberTemplate(props.member ?? {});
    this.stackSet = new CfnStackSet(this, 'StackSet', {
      stackSetName: 'patchboard-organization-sync',
      description: 'Patchboard: the organisation Resource Data Sync in every account and Region',
      permissionModel: 'SERVICE_MANAGED',
      callAs: 'DELEGATED_ADMIN',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_IAM'],
      managedExecution: { Active: true },
      operationPreferences: {
        regionConcurrencyType: 'PARALLEL',
        maxConcurrentPercentage: 25,
        failureTolerancePercentage: 10,
      },
      parameters: [
        { parameterKey: 'SyncName', parameterValue: props.syncName },
        { parameterKey: 'BucketName', parameterValue: props.bucketName },
        { parameterKey: 'BucketRegion', parameterValue: props.bucketRegion },
        { parameterKey: 'BucketPrefix', parameterValue: props.bucketPrefix },
        { parameterKey: 'KmsKeyArn', parameterValue: props.kmsKeyArn },
      ],
      stackInstancesGroup:
        props.organizationalUnitIds.length > 0
          ? [
              {
                deploymentTargets: { organizationalUnitIds: [...props.organizationalUnitIds] },
                regions: [...props.regions],
              },
            ]
          : [],
      templateBody: JSON.stringify(template),
    });
  }
}
