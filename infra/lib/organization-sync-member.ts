import {
  App,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_logs as logs,
  CfnParameter,
  CustomResource,
  Duration,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsSolutionsChecks } from 'cdk-nag';
import { INLINE_CODE_LIMIT, inlineBundle, LAMBDA_RUNTIME } from './bundle.js';
import { ConfigRecorder } from './member/config-recorder.js';
import { NoBootstrapSynthesizer } from './no-bootstrap-synthesizer.js';
import { PlatformTagging } from './member/platform-tagging.js';

/** Every organisation sync Patchboard creates is named `patchboard-…`: the role is scoped to that prefix. */
export const SYNC_NAME_PREFIX = 'patchboard-';
/** Resource Data Sync names allow 1-64 of these characters (SSM API CreateResourceDataSync, SyncName). */
export const SYNC_NAME_PATTERN = `^${SYNC_NAME_PREFIX}[a-zA-Z0-9_.-]{1,${64 - SYNC_NAME_PREFIX.length}}$`;

/** What the member template adds to the organisation sync; everything off by default. */
export interface MemberOptions {
  /** AWS Config recorder, delivery channel to the sync bucket and the two managed rules. */
  readonly configRecorder?: boolean;
  /** The scheduled function that tags EC2 instances with their SSM platform. */
  readonly platformTags?: boolean;
}

/**
 * The stack every member account and Region runs through the StackSet: the organisation sync's custom
 * resource and its function, and the optional AWS Config recorder and platform tagging. Self-contained
 * (inline code, no assets, no bootstrap), as StackSets need.
 */
export class OrganizationSyncMemberStack extends Stack {
  readonly code: string;
  readonly configRecorder?: ConfigRecorder;
  readonly platformTagging?: PlatformTagging;

  constructor(scope: App, id: string, options: MemberOptions = {}) {
    super(scope, id, { synthesizer: new NoBootstrapSynthesizer(), analyticsReporting: false });
    this.templateOptions.description = [
      'Patchboard: the organisation Resource Data Sync of this account and Region',
      ...(options.configRecorder ? ['AWS Config recorder and rules'] : []),
      ...(options.platformTags ? ['EC2 platform tags'] : []),
    ].join('; ');
    const parameter = (name: string, description: string, pattern: string, defaultValue?: string) =>
      new CfnParameter(this, name, {
        type: 'String',
        description,
        allowedPattern: pattern,
        ...(defaultValue ? { default: defaultValue } : {}),
      }).valueAsString;
    const syncName = parameter(
      'SyncName',
      'Resource Data Sync name (patchboard-…)',
      SYNC_NAME_PATTERN,
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
      description: 'Keeps the organisation Resource Data Sync of this account and Region',
    });
    logGroup.grantWrite(role);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:CreateResourceDataSync', 'ssm:DeleteResourceDataSync'],
        // The syncs named patchboard-…, not the parameter's value: on a rename CloudFormation updates this policy
        // before the custom resource, whose handler then deletes the old sync (create new, delete old).
        resources: [
          this.formatArn({
            service: 'ssm',
            resource: 'resource-data-sync',
            resourceName: `${SYNC_NAME_PREFIX}*`,
          }),
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
    Validations.of(role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:resource-data-sync/${SYNC_NAME_PREFIX}*]`,
      reason:
        'Create and delete reach every Patchboard sync of this account and Region (names start with patchboard-), so that a renamed sync can still delete the sync of its old name; the function only acts on the names its own stack passes.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'ssm:ListResourceDataSync has no resource-level permissions (the Service Authorization Reference lists no resource type for it); create and delete are scoped to the one sync.',
    });
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
    if (options.configRecorder) {
      this.configRecorder = new ConfigRecorder(this, 'Config', { bucketName, kmsKeyArn });
    }
    if (options.platformTags) this.platformTagging = new PlatformTagging(this, 'PlatformTags');
  }
}

interface ValidationReport {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly violations: readonly { readonly ruleName: string }[];
  }[];
}

/**
 * The member template as JSON, from a stack in an app of its own, checked by the same AwsSolutions rules as
 * the app's stacks (their validation does not reach into a template body): a finding fails the synth.
 */
export function organizationSyncMemberTemplate(options: MemberOptions = {}): {
  template: Record<string, unknown>;
  stack: OrganizationSyncMemberStack;
  report: ValidationReport;
} {
  const app = new App({
    analyticsReporting: false,
    outdir: mkdtempSync(join(tmpdir(), 'patchboard-member-')),
  });
  const stack = new OrganizationSyncMemberStack(app, 'PatchboardOrganizationSync', options);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  const assembly = app.synth();
  const report = JSON.parse(
    readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  const violations = report.pluginReports.flatMap((p) => p.violations.map((v) => v.ruleName));
  if (violations.length > 0) {
    throw new Error(
      `The organisation sync member template has unacknowledged findings: ${violations.join(', ')}. Fix or acknowledge them with a reason.`,
    );
  }
  const template = assembly.getStackByName(stack.stackName).template as Record<string, unknown>;
  return { template, stack, report };
}
