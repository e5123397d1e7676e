import { aws_events as events, aws_iam as iam, aws_ssm as ssm, Stack, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { accountScopedPrincipal } from '../service-trust.js';

/**
 * Opt-in: when a node's Patch compliance turns NON_COMPLIANT, EventBridge starts an Automation that runs
 * AWS-RunPatchBaseline with Install on that node alone. Off by default: installing outside a window reboots
 * nodes when a patch needs it.
 */
export class InstallOnNonCompliance extends Construct {
  readonly rule: events.CfnRule;
  readonly document: ssm.CfnDocument;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    // Confused-deputy guard as the Systems Manager User Guide's Automation service role trust policy has it
    // ("Create a service role for Automation"): only Automation executions of this account may assume the role.
    const automationRole = new iam.Role(this, 'AutomationRole', {
      assumedBy: accountScopedPrincipal(this, 'ssm.amazonaws.com', {
        service: 'ssm',
        region: '*',
        resource: 'automation-execution',
      }),
      description: 'Patchboard: runs AWS-RunPatchBaseline Install on one non-compliant node',
    });
    automationRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:SendCommand'],
        resources: [
          stack.formatArn({
            service: 'ssm',
            account: '',
            resource: 'document',
            resourceName: 'AWS-RunPatchBaseline',
          }),
          stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' }),
          stack.formatArn({ service: 'ssm', resource: 'managed-instance', resourceName: '*' }),
        ],
      }),
    );
    automationRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:ListCommands', 'ssm:ListCommandInvocations', 'ssm:GetCommandInvocation'],
        resources: ['*'],
      }),
    );
    const acknowledge = (id: string, reason: string) =>
      Validations.of(automationRole).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${id}]`, reason });
    acknowledge(
      'Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*',
      'The node to patch is whichever EC2 instance of this account and Region turned non-compliant; the document is fixed to AWS-RunPatchBaseline.',
    );
    acknowledge(
      'Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:managed-instance/*',
      'The node to patch is whichever hybrid managed node of this account and Region turned non-compliant; the document is fixed to AWS-RunPatchBaseline.',
    );
    acknowledge(
      'Resource::*',
      'ssm:ListCommands, ListCommandInvocations and GetCommandInvocation have no resource-level permissions; the aws:runCommand step polls them for the result.',
    );
    this.document = new ssm.CfnDocument(this, 'Document', {
      name: 'Patchboard-InstallOnNonCompliance',
      // A named document with the default UpdateMethod (Replace) cannot change its content: CloudFormation
      // refuses to replace a resource with a custom name. NewVersion adds a version and makes it the default
      // (CloudFormation AWS::SSM::Document, UpdateMethod), which `:$DEFAULT` in the rule's target then runs.
      updateMethod: 'NewVersion',
      documentType: 'Automation',
      documentFormat: 'JSON',
      content: {
        schemaVersion: '0.3',
        description: 'Install approved patches on one node that turned non-compliant',
        assumeRole: '{{ AutomationAssumeRole }}',
        parameters: {
          InstanceId: { type: 'String', description: 'The non-compliant node' },
          AutomationAssumeRole: { type: 'String', default: automationRole.roleArn },
        },
        mainSteps: [
          {
            name: 'install',
            action: 'aws:runCommand',
            inputs: {
              DocumentName: 'AWS-RunPatchBaseline',
              InstanceIds: ['{{ InstanceId }}'],
              Parameters: { Operation: 'Install', RebootOption: 'RebootIfNeeded' },
            },
          },
        ],
      },
    });
    const eventsRole = new iam.Role(this, 'EventsRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: 'Patchboard: starts the install automation',
    });
    const definition = stack.formatArn({
      service: 'ssm',
      resource: 'automation-definition',
      resourceName: `${this.document.ref}:$DEFAULT`,
    });
    eventsRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['ssm:StartAutomationExecution'], resources: [definition] }),
    );
    eventsRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [automationRole.roleArn] }),
    );
    this.rule = new events.CfnRule(this, 'Rule', {
      name: 'patchboard-install-on-non-compliance',
      description: 'Patchboard: install patches when a node turns non-compliant',
      eventPattern: {
        source: ['aws.ssm'],
        'detail-type': ['Configuration Compliance State Change'],
        detail: { 'compliance-type': ['Patch'], 'compliance-status': ['non_compliant'] },
      },
      targets: [
        {
          id: 'InstallAutomation',
          arn: definition,
          roleArn: eventsRole.roleArn,
          inputTransformer: {
            inputPathsMap: { node: '$.detail.resource-id' },
            inputTemplate: '{"InstanceId":["<node>"]}',
          },
        },
      ],
    });
  }
}
