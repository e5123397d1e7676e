import {
  aws_events as events,
  aws_events_targets as targets,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_logs as logs,
  Duration,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PLATFORM_TAG_KEYS } from '../../lambda/platform-tags/tag-keys.js';
import { INLINE_CODE_LIMIT, inlineBundle, LAMBDA_RUNTIME } from '../bundle.js';
/** SSM's PlatformType values. */
export const PLATFORM_TYPES = ['Linux', 'Windows', 'MacOS'] as const;
export const PLATFORM_TAGS_SCHEDULE = 'rate(6 hours)';

/**
 * A function on an EventBridge schedule that tags the account and Region's EC2 instances with their SSM
 * platform (lambda/platform-tags), so maintenance windows can target `tag:PlatformType`. Inline code, like the
 * organisation sync's, because a StackSet cannot ship an asset to every account and Region.
 */
export class PlatformTagging extends Construct {
  readonly function: lambda.Function;
  readonly rule: events.Rule;
  readonly code: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.code = inlineBundle('platform-tags').code;
    if (this.code.length > INLINE_CODE_LIMIT) {
      throw new Error(
        `The platform-tags handler bundles to ${this.code.length} characters; inline code allows ${INLINE_CODE_LIMIT}. Shorten the handler.`,
      );
    }
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Patchboard: tags EC2 instances with their SSM platform',
    });
    logGroup.grantWrite(role);
    role.addToPolicy(
      new iam.PolicyStatement({
        // Neither action has resource-level permissions.
        actions: ['ssm:DescribeInstanceInformation', 'ec2:DescribeInstances'],
        resources: ['*'],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ec2:CreateTags'],
        resources: [stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' })],
        conditions: {
          // Every key of the request is one of the three, and the request has keys.
          'ForAllValues:StringEquals': { 'aws:TagKeys': [...PLATFORM_TAG_KEYS] },
          Null: { 'aws:TagKeys': 'false' },
          // When PlatformType is written, it is one of SSM's platform types.
          StringEqualsIfExists: { 'aws:RequestTag/PlatformType': [...PLATFORM_TYPES] },
        },
      }),
    );
    const acknowledge = (resource: string, reason: string) =>
      Validations.of(role).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${resource}]`,
        reason,
      });
    acknowledge(
      '*',
      'ssm:DescribeInstanceInformation and ec2:DescribeInstances have no resource-level permissions (the Service Authorization Reference lists no resource type for them); both only read.',
    );
    acknowledge(
      'arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*',
      'Any EC2 instance of this account and Region that SSM manages gets its platform tags; the conditions allow only the keys PlatformType, PlatformName and PlatformVersion.',
    );
    this.function = new lambda.Function(this, 'Function', {
      runtime: LAMBDA_RUNTIME,
      code: lambda.Code.fromInline(this.code),
      handler: 'index.handler',
      timeout: Duration.minutes(5),
      memorySize: 256,
      role,
      logGroup,
      description: 'Patchboard: tags EC2 instances PlatformType, PlatformName and PlatformVersion from SSM',
    });
    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Patchboard: EC2 platform tags from SSM, every 6 hours',
      schedule: events.Schedule.expression(PLATFORM_TAGS_SCHEDULE),
    });
    this.rule.addTarget(new targets.LambdaFunction(this.function, { retryAttempts: 2 }));
  }
}
