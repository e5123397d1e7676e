/**
 * Synth-only tests of every stack: the app is synthesised once (with the AwsSolutions checks) and the
 * templates are asserted for the properties the deployment depends on.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { athenaSchema } from '@patchboard/engine-athena';
import { compileReport, policySchema, REPORTS, runsOn, trinoDialect } from '@patchboard/core';
import { appConfigFromContext } from '../lib/app-config.js';
import { buildSync } from 'esbuild';
import { ESBUILD_CONDITIONS, handlerEntry, INFRA_ROOT, INLINE_CODE_LIMIT } from '../lib/bundle.js';
import { organizationSyncMemberTemplate } from '../lib/organization-sync-member.js';
import { APP_CONTEXT, buildApp, type PatchboardStacks } from '../lib/patchboard-app.js';

interface Violation {
  readonly ruleName: string;
  readonly reason?: string;
}
interface ValidationReport {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly violations: readonly Violation[];
    readonly suppressedViolations?: readonly Violation[];
  }[];
}

const CONTEXT = {
  reportingAccount: '123456789012',
  reportingRegion: 'eu-west-1',
  organizationId: 'o-a1b2c3d4e5',
  stackSetAdminAccount: '210987654321',
  stackSetTargets: 'r-ab12',
  stackSetRegions: 'eu-west-1,us-east-1',
  syncKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/0c1d2e3f-1111-2222-3333-444455556666',
  syncRetentionDays: '45',
  deliveryFrom: 'patchboard@example.com',
  deliveryTo: 'ops@example.com',
  slackWebhookSecretName: 'patchboard/slack',
  quickSight: 'true',
  quickSightUser: 'analyst',
} as Record<string, string>;

let stacks: PatchboardStacks;
let reporting: Template;
let stackSet: Template;
let quickSight: Template;
let report: ValidationReport;
let member: ReturnType<typeof organizationSyncMemberTemplate>;
let assemblyDir: string;

beforeAll(() => {
  const outdir = mkdtempSync(join(tmpdir(), 'patchboard-synth-'));
  const app = new App({ context: { ...APP_CONTEXT, 'aws:cdk:enable-asset-metadata': true }, outdir });
  stacks = buildApp(
    app,
    appConfigFromContext((key) => CONTEXT[key]),
  );
  const assembly = app.synth();
  assemblyDir = assembly.directory;
  report = JSON.parse(
    readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  reporting = Template.fromJSON(
    assembly.getStackByName(stacks.reporting.stackName).template as Record<string, unknown>,
  );
  stackSet = Template.fromJSON(
    assembly.getStackByName(stacks.organizationSync.stackName).template as Record<string, unknown>,
  );
  member = organizationSyncMemberTemplate();
  if (!stacks.quickSight) throw new Error('the QuickSight stack was not built');
  quickSight = Template.fromJSON(
    assembly.getStackByName(stacks.quickSight.stackName).template as Record<string, unknown>,
  );
}, 120_000);

describe('cdk-nag AwsSolutions', () => {
  it('has no unacknowledged finding in any stack, and every acknowledgement gives its reason', () => {
    const nag = report.pluginReports.find((p) => p.pluginName === 'AwsSolutions');
    expect(nag).toBeDefined();
    expect(nag?.violations.map((v) => v.ruleName)).toEqual([]);
    for (const suppressed of nag?.suppressedViolations ?? []) {
      expect(suppressed.reason?.length ?? 0, suppressed.ruleName).toBeGreaterThan(40);
    }
    const memberNag = member.report.pluginReports.find((p) => p.pluginName === 'AwsSolutions');
    expect(memberNag?.violations).toEqual([]);
  });
});

describe('reporting stack', () => {
  it('KMS key rotates and lets SSM use it only for the organisation', () => {
    reporting.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'SystemsManagerSyncsOfTheOrganization',
            Principal: { Service: 'ssm.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceOrgID': 'o-a1b2c3d4e5' } },
          }),
        ]),
      },
    });
    // QuickSight is on here, yet no key policy statement names a role (KMS refuses a principal that does not
    // exist) and none conditions a role principal on aws:SourceAccount (only service principals send it).
    const key = Object.values(reporting.findResources('AWS::KMS::Key'))[0] as {
      Properties: { KeyPolicy: { Statement: { Principal: Record<string, unknown>; Condition?: unknown }[] } };
    };
    for (const statement of key.Properties.KeyPolicy.Statement) {
      expect(JSON.stringify(statement.Principal)).not.toContain('aws-quicksight-service-role');
      if (!('Service' in statement.Principal)) {
        expect(JSON.stringify(statement.Condition ?? {})).not.toContain('aws:SourceAccount');
      }
    }
  });

  it('sync bucket: versioned, KMS, public access blocked; only replaced versions expire', () => {
    reporting.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'patchboard-sync-123456789012-eu-west-1',
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) }),
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Id: 'ExpireReplacedVersions',
            NoncurrentVersionExpiration: { NoncurrentDays: 45 },
            Status: 'Enabled',
          }),
        ]),
      },
    });
    // A live node's unchanged inventory object is not rewritten: no rule expires current objects.
    const sync = Object.values(reporting.findResources('AWS::S3::Bucket')).find(
      (b) =>
        (b as { Properties: { BucketName?: string } }).Properties.BucketName ===
        'patchboard-sync-123456789012-eu-west-1',
    ) as { Properties: { LifecycleConfiguration: { Rules: Record<string, unknown>[] } } };
    const expiring = sync.Properties.LifecycleConfiguration.Rules.filter(
      (rule) => 'ExpirationInDays' in rule,
    );
    // Only the daily Config snapshots expire by age.
    expect(expiring).toEqual([
      { Id: 'ExpireConfigSnapshots', Prefix: 'AWSLogs/', ExpirationInDays: 45, Status: 'Enabled' },
    ]);
    for (const rule of sync.Properties.LifecycleConfiguration.Rules) {
      expect(rule).not.toHaveProperty('ExpirationDate');
      if (rule.Id !== 'ExpireConfigSnapshots') expect(rule).not.toHaveProperty('ExpirationInDays');
    }
  });

  it('sync bucket policy: TLS only; the Systems Manager User Guide organisation policy, keys */accountid=*/*', () => {
    const policies = Object.values(reporting.findResources('AWS::S3::BucketPolicy')) as {
      Properties: { Bucket: { Ref: string }; PolicyDocument: { Statement: Record<string, unknown>[] } };
    }[];
    const sync = policies.find((p) => p.Properties.Bucket.Ref.startsWith('SyncBucket'));
    const statements = sync?.Properties.PolicyDocument.Statement ?? [];
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    const bySid = (sid: string) => statements.find((s) => s.Sid === sid);
    // GetBucketAcl as documented: no condition key the sync is not documented to send.
    expect(bySid('SystemsManagerChecksTheBucket')).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'ssm.amazonaws.com' },
      Action: 's3:GetBucketAcl',
    });
    expect(bySid('SystemsManagerChecksTheBucket')).not.toHaveProperty('Condition');
    const write = bySid('SystemsManagerWritesInventoryOnly');
    expect(write).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'ssm.amazonaws.com' },
      Action: 's3:PutObject',
      Condition: {
        StringEquals: {
          's3:x-amz-acl': 'bucket-owner-full-control',
          's3:RequestObjectTag/OrgId': 'o-a1b2c3d4e5',
        },
      },
    });
    expect(JSON.stringify(write?.Resource)).toContain('/*/accountid=*/*');
    expect(bySid('SystemsManagerTagsInventory')).toMatchObject({ Action: 's3:PutObjectTagging' });
    expect(JSON.stringify(statements)).not.toContain('aws:SourceOrgID');
  });

  it('Glue tables are engine-athena schema tables (no crawler, no partitions), one per inventory type', () => {
    const expected = athenaSchema({
      location: 's3://patchboard-sync-123456789012-eu-west-1/inventory/',
    }).tables;
    const tables = Object.values(reporting.findResources('AWS::Glue::Table')) as {
      Properties: {
        DatabaseName: string;
        TableInput: {
          Name: string;
          PartitionKeys: unknown[];
          StorageDescriptor: { Location: string; Columns: unknown[] };
        };
      };
    }[];
    expect(tables.map((t) => t.Properties.TableInput.Name).sort()).toEqual(
      expected.map((t) => t.name).sort(),
    );
    for (const table of tables) {
      const spec = expected.find((t) => t.name === table.Properties.TableInput.Name);
      expect(table.Properties.DatabaseName).toBe('patchboard');
      expect(table.Properties.TableInput.PartitionKeys).toEqual([]);
      expect(table.Properties.TableInput.StorageDescriptor.Location).toBe(spec?.location);
      expect(table.Properties.TableInput.StorageDescriptor.Columns).toEqual(
        spec?.columns.map((c) => ({ Name: c.name, Type: c.type })),
      );
    }
    reporting.resourceCountIs('AWS::Glue::Crawler', 0);
    reporting.hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: Match.objectLike({ Name: 'patchboard' }),
    });
    reporting.hasResourceProperties('Custom::PatchboardAthenaViews', { Database: 'patchboard' });
  });

  it('workgroup enforces KMS-encrypted results and a bytes-scanned cut-off', () => {
    reporting.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'patchboard',
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        ResultConfiguration: Match.objectLike({
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: Match.anyValue() },
        }),
      }),
    });
  });

  it('named queries: every Athena report, the recipe seven among them, all on the Glue database', () => {
    const queries = Object.values(reporting.findResources('AWS::Athena::NamedQuery')) as {
      Properties: { Name: string; Database: string; QueryString: string };
    }[];
    const athenaReports = REPORTS.filter((r) => runsOn(r, 'athena'));
    expect(queries).toHaveLength(athenaReports.length);
    expect(queries.every((q) => q.Properties.Database === 'patchboard')).toBe(true);
    const recipe = queries.filter((q) => q.Properties.Name.startsWith('Query')).map((q) => q.Properties.Name);
    expect(recipe).toHaveLength(7);
    expect(recipe).toEqual(expect.arrayContaining(['QueryCompliantPatch', 'QueryNonCompliantPatch']));
    // Each saved query is the catalogue's Trino SQL for the report, placeholders and all.
    const context = { policy: policySchema.parse({}), now: Date.UTC(2026, 0, 1), dialect: trinoDialect };
    const compliant = queries.find((q) => q.Properties.Name === 'QueryCompliantPatch');
    expect(compliant?.Properties.QueryString).toBe(
      compileReport('recipe-compliant-patch', {}, context).query.sql,
    );
    const fleet = queries.find((q) => q.Properties.Name === 'patchboard-fleet-summary');
    expect(fleet?.Properties.QueryString).toBe(compileReport('fleet-summary', {}, context).query.sql);
  });
});

describe('scheduled delivery', () => {
  it('runs the monthly pack on the 1st and the daily snapshot every day, on one Lambda', () => {
    reporting.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 6 1 * ? *)',
      Targets: [Match.objectLike({ Input: JSON.stringify({ task: 'monthly-pack' }) })],
    });
    reporting.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 1 * * ? *)',
      Targets: [Match.objectLike({ Input: JSON.stringify({ task: 'daily-snapshot' }) })],
    });
    reporting.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          ATHENA_DATABASE: 'patchboard',
          ATHENA_WORKGROUP: 'patchboard',
          MAIL_FROM: 'patchboard@example.com',
          MAIL_TO: 'ops@example.com',
          SLACK_WEBHOOK_SECRET: 'patchboard/slack',
        }),
      },
    });
  });
});

describe('QuickSight stack (optional)', () => {
  it('an Athena data source on the workgroup, the recipe datasets over the views, and a join filtered on Name', () => {
    quickSight.hasResourceProperties('AWS::QuickSight::DataSource', {
      Type: 'ATHENA',
      DataSourceParameters: { AthenaParameters: { WorkGroup: 'patchboard' } },
    });
    const dataSets = Object.values(quickSight.findResources('AWS::QuickSight::DataSet')) as {
      Properties: {
        DataSetId: string;
        ImportMode: string;
        PhysicalTableMap: Record<
          string,
          { RelationalTable?: Record<string, unknown>; CustomSql?: { SqlQuery: string } }
        >;
      };
    }[];
    expect(dataSets.map((d) => d.Properties.DataSetId).sort()).toEqual([
      'patchboard-aws_application',
      'patchboard-aws_complianceitem',
      'patchboard-aws_compliancesummary',
      'patchboard-aws_instancedetailedinformation',
      'patchboard-aws_instanceinformation',
      'patchboard-aws_tag',
      'patchboard-instances-compliance',
      'patchboard-report-missing-patches',
      'patchboard-report-node-compliance',
      'patchboard-report-overdue-patches',
    ]);
    expect(dataSets.every((d) => d.Properties.ImportMode === 'DIRECT_QUERY')).toBe(true);
    const tag = dataSets.find((d) => d.Properties.DataSetId === 'patchboard-aws_tag');
    expect(tag?.Properties.PhysicalTableMap.table?.RelationalTable).toMatchObject({
      Schema: 'patchboard',
      Name: 'aws_tag',
    });
    const joined = dataSets.find((d) => d.Properties.DataSetId === 'patchboard-instances-compliance');
    const sql = joined?.Properties.PhysicalTableMap.joined?.CustomSql?.SqlQuery ?? '';
    expect(sql).toContain("AND tag.key = 'Name'");
    expect(sql).toContain("AND compliance.compliancetype = 'Patch'");
    expect(sql).toContain('FROM patchboard.aws_instanceinformation AS instance');
  });
});

describe('organisation sync StackSet', () => {
  it('is service-managed with auto-deployment, targeting the configured units and Regions', () => {
    stackSet.hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      StackInstancesGroup: [
        { DeploymentTargets: { OrganizationalUnitIds: ['r-ab12'] }, Regions: ['eu-west-1', 'us-east-1'] },
      ],
      Parameters: Match.arrayWith([
        { ParameterKey: 'BucketName', ParameterValue: 'patchboard-sync-123456789012-eu-west-1' },
        { ParameterKey: 'BucketRegion', ParameterValue: 'eu-west-1' },
        { ParameterKey: 'BucketPrefix', ParameterValue: 'inventory' },
      ]),
    });
  });

  it('member template: the custom resource and its inline handler, under the inline limit, without DuckDB', () => {
    const resources = member.template.Resources as Record<
      string,
      { Type: string; Properties: Record<string, unknown> }
    >;
    const fn = Object.values(resources).find((r) => r.Type === 'AWS::Lambda::Function');
    const code = (fn?.Properties.Code as { ZipFile: string }).ZipFile;
    expect(code.length).toBeLessThanOrEqual(INLINE_CODE_LIMIT);
    expect(code).toContain('CreateResourceDataSyncCommand');
    expect(code.toLowerCase()).not.toContain('duckdb');
    expect(fn?.Properties.Runtime).toBe('nodejs24.x');
    const custom = Object.values(resources).find((r) => r.Type === 'Custom::OrganizationResourceDataSync');
    expect(Object.keys(custom?.Properties ?? {}).sort()).toEqual(
      [
        'BucketName',
        'BucketPrefix',
        'BucketRegion',
        'KmsKeyArn',
        'ServiceTimeout',
        'ServiceToken',
        'SyncName',
      ].sort(),
    );
  });
});

describe('Lambda bundles', () => {
  it('every handler bundles with esbuild from sources that include no DuckDB module', () => {
    const handlers = readdirSync(join(INFRA_ROOT, 'lambda'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(handlerEntry(d.name)))
      .map((d) => d.name);
    expect(handlers.sort()).toEqual(['delivery', 'org-sync', 'platform-tags', 'schema-views']);
    for (const name of handlers) {
      const result = buildSync({
        entryPoints: [handlerEntry(name)],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node24',
        conditions: ESBUILD_CONDITIONS,
        write: false,
        metafile: true,
        logLevel: 'silent',
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs.length, name).toBeGreaterThan(5);
      expect(
        inputs.filter((path) => /duckdb|packages\/(cli|dashboard)\//i.test(path)),
        name,
      ).toEqual([]);
    }
  });

  it('the deployed bundles are ESM on nodejs24.x with the pinned Athena client, and no DuckDB module', () => {
    const functions = Object.values(reporting.findResources('AWS::Lambda::Function')) as {
      Metadata?: Record<string, string>;
      Properties: { Runtime: string; Handler: string };
    }[];
    const bundled = functions.filter((f) => f.Metadata?.['aws:asset:path']);
    expect(bundled.length).toBeGreaterThan(0);
    for (const fn of bundled) {
      const code = readFileSync(
        join(assemblyDir, fn.Metadata?.['aws:asset:path'] ?? '', 'index.mjs'),
        'utf8',
      );
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      // Core's texts may name DuckDB (e.g. the engine option); no module of it may be in the bundle.
      expect(code).not.toMatch(/@duckdb\/|engine-duckdb|duckdb\.node/);
      expect(code).toContain('StartQueryExecution');
    }
  });
});
