import {
  App,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_logs as logs,
  BootstraplessSynthesizer,
  CfnParameter,
  CustomResource,
  Duration,
  Stack,
} from 'aws-cdk-lib';
import { INLINE_CODE_LIMIT, inlineBundle, LAMBDA_RUNTIME } from './bundle.js';

/**
 * The stack every member account and Region runs through the StackSet: the organisation sync's custom
 * resource and its function. Self-contained (inline code, no assets, no bootstrap), as StackSets need.
 */
export class OrganizationSyncMemberStack extends Stack {
  readonly code: string;

  constructor(scope: App, id: string) {
    super(scope, id, { synthesizer: new BootstraplessSynthesizer(), analyticsReporting: false });
    this.templateOptions.description =
      'Patchboard: the organisation Resource Data Sync of this account and Region';
    const parameter = (name: string, description: string, pattern: string, defaultValue?: string) =>
      new CfnParameter(this, name, {
        type: 'String',
        description,
        allowedPattern: pattern,
        ...(defaultValue ? { default: defaultValue } : {}),
      }).valueAsString;
    const syncName = parameter(
      'SyncName',
      'Resource Data Sync name',
      '^[a-zA-Z0-9_.-]{1,64}$',
      'patchboard-organization-sync',
    );
    const bucketName = parameter(
      'BucketName',
      'Sync bucket in the reporting account',
      '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
    );
    const bucketRegion = parameter(
      'BucketRegion',
      'Region of the sync bucket',
      '^[a-z]{2}(-gov)?-[a-z]+-[0-9]$',
    );
    const bucketPrefix = parameter(
      'BucketPrefix',
      'Key prefix in the sync bucket',
      '^[a-zA-Z0-9_.-]{1,256}$',
      'inventory',
    );
    const kmsKeyArn = parameter(
      'KmsKeyArn',
      'The sync bucket key (empty: the bucket default encryption applies)',
      '^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[a-f0-9-]+)?$',
    );

    this.code = inlineBundle('org-sync').code;
    if (this.code.length > INLINE_CODE_LIMIT) {
      throw new Error(
        `The org-sync handler bundles to ${this.code.length} characters; inline code allows ${INLINE_CODE_LIMIT}. Shorten the handler.`,
      );
    }
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Keeps this account and Region\u2019s organisation Resource Data Sync',
    });
    logGroup.grantWrite(role);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:CreateResourceDataSync', 'ssm:DeleteResourceDataSync'],
        resources: [
          this.formatArn({ service: 'ssm', resource: 'resource-data-sync', resourceName: syncName }),
        ],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        // ListResourceDataSync has no resource-level permissions.
        actions: ['ssm:ListResourceDataSync'],
        resources: ['*'],
      }),
    );
    const fn = new lambda.Function(this, 'Function', {
      runtime: LAMBDA_RUNTIME,
      code: lambda.Code.fromInline(this.code),
      handler: 'index.handler',
      timeout: Duration.minutes(2),
      memorySize: 128,
      role,
      logGroup,
      description: 'Patchboard: creates, replaces and deletes the organisation Resource Data Sync',
    });
    new CustomResource(this, 'OrganizationSync', {
      serviceToken: fn.functionArn,
      resourceType: 'Custom::OrganizationResourceDataSync',
      serviceTimeout: Duration.minutes(5),
      properties: {
        SyncName: syncName,
        BucketName: bucketName,
        BucketRegion: bucketRegion,
        BucketPrefix: bucketPrefix,
        KmsKeyArn: kmsKeyArn,
      },
    });
  }
}

/** The member template as JSON, from a stack in an app of its own. */
export function organizationSyncMemberTemplate(): {
  template: Record<string, unknown>;
  stack: OrganizationSyncMemberStack;
  app: App;
} {
  const app = new App({ analyticsReporting: false });
  const stack = new OrganizationSyncMemberStack(app, 'PatchboardOrganizationSync');
  const template = app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
  return { template, stack, app };
}
