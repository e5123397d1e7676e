import { aws_config as config, aws_iam as iam, CfnCondition, Fn, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { accountScopedPrincipal } from '../service-trust.js';

/**
 * What the two managed rules evaluate: EC2_INSTANCE_MANAGED_BY_SSM reads EC2 instances and the SSM managed
 * instance inventory, EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK reads SSM patch compliance.
 * `AWS::Config::ResourceCompliance` puts each rule's verdict into the snapshot, which is where the
 * EC2 records' ManagedRuleCompliance and PatchRuleCompliance come from.
 */
export const RECORDED_RESOURCE_TYPES = [
  'AWS::EC2::Instance',
  'AWS::SSM::ManagedInstanceInventory',
  'AWS::SSM::PatchCompliance',
  'AWS::Config::ResourceCompliance',
] as const;

/** The two AWS managed rules, under the names the Config snapshot views look for. */
export const MANAGED_RULES = [
  {
    name: 'ec2-instance-managed-by-systems-manager',
    identifier: 'EC2_INSTANCE_MANAGED_BY_SSM',
    resourceTypes: ['AWS::EC2::Instance', 'AWS::SSM::ManagedInstanceInventory'],
  },
  {
    name: 'ec2-managedinstance-patch-compliance-status-check',
    identifier: 'EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK',
    resourceTypes: ['AWS::SSM::PatchCompliance'],
  },
] as const;

export interface ConfigRecorderProps {
  /** The central sync bucket (reporting account) Config delivers to. */
  readonly bucketName: string;
  /** The bucket's KMS key; empty: the bucket's default encryption applies. */
  readonly kmsKeyArn: string;
}

/**
 * AWS Config in one member account and Region: a recorder of the resource types the two rules need, a
 * delivery channel writing a snapshot every 24 hours to the central bucket with no key prefix (objects land
 * under `AWSLogs/<account>/Config/<region>/…`, where the ingest and Athena look), and the two managed rules.
 */
export class ConfigRecorder extends Construct {
  readonly recorder: config.CfnConfigurationRecorder;
  readonly deliveryChannel: config.CfnDeliveryChannel;
  readonly rules: readonly config.CfnConfigRule[];

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    // A role of this stack with the AWS_ConfigRole managed policy, not the service-linked role: CloudFormation
    // cannot create AWSServiceRoleForConfig only where it is missing (AWS::IAM::ServiceLinkedRole fails where
    // Config ran before), and this role goes away with the stack. AWS keeps the managed policy current as
    // Config learns new resource types. The role is not granted the cross-account bucket: Config then
    // delivers as its service principal, which the bucket policy admits for the organisation only.
    // The AWS Config Developer Guide's trust policy for the recorder role ("Permissions for the IAM role
    // assigned to AWS Config") carries `AWS:SourceAccount`: Config assumes it only for this account.
    const role = new iam.Role(this, 'Role', {
      assumedBy: accountScopedPrincipal(this, 'config.amazonaws.com'),
      description: 'Patchboard: AWS Config records EC2 instances and SSM inventory and patch compliance',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWS_ConfigRole')],
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole]',
      reason:
        'AWS_ConfigRole is the policy AWS documents for a Config recorder role; AWS extends it as Config supports new resource types, which a hand-written copy would miss.',
    });
    this.recorder = new config.CfnConfigurationRecorder(this, 'Recorder', {
      roleArn: role.roleArn,
      recordingGroup: {
        allSupported: false,
        includeGlobalResourceTypes: false,
        resourceTypes: [...RECORDED_RESOURCE_TYPES],
        recordingStrategy: { useOnly: 'INCLUSION_BY_RESOURCE_TYPES' },
      },
    });
    const hasKey = new CfnCondition(this, 'HasKmsKey', {
      expression: Fn.conditionNot(Fn.conditionEquals(props.kmsKeyArn, '')),
    });
    this.deliveryChannel = new config.CfnDeliveryChannel(this, 'DeliveryChannel', {
      s3BucketName: props.bucketName,
      // No s3KeyPrefix: the snapshots' keys start with AWSLogs/, the root the ingest and Athena read.
      s3KmsKeyArn: Fn.conditionIf(hasKey.logicalId, props.kmsKeyArn, Fn.ref('AWS::NoValue')).toString(),
      configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
    });
    // Config refuses a delivery channel or a rule while the account and Region has no recorder.
    this.deliveryChannel.addResourceDependency(this.recorder);
    this.rules = MANAGED_RULES.map((rule) => {
      const resource = new config.CfnConfigRule(this, `Rule-${rule.name}`, {
        configRuleName: rule.name,
        description: `Patchboard: AWS managed rule ${rule.identifier}`,
        source: { owner: 'AWS', sourceIdentifier: rule.identifier },
        scope: { complianceResourceTypes: [...rule.resourceTypes] },
      });
      resource.addResourceDependency(this.recorder);
      return resource;
    });
  }
}
