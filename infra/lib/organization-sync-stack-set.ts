import { CfnStackSet, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { NoBootstrapSynthesizer } from './no-bootstrap-synthesizer.js';
import { organizationSyncMemberTemplate, type MemberOptions } from './organization-sync-member.js';

/**
 * Who calls CloudFormation for a service-managed StackSet (CloudFormation API reference, CreateStackSet
 * `CallAs`): `SELF` when signed in to the organisation's management account, `DELEGATED_ADMIN` when signed in
 * to an account registered as the StackSets delegated administrator.
 */
export type StackSetCaller = 'SELF' | 'DELEGATED_ADMIN';

export interface OrganizationSyncStackSetProps extends StackProps {
  readonly syncName: string;
  readonly bucketName: string;
  readonly bucketRegion: string;
  readonly bucketPrefix: string;
  readonly kmsKeyArn: string;
  /** Organisation units (or the root) to deploy to. */
  readonly organizationalUnitIds: readonly string[];
  readonly regions: readonly string[];
  /** How the StackSet's own stack calls CloudFormation: from the management account or a delegated administrator. */
  readonly callAs: StackSetCaller;
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
    // No bootstrap in the administrator account: the stack has no asset and its template travels inline.
    super(scope, id, { ...props, synthesizer: new NoBootstrapSynthesizer() });
    const { template } = organizationSyncMemberTemplate(props.member ?? {});
    this.stackSet = new CfnStackSet(this, 'StackSet', {
      stackSetName: 'patchboard-organization-sync',
      description: 'Patchboard: the organisation Resource Data Sync in every account and Region',
      permissionModel: 'SERVICE_MANAGED',
      callAs: props.callAs,
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
