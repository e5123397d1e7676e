/**
 * Synth tests of the optional AWS Config pieces and the platform-tagging function: each option on, and the
 * default (all off) deploying none of them. Every synth runs the AwsSolutions checks.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { isPatchboardError } from '@patchboard/core';
import { athenaSchema, CONFIG_SNAPSHOT_TABLE } from '@patchboard/engine-athena';
import { appConfigFromContext } from '../lib/app-config.js';
import { INLINE_CODE_LIMIT } from '../lib/bundle.js';
import { organizationSyncMemberTemplate } from '../lib/organization-sync-member.js';
import { APP_CONTEXT, buildApp } from '../lib/patchboard-app.js';

const BASE = {
  reportingAccount: '123456789012',
  reportingRegion: 'eu-west-1',
  organizationId: 'o-a1b2c3d4e5',
  stackSetAdminAccount: '210987654321',
  stackSetTargets: 'r-ab12',
  syncKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/0c1d2e3f-1111-2222-3333-444455556666',
} as Record<string, string>;

interface Synthesised {
  readonly reporting: Template;
  readonly member: Template;
  readonly memberJson: Record<string, unknown>;
  readonly violations: readonly string[];
}

function synth(context: Record<string, string>): Synthesised {
  const app = new App({ context: APP_CONTEXT, outdir: mkdtempSync(join(tmpdir(), 'patchboard-config-')) });
  const stacks = buildApp(
    app,
    appConfigFromContext((key) => context[key]),
  );
  const assembly = app.synth();
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
    pluginReports: { violations: { ruleName: string }[] }[];
  };
  const stackSet = assembly.getStackByName(stacks.organizationSync.stackName).template as {
    Resources: Record<string, { Type: string; Properties: { TemplateBody: string } }>;
  };
  const body = Object.values(stackSet.Resources).find((r) => r.Type === 'AWS::CloudFormation::StackSet')
    ?.Properties.TemplateBody;
  const memberJson = JSON.parse(body ?? '{}') as Record<string, unknown>;
  return {
    reporting: Template.fromJSON(
      assembly.getStackByName(stacks.reporting.stackName).template as Record<string, unknown>,
    ),
    member: Template.fromJSON(memberJson),
    memberJson,
    violations: report.pluginReports.flatMap((p) => p.violations.map((v) => v.ruleName)),
  };
}

let off: Synthesised;
let on: Synthesised;
let elsewhere: Synthesised;
const EXTERNAL_LOCATION = 's3://org-config-logs/o-a1b2c3d4e5/AWSLogs/';

beforeAll(() => {
  off = synth(BASE);
  on = synth({ ...BASE, 'config.recorder': 'true', 'config.aggregator': 'true', platformTags: 'true' });
  elsewhere = synth({ ...BASE, 'config.snapshotsLocation': EXTERNAL_LOCATION });
}, 240_000);

type GlueTable = { Properties: { TableInput: { Name: string; StorageDescriptor: { Location: string } } } };
const glueTables = (template: Template) =>
  (Object.values(template.findResources('AWS::Glue::Table')) as GlueTable[]).map((t) => [
    t.Properties.TableInput.Name,
    t.Properties.TableInput.StorageDescriptor.Location,
  ]);
const viewsProperties = (template: Template) =>
  (
    Object.values(template.findResources('Custom::PatchboardAthenaViews')) as {
      Properties: Record<string, unknown>;
    }[]
  )[0]?.Properties;
/** Every statement of the role policies whose logical id starts with the prefix (overflow policies too). */
const roleStatements = (template: Template, prefix: string) =>
  (
    [
      ...Object.entries(template.findResources('AWS::IAM::Policy')),
      ...Object.entries(template.findResources('AWS::IAM::ManagedPolicy')),
    ] as [string, { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }][]
  )
    .filter(([id]) => id.startsWith(prefix))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
/** A resource as text: `Fn::Join` joined and `Ref`s written `<Name>`, however CDK split the parts. */
const flatten = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const v = value as { 'Fn::Join'?: [string, unknown[]]; Ref?: string };
  if (v['Fn::Join']) return v['Fn::Join'][1].map(flatten).join(v['Fn::Join'][0]);
  if (v.Ref) return `<${v.Ref}>`;
  return JSON.stringify(value);
};
/** Whether some statement allows the action on the resource (statements are merged: arrays on both sides). */
const allows = (statements: readonly Record<string, unknown>[], action: string, resource: string) =>
  statements.some(
    (st) =>
      st.Effect === 'Allow' &&
      ([] as unknown[]).concat(st.Action).includes(action) &&
      ([] as unknown[]).concat(st.Resource).some((r) => flatten(r) === resource),
  );
const s3Arn = (path: string) => `arn:<AWS::Partition>:s3:::${path}`;
const SYNC_LOCATION = 's3://patchboard-sync-123456789012-eu-west-1/inventory/';

const CONFIG_TYPES = [
  'AWS::Config::ConfigurationRecorder',
  'AWS::Config::DeliveryChannel',
  'AWS::Config::ConfigRule',
  'AWS::Config::ConfigurationAggregator',
];

describe('defaults: every option off', () => {
  it('deploys no Config resource, no platform tagging and no Config access to the bucket or key', () => {
    for (const type of CONFIG_TYPES) {
      off.reporting.resourceCountIs(type, 0);
      off.member.resourceCountIs(type, 0);
    }
    off.member.resourceCountIs('AWS::Events::Rule', 0);
    off.member.resourceCountIs('AWS::Lambda::Function', 1);
    expect(JSON.stringify(off.reporting.toJSON())).not.toContain('config.amazonaws.com');
    expect(off.violations).toEqual([]);
  });

  it('Athena has no Config snapshot table and the views read the sync bucket alone', () => {
    expect(glueTables(off.reporting).map(([name]) => name)).not.toContain(CONFIG_SNAPSHOT_TABLE);
    expect(glueTables(off.reporting)).toHaveLength(athenaSchema({ location: SYNC_LOCATION }).tables.length);
    expect(viewsProperties(off.reporting)).not.toHaveProperty('ConfigLocation');
  });

  it('the member template in the StackSet is the plain organisation sync template', () => {
    expect(off.memberJson).toEqual(organizationSyncMemberTemplate().template);
    expect(off.memberJson.Description).toBe(
      'Patchboard: the organisation Resource Data Sync of this account and Region',
    );
  });
});

describe('config.recorder', () => {
  it('records EC2 instances and what the two rules read, with a recorder role on AWS_ConfigRole', () => {
    on.member.resourceCountIs('AWS::Config::ConfigurationRecorder', 1);
    on.member.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: {
        AllSupported: false,
        IncludeGlobalResourceTypes: false,
        RecordingStrategy: { UseOnly: 'INCLUSION_BY_RESOURCE_TYPES' },
        ResourceTypes: [
          'AWS::EC2::Instance',
          'AWS::SSM::ManagedInstanceInventory',
          'AWS::SSM::PatchCompliance',
          'AWS::Config::ResourceCompliance',
        ],
      },
      RoleARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ConfigRole'), 'Arn'] },
    });
    on.member.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'config.amazonaws.com' } })],
      },
      ManagedPolicyArns: [
        {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWS_ConfigRole'],
          ],
        },
      ],
    });
  });

  it('delivers a daily snapshot to the central bucket with no key prefix, encrypted with its key when given', () => {
    const channels = on.member.findResources('AWS::Config::DeliveryChannel');
    const [channel] = Object.values(channels) as {
      Properties: Record<string, unknown>;
      DependsOn: string[];
    }[];
    expect(Object.keys(channels)).toHaveLength(1);
    expect(channel?.Properties).toEqual({
      ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'TwentyFour_Hours' },
      S3BucketName: { Ref: 'BucketName' },
      S3KmsKeyArn: {
        'Fn::If': [expect.stringMatching(/HasKmsKey/), { Ref: 'KmsKeyArn' }, { Ref: 'AWS::NoValue' }],
      },
    });
    expect(channel?.Properties).not.toHaveProperty('S3KeyPrefix');
    // Config refuses a channel while no recorder exists.
    expect(channel?.DependsOn).toEqual([expect.stringMatching(/^ConfigRecorder/)]);
    const conditionId = (channel?.Properties.S3KmsKeyArn as { 'Fn::If': [string] })['Fn::If'][0];
    on.member.hasCondition(conditionId, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'KmsKeyArn' }, ''] }] });
  });

  it('deploys the two AWS managed rules under their exact names and identifiers', () => {
    const rules = Object.values(on.member.findResources('AWS::Config::ConfigRule')) as {
      Properties: { ConfigRuleName: string; Source: unknown; Scope: unknown };
      DependsOn: string[];
    }[];
    expect(rules.map((r) => [r.Properties.ConfigRuleName, r.Properties.Source, r.Properties.Scope])).toEqual([
      [
        'ec2-instance-managed-by-systems-manager',
        { Owner: 'AWS', SourceIdentifier: 'EC2_INSTANCE_MANAGED_BY_SSM' },
        { ComplianceResourceTypes: ['AWS::EC2::Instance', 'AWS::SSM::ManagedInstanceInventory'] },
      ],
      [
        'ec2-managedinstance-patch-compliance-status-check',
        { Owner: 'AWS', SourceIdentifier: 'EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK' },
        { ComplianceResourceTypes: ['AWS::SSM::PatchCompliance'] },
      ],
    ]);
    for (const rule of rules) expect(rule.DependsOn).toEqual([expect.stringMatching(/^ConfigRecorder/)]);
  });

  it('the bucket admits Config delivery from the organisation only, under AWSLogs/*/Config/*', () => {
    const policies = Object.values(on.reporting.findResources('AWS::S3::BucketPolicy')) as {
      Properties: { Bucket: { Ref: string }; PolicyDocument: { Statement: Record<string, unknown>[] } };
    }[];
    const statements =
      policies.find((p) => p.Properties.Bucket.Ref.startsWith('SyncBucket'))?.Properties.PolicyDocument
        .Statement ?? [];
    const bucketArn = { 'Fn::GetAtt': [expect.stringMatching(/^SyncBucket/), 'Arn'] };
    expect(statements.find((s) => s.Sid === 'ConfigChecksTheBucket')).toEqual({
      Sid: 'ConfigChecksTheBucket',
      Effect: 'Allow',
      Principal: { Service: 'config.amazonaws.com' },
      Action: ['s3:GetBucketAcl', 's3:ListBucket'],
      Resource: bucketArn,
      Condition: { StringEquals: { 'aws:SourceOrgID': 'o-a1b2c3d4e5' } },
    });
    expect(statements.find((s) => s.Sid === 'ConfigWritesSnapshotsOnly')).toEqual({
      Sid: 'ConfigWritesSnapshotsOnly',
      Effect: 'Allow',
      Principal: { Service: 'config.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [bucketArn, '/AWSLogs/*/Config/*']] },
      Condition: {
        StringEquals: {
          'aws:SourceOrgID': 'o-a1b2c3d4e5',
          's3:x-amz-acl': 'bucket-owner-full-control',
        },
      },
    });
  });

  it('the key lets Config encrypt the snapshots, for the organisation only', () => {
    on.reporting.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'ConfigDeliveryOfTheOrganization',
            Effect: 'Allow',
            Principal: { Service: 'config.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceOrgID': 'o-a1b2c3d4e5' } },
          },
        ]),
      },
    });
  });
});

describe('Athena over the Config snapshots', () => {
  const syncAwsLogs = 's3://patchboard-sync-123456789012-eu-west-1/AWSLogs/';

  it('with the recorder: the snapshot table reads the sync bucket AWSLogs/ root, and the views are built with it', () => {
    const expected = athenaSchema({ location: SYNC_LOCATION, configLocation: syncAwsLogs });
    expect(glueTables(on.reporting)).toContainEqual([CONFIG_SNAPSHOT_TABLE, syncAwsLogs]);
    expect(glueTables(on.reporting)).toHaveLength(expected.tables.length);
    expect(viewsProperties(on.reporting)).toMatchObject({
      Location: SYNC_LOCATION,
      ConfigLocation: syncAwsLogs,
    });
    // The views' SQL differs from the default schema's, so its hash (which re-runs the DDL) does too.
    expect(viewsProperties(on.reporting)?.ViewsSha256).not.toBe(viewsProperties(off.reporting)?.ViewsSha256);
  });

  it('with the recorder: the views function may read the snapshot table, the delivery function its objects', () => {
    const tableArn = `:table/patchboard/${CONFIG_SNAPSHOT_TABLE}`;
    for (const prefix of ['CatalogueViewsFunctionRole', 'DeliveryDeliveryRole']) {
      const glue = roleStatements(on.reporting, prefix).find((st) =>
        JSON.stringify(st.Action).includes('glue:GetTable'),
      );
      expect(JSON.stringify(glue?.Resource), prefix).toContain(tableArn);
    }
    const delivery = roleStatements(on.reporting, 'DeliveryDeliveryRole');
    const configObjects = s3Arn('patchboard-sync-123456789012-eu-west-1/AWSLogs/*/Config/*');
    expect(allows(delivery, 's3:GetObject', configObjects)).toBe(true);
    // Scoped to the Config folders: nothing else below AWSLogs/ of the sync bucket.
    expect(allows(delivery, 's3:GetObject', s3Arn('patchboard-sync-123456789012-eu-west-1/AWSLogs/*'))).toBe(
      false,
    );
    expect(allows(roleStatements(off.reporting, 'DeliveryDeliveryRole'), 's3:GetObject', configObjects)).toBe(
      false,
    );
  });

  it('with config.snapshotsLocation: the table reads that location and the delivery function may list and read it', () => {
    expect(glueTables(elsewhere.reporting)).toContainEqual([CONFIG_SNAPSHOT_TABLE, EXTERNAL_LOCATION]);
    expect(viewsProperties(elsewhere.reporting)).toMatchObject({ ConfigLocation: EXTERNAL_LOCATION });
    const statements = roleStatements(elsewhere.reporting, 'DeliveryDeliveryRole');
    expect(allows(statements, 's3:ListBucket', s3Arn('org-config-logs'))).toBe(true);
    expect(allows(statements, 's3:GetBucketLocation', s3Arn('org-config-logs'))).toBe(true);
    expect(allows(statements, 's3:GetObject', s3Arn('org-config-logs/o-a1b2c3d4e5/AWSLogs/*'))).toBe(true);
    expect(allows(statements, 's3:GetObject', s3Arn('org-config-logs/*'))).toBe(false);
    // Nothing is deployed for Config in the member accounts, and the sync bucket admits no Config delivery.
    for (const type of CONFIG_TYPES) elsewhere.member.resourceCountIs(type, 0);
    expect(JSON.stringify(elsewhere.reporting.toJSON())).not.toContain('config.amazonaws.com');
    expect(elsewhere.violations).toEqual([]);
  });
});

describe('config.aggregator', () => {
  it('an organisation aggregator over all Regions, with its role on AWSConfigRoleForOrganizations', () => {
    on.reporting.resourceCountIs('AWS::Config::ConfigurationAggregator', 1);
    on.reporting.hasResourceProperties('AWS::Config::ConfigurationAggregator', {
      ConfigurationAggregatorName: 'patchboard-organization',
      OrganizationAggregationSource: {
        AllAwsRegions: true,
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ConfigAggregatorRole'), 'Arn'] },
      },
    });
    on.reporting.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'config.amazonaws.com' } })],
      },
      ManagedPolicyArns: [
        {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':iam::aws:policy/service-role/AWSConfigRoleForOrganizations',
            ],
          ],
        },
      ],
    });
  });
});

describe('platformTags', () => {
  it('an inline function under the inline limit, run every 6 hours by EventBridge', () => {
    const functions = Object.entries(on.member.findResources('AWS::Lambda::Function')) as [
      string,
      { Properties: { Code: { ZipFile: string }; Runtime: string; Timeout: number } },
    ][];
    const [id, fn] = functions.find(([logicalId]) => logicalId.startsWith('PlatformTags')) ?? [];
    const code = fn?.Properties.Code.ZipFile ?? '';
    expect(code.length).toBeGreaterThan(1000);
    expect(code.length).toBeLessThanOrEqual(INLINE_CODE_LIMIT);
    expect(code).toContain('DescribeInstanceInformationCommand');
    expect(code).toContain('CreateTagsCommand');
    expect(fn?.Properties.Runtime).toBe('nodejs24.x');
    on.member.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(6 hours)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [id, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } }),
      ],
    });
    on.member.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [id, 'Arn'] },
    });
  });

  it('may create only the three platform tags, on EC2 instances of its account and Region', () => {
    const policies = Object.entries(on.member.findResources('AWS::IAM::Policy')) as [
      string,
      { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } },
    ][];
    const statements = policies.find(([id]) => id.startsWith('PlatformTags'))?.[1].Properties.PolicyDocument
      .Statement;
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':ec2:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':instance/*',
          ],
        ],
      },
      Condition: {
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['PlatformType', 'PlatformName', 'PlatformVersion'] },
        Null: { 'aws:TagKeys': 'false' },
        StringEqualsIfExists: { 'aws:RequestTag/PlatformType': ['Linux', 'Windows', 'MacOS'] },
      },
    });
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['ssm:DescribeInstanceInformation', 'ec2:DescribeInstances'],
      Resource: '*',
    });
    // Nothing else but its log group.
    expect(statements).toHaveLength(3);
  });

  it('every stack and the member template stay clean under the AwsSolutions checks', () => {
    expect(on.violations).toEqual([]);
    const member = organizationSyncMemberTemplate({ configRecorder: true, platformTags: true });
    const nag = member.report.pluginReports.find((p) => p.pluginName === 'AwsSolutions');
    expect(nag?.violations).toEqual([]);
  });
});

describe('option validation', () => {
  const read = (context: Record<string, unknown>) => appConfigFromContext((key) => context[key]);
  const error = (context: Record<string, unknown>) => {
    try {
      read(context);
    } catch (e) {
      return e;
    }
    return undefined;
  };

  it('all off by default; true/false from -c or JSON', () => {
    const defaults = read({});
    expect(defaults.config).toEqual({ recorder: false, aggregator: false });
    expect(defaults.platformTags).toBe(false);
    expect(
      read({ 'config.recorder': true, 'config.aggregator': 'false', platformTags: 'true' }),
    ).toMatchObject({
      config: { recorder: true, aggregator: false },
      platformTags: true,
    });
  });

  it('rejects a flag that is neither true nor false, naming the key and the fix', () => {
    const e = error({ platformTags: 'yes' });
    expect(isPatchboardError(e)).toBe(true);
    expect((e as Error).message).toBe(
      'The context value platformTags="yes" is not an on/off option; give true or false (e.g. -c platformTags=true).',
    );
  });

  it('accepts an s3://…/AWSLogs/ snapshot location and rejects anything else', () => {
    expect(read({ 'config.snapshotsLocation': 's3://org-config-logs/o-a1b2c3d4e5/AWSLogs/' }).config).toEqual(
      {
        recorder: false,
        aggregator: false,
        snapshotsLocation: 's3://org-config-logs/o-a1b2c3d4e5/AWSLogs/',
      },
    );
    for (const bad of [
      'org-config-logs/AWSLogs/',
      's3://org-config-logs/AWSLogs',
      's3://org-config-logs/logs/',
    ]) {
      const e = error({ 'config.snapshotsLocation': bad });
      expect(isPatchboardError(e), bad).toBe(true);
      expect((e as Error).message).toContain('is not an S3 location ending in AWSLogs/');
    }
  });

  it('rejects the recorder together with an external snapshot location', () => {
    const e = error({
      'config.recorder': 'true',
      'config.snapshotsLocation': 's3://org-config-logs/AWSLogs/',
    });
    expect(isPatchboardError(e)).toBe(true);
    expect((e as Error).message).toContain('set one of them');
  });
});
