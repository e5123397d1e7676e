import { aws_config as config, aws_iam as iam, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { accountScopedPrincipal } from '../service-trust.js';

export const AGGREGATOR_NAME = 'patchboard-organization';

/**
 * An AWS Config aggregator over every account and Region of the organisation, in the reporting account: one
 * place to see the two managed rules' verdicts. The reporting account must be the management account or
 * Config's delegated administrator (`aws organizations register-delegated-administrator
 * --service-principal config.amazonaws.com`), and trusted access for Config must be on.
 */
export class ConfigAggregator extends Construct {
  readonly aggregator: config.CfnConfigurationAggregator;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Confused-deputy guard (AWS Config Developer Guide, "Cross-service confused deputy prevention"):
    // Config assumes the role only for an aggregator of this account.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: accountScopedPrincipal(this, 'config.amazonaws.com', {
        service: 'config',
        resource: 'config-aggregator',
      }),
      description: 'Patchboard: AWS Config reads the organisation accounts for the aggregator',
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSConfigRoleForOrganizations'),
      ],
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSConfigRoleForOrganizations]',
      reason:
        'AWSConfigRoleForOrganizations is the policy AWS documents for an organisation aggregator role: it only reads the Organizations account list, which the aggregator needs as accounts join and leave.',
    });
    this.aggregator = new config.CfnConfigurationAggregator(this, 'Aggregator', {
      configurationAggregatorName: AGGREGATOR_NAME,
      organizationAggregationSource: { roleArn: this.role.roleArn, allAwsRegions: true },
    });
    this.aggregator.node.addDependency(this.role);
  }
}
