/**
 * What a real deploy refuses although `cdk synth` passes: the app synthesised once with every option on, each
 * template read for the deploy-time rule it must meet (one `describe` per point of the deploy-readiness list in
 * infra/README.md).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY_TYPES, tableColumns } from '@patchboard/core';
import { appConfigFromContext } from '../lib/app-config.js';
import { organizationSyncMemberTemplate } from '../lib/organization-sync-member.js';
import { APP_CONTEXT, buildApp } from '../lib/patchboard-app.js';
import { snapshotColumns } from '../lambda/delivery/snapshot.js';
import { DASHBOARD_DATASETS, reportCustomSql } from '../lib/quicksight/report-datasets.js';

const ALL_ON: Record<string, string> = {
  reportingAccount: '123456789012',
  reportingRegion: 'eu-west-1',
  organizationId: 'o-a1b2c3d4e5',
  stackSetAdminAccount: '210987654321',
  managementAccount: '210987654321',
  stackSetTargets: 'r-ab12',
  stackSetRegions: 'eu-west-1,us-east-1',
  syncKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/0c1d2e3f-1111-2222-3333-444455556666',
  quickSight: 'true',
  quickSightUser: 'analyst',
  quickSightIdentityRegion: 'us-east-1',
  installOnNonCompliance: 'true',
  'config.recorder': 'true',
  'config.aggregator': 'true',
  platformTags: 'true',
  deliveryFrom: 'patchboard@example.com',
  deliveryTo: 'ops@example.com',
};

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
interface Templates {
  reporting: Template;
  stackSet: Template;
  patchOperations: Template;
  quickSight: Template;
  member: Template;
  raw: Record<string, Record<string, unknown>>;
}
let t: Templates;

function synth(context: Record<string, string>) {
  const app = new App({
    context: { ...APP_CONTEXT },
    outdir: mkdtempSync(join(tmpdir(), 'patchboard-deploy-')),
  });
  const stacks = buildApp(
    app,
    appConfigFromContext((key) => context[key]),
  );
  const assembly = app.synth();
  return { stacks, assembly };
}

beforeAll(() => {
  const { stacks, assembly } = synth(ALL_ON);
  const raw = (name: string) => assembly.getStackByName(name).template as Record<string, unknown>;
  const member = organizationSyncMemberTemplate({ configRecorder: true, platformTags: true }).template;
  t = {
    reporting: Template.fromJSON(raw(stacks.reporting.stackName)),
    stackSet: Template.fromJSON(raw(stacks.organizationSync.stackName)),
    patchOperations: Template.fromJSON(raw(stacks.patchOperations.stackName)),
    quickSight: Template.fromJSON(raw(stacks.quickSight!.stackName)),
    member: Template.fromJSON(member),
    raw: {
      stackSet: raw(stacks.organizationSync.stackName),
      patchOperations: raw(stacks.patchOperations.stackName),
      member,
      manifestStackSet: assembly.getStackByName(stacks.organizationSync.stackName).manifest
        .properties as unknown as Record<string, unknown>,
      manifestPatchOperations: assembly.getStackByName(stacks.patchOperations.stackName).manifest
        .properties as unknown as Record<string, unknown>,
    },
  };
}, 180_000);

/** A SELECT list split at its top-level commas (outside parentheses and quoted literals). */
function selectItems(list: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of list) {
    if (ch === "'") quoted = !quoted;
    if (!quoted && ch === '(') depth++;
    if (!quoted && ch === ')') depth--;
    if (!quoted && depth === 0 && ch === ',') {
      items.push(current.trim());
      current = '';
    } else current += ch;
  }
  return [...items, current.trim()];
}

const resourcesOf = (template: Template): Resources => template.toJSON().Resources as Resources;

describe('1. StackSet caller', () => {
  it('SELF when the administrator is the management account, DELEGATED_ADMIN otherwise or when asked', () => {
    t.stackSet.hasResourceProperties('AWS::CloudFormation::StackSet', { CallAs: 'SELF' });
    const read = (extra: Record<string, string>) =>
      appConfigFromContext((key) => ({ ...ALL_ON, ...extra })[key]).stackSetCallAs;
    expect(read({ managementAccount: '999999999999' })).toBe('DELEGATED_ADMIN');
    expect(read({ managementAccount: '' })).toBe('DELEGATED_ADMIN');
    expect(read({ stackSetCallAs: 'DELEGATED_ADMIN' })).toBe('DELEGATED_ADMIN');
    expect(() => read({ stackSetCallAs: 'ADMIN' })).toThrow(
      /stackSetCallAs="ADMIN" is neither SELF nor DELEGATED_ADMIN/,
    );
  });
});

describe('2. No bootstrap where none ran', () => {
  it('StackSet administrator, patch operations and member templates carry no bootstrap parameter or rule', () => {
    for (const name of ['stackSet', 'patchOperations', 'member']) {
      const template = t.raw[name]!;
      expect(template.Parameters ?? {}, name).not.toHaveProperty('BootstrapVersion');
      expect(template.Rules ?? {}, name).not.toHaveProperty('CheckBootstrapVersion');
    }
  });

  it('their cloud assembly names no bootstrap role or asset bucket, and each template fits inline (50 KiB YAML)', () => {
    for (const name of ['manifestStackSet', 'manifestPatchOperations']) {
      const properties = t.raw[name]!;
      expect(properties, name).not.toHaveProperty('assumeRoleArn');
      expect(properties, name).not.toHaveProperty('cloudFormationExecutionRoleArn');
      expect(properties, name).not.toHaveProperty('stackTemplateAssetObjectUrl');
      expect(properties, name).not.toHaveProperty('requiresBootstrapStackVersion');
    }
    // The CLI sends the template as YAML; indented JSON (quotes, braces) is longer, so it bounds it from above.
    for (const name of ['stackSet', 'patchOperations']) {
      expect(JSON.stringify(t.raw[name], null, 2).length, name).toBeLessThanOrEqual(50 * 1024);
    }
  });
});

describe('3. QuickSight', () => {
  it('the data source queries as a role of the reporting stack, and no key statement names QuickSight', () => {
    t.quickSight.hasResourceProperties('AWS::QuickSight::DataSource', {
      DataSourceParameters: { AthenaParameters: { WorkGroup: 'patchboard', RoleArn: {} } },
    });
    const roles = Object.values(resourcesOf(t.reporting)).filter((r) => r.Type === 'AWS::IAM::Role');
    expect(JSON.stringify(roles)).toContain('quicksight.amazonaws.com');
    expect(JSON.stringify(resourcesOf(t.reporting))).not.toContain('aws-quicksight-service-role-v0');
  });

  it('owners are users of the identity Region, not of the stack Region', () => {
    const permissions = JSON.stringify(
      Object.values(resourcesOf(t.quickSight)).map((r) => r.Properties.Permissions),
    );
    expect(permissions).toContain(':quicksight:us-east-1:');
    expect(permissions).not.toContain(':quicksight:eu-west-1:');
  });
});

describe('3. QuickSight analysis and dashboard', () => {
  it('an Analysis and a Dashboard over the three catalogue-report datasets, with the six visuals', () => {
    const resources = resourcesOf(t.quickSight);
    const analysis = Object.values(resources).filter((r) => r.Type === 'AWS::QuickSight::Analysis');
    const dashboard = Object.values(resources).filter((r) => r.Type === 'AWS::QuickSight::Dashboard');
    expect(analysis).toHaveLength(1);
    expect(dashboard).toHaveLength(1);
    for (const resource of [...analysis, ...dashboard]) {
      const definition = resource.Properties.Definition as {
        DataSetIdentifierDeclarations: { Identifier: string }[];
        Sheets: { Visuals: Record<string, { VisualId: string }>[] }[];
      };
      expect(definition.DataSetIdentifierDeclarations.map((d) => d.Identifier)).toEqual([
        'nodes',
        'missing',
        'overdue',
      ]);
      const visuals = definition.Sheets.flatMap((sheet) =>
        sheet.Visuals.map((v) => Object.values(v)[0]!.VisualId),
      );
      expect(visuals).toEqual([
        'nodes-by-account-id',
        'nodes-by-region',
        'nodes-by-team',
        'nodes-by-environment',
        'missing-by-severity',
        'overdue-items',
      ]);
    }
    const reportSets = Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::QuickSight::DataSet' &&
        String(r.Properties.DataSetId).startsWith('patchboard-report-'),
    );
    expect(reportSets.map((r) => r.Properties.DataSetId).sort()).toEqual([
      'patchboard-report-missing-patches',
      'patchboard-report-node-compliance',
      'patchboard-report-overdue-patches',
    ]);
  });

  it('each dataset is the catalogue report: no bound ?, no synth-time instant, every view qualified', () => {
    for (const dataset of Object.values(DASHBOARD_DATASETS)) {
      const text = reportCustomSql(dataset.report, 'patchboard');
      expect(text, dataset.report).not.toContain('?');
      expect(text, dataset.report).not.toMatch(/20\d\d-\d\d-\d\dT/);
      expect(text, dataset.report).toContain('current_timestamp');
      expect(text, dataset.report).toContain('FROM patchboard.aws_instanceinformation');
      expect(text, dataset.report).not.toMatch(/(FROM|JOIN)\s+aws_/);
      // The declared columns are the report's final SELECT list, in order.
      const last = text.slice(text.lastIndexOf('SELECT ') + 7, text.lastIndexOf('\nFROM '));
      const names = selectItems(last).map((item) =>
        item
          .split(/\s+AS\s+|\./)
          .pop()!
          .trim(),
      );
      expect(names, dataset.report).toEqual(dataset.columns.map((c) => c.name));
    }
  });
});

describe('4. Nightly snapshot types', () => {
  it('every instant column is cast to a UTC timestamp(3); the others are selected by name', () => {
    const type = INVENTORY_TYPES.find((x) => x.table === 'aws_complianceitem')!;
    const columns = snapshotColumns(type);
    expect(columns.startsWith('accountid, region, resourcetype, resourceid, ')).toBe(true);
    expect(columns).toContain("CAST(executiontime AT TIME ZONE 'UTC' AS timestamp(3)) AS executiontime");
    expect(columns).toContain("CAST(installedtime AT TIME ZONE 'UTC' AS timestamp(3)) AS installedtime");
    expect(columns).not.toContain('*');
    for (const t2 of INVENTORY_TYPES) {
      const instants = tableColumns(t2).filter((c) => c.kind === 'timestamp').length;
      expect(snapshotColumns(t2).match(/AS timestamp\(3\)/g)?.length ?? 0, t2.table).toBe(instants);
    }
  });
});

describe('5. Trusts and scopes', () => {
  const trustOf = (template: Template, service: string) =>
    Object.values(resourcesOf(template))
      .filter((r) => r.Type === 'AWS::IAM::Role')
      .map((r) => r.Properties.AssumeRolePolicyDocument as { Statement: Record<string, unknown>[] })
      .flatMap((d) => d.Statement)
      .filter((s) => JSON.stringify(s.Principal).includes(service));

  it('config.amazonaws.com (recorder, aggregator) and ssm.amazonaws.com (automation) trusts name the account', () => {
    const recorder = trustOf(t.member, 'config.amazonaws.com');
    expect(recorder).toHaveLength(1);
    expect(recorder[0]).toMatchObject({
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    const aggregator = trustOf(t.reporting, 'config.amazonaws.com');
    expect(aggregator).toHaveLength(1);
    expect(aggregator[0]).toMatchObject({
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
    });
    expect(JSON.stringify(aggregator[0]!.Condition)).toContain(
      ':config:eu-west-1:123456789012:config-aggregator/*',
    );
    const automation = trustOf(t.patchOperations, 'ssm.amazonaws.com');
    expect(automation).toHaveLength(1);
    expect(automation[0]).toMatchObject({
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    expect(JSON.stringify(automation[0]!.Condition)).toContain(':automation-execution/*');
  });

  it('the delivery function reads Config objects of the sync bucket below AWSLogs/*/Config/ only', () => {
    const policies = JSON.stringify(
      Object.values(resourcesOf(t.reporting)).filter((r) =>
        ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(r.Type),
      ),
    );
    expect(policies).toContain('/AWSLogs/*/Config/*');
    expect(policies).not.toMatch(/\/AWSLogs\/\*"/);
  });
});

describe('6. Renames and updates', () => {
  it('the sync role reaches every patchboard-… sync, so a renamed sync can delete the old one', () => {
    const policies = JSON.stringify(
      Object.values(resourcesOf(t.member)).filter((r) => r.Type === 'AWS::IAM::Policy'),
    );
    expect(policies).toContain(':resource-data-sync/patchboard-*');
    expect(JSON.stringify(t.member.toJSON().Parameters)).toContain('^patchboard-[a-zA-Z0-9_.-]{1,53}$');
    expect(() => appConfigFromContext((key) => ({ ...ALL_ON, syncName: 'inventory-sync' })[key])).toThrow(
      /syncName="inventory-sync" does not match/,
    );
  });

  it('the named SSM document updates by new version, not by replacement', () => {
    t.patchOperations.hasResourceProperties('AWS::SSM::Document', {
      Name: 'Patchboard-InstallOnNonCompliance',
      UpdateMethod: 'NewVersion',
    });
  });
});

describe('8. Runtimes', () => {
  it('every function of every template, StackSet members included, runs nodejs24.x', () => {
    const runtimes = [t.reporting, t.member, t.patchOperations, t.quickSight, t.stackSet].flatMap(
      (template) =>
        Object.values(resourcesOf(template))
          .filter((r) => r.Type === 'AWS::Lambda::Function')
          .map((r) => r.Properties.Runtime),
    );
    expect(runtimes.length).toBeGreaterThanOrEqual(4);
    expect(new Set(runtimes)).toEqual(new Set(['nodejs24.x']));
  });
});

describe('9. Seed tags', () => {
  it('windows target Environment prod and dev/staging; baselines register the seed patch groups', () => {
    const targets = Object.values(resourcesOf(t.patchOperations))
      .filter((r) => r.Type === 'AWS::SSM::MaintenanceWindowTarget')
      .map((r) => r.Properties.Targets);
    expect(targets).toEqual(
      expect.arrayContaining([
        [{ Key: 'tag:Environment', Values: ['prod'] }],
        [{ Key: 'tag:Environment', Values: ['dev', 'staging'] }],
      ]),
    );
    const groups = Object.values(resourcesOf(t.patchOperations))
      .filter((r) => r.Type === 'AWS::SSM::PatchBaseline')
      .flatMap((r) => r.Properties.PatchGroups as string[]);
    expect(groups.sort()).toEqual(['nonprod-linux', 'nonprod-windows', 'prod-linux', 'prod-windows']);
  });

  it('values and group names are configurable', () => {
    const config = appConfigFromContext(
      (key) => ({ ...ALL_ON, nonProdEnvironmentValues: 'qa', 'patchGroup.non-prod.linux': 'np-linux' })[key],
    ).patchOperations;
    expect(config.environmentTagValues?.['non-prod']).toEqual(['qa']);
    expect(config.environmentTagValues?.prod).toEqual(['prod']);
    expect(config.patchGroups?.['non-prod'].linux).toBe('np-linux');
    expect(config.patchGroups?.prod.windows).toBe('prod-windows');
  });
});
