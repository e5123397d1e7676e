/** Synth-only tests of the patch operations stack with the seeds' defaults, checked by cdk-nag. */
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { PatchOperationsStack } from '../lib/patch-operations-stack.js';
import { APP_CONTEXT } from '../lib/patchboard-app.js';

let template: Template;
let optedOut: Template;

const synth = (installOnNonCompliance: boolean) => {
  const app = new App({ context: APP_CONTEXT });
  const stack = new PatchOperationsStack(app, 'Patch', { config: { installOnNonCompliance } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  // app.synth() throws ValidationFailed on any unacknowledged AwsSolutions finding.
  const assembly = app.synth();
  return Template.fromJSON(assembly.getStackByName(stack.stackName).template as Record<string, unknown>);
};

beforeAll(() => {
  template = synth(true);
  optedOut = synth(false);
}, 60_000);

type Resource = { Properties: Record<string, unknown> };
const byName = (type: string) =>
  Object.fromEntries(
    Object.values(template.findResources(type) as Record<string, Resource>).map((r) => [
      String(r.Properties.AssociationName ?? r.Properties.Name),
      r.Properties,
    ]),
  );

describe('patch baselines', () => {
  it('prod: Critical+Important security patches after 7 days; non-prod: everything after 0 days', () => {
    const baselines = byName('AWS::SSM::PatchBaseline');
    expect(Object.keys(baselines).sort()).toEqual([
      'patchboard-non-prod-linux',
      'patchboard-non-prod-windows',
      'patchboard-prod-linux',
      'patchboard-prod-windows',
    ]);
    expect(baselines['patchboard-prod-linux']).toMatchObject({
      OperatingSystem: 'AMAZON_LINUX_2023',
      PatchGroups: ['prod-linux'],
      ApprovalRules: {
        PatchRules: [
          {
            ApproveAfterDays: 7,
            ComplianceLevel: 'CRITICAL',
            PatchFilterGroup: {
              PatchFilters: [
                { Key: 'CLASSIFICATION', Values: ['Security'] },
                { Key: 'SEVERITY', Values: ['Critical', 'Important'] },
              ],
            },
          },
        ],
      },
    });
    expect(baselines['patchboard-prod-windows']).toMatchObject({
      OperatingSystem: 'WINDOWS',
      PatchGroups: ['prod-windows'],
      ApprovalRules: {
        PatchRules: [
          {
            ApproveAfterDays: 7,
            ComplianceLevel: 'CRITICAL',
            PatchFilterGroup: {
              PatchFilters: [
                { Key: 'CLASSIFICATION', Values: ['SecurityUpdates', 'CriticalUpdates'] },
                { Key: 'MSRC_SEVERITY', Values: ['Critical', 'Important'] },
              ],
            },
          },
        ],
      },
    });
    for (const name of ['patchboard-non-prod-linux', 'patchboard-non-prod-windows']) {
      const rule = (baselines[name]?.ApprovalRules as { PatchRules: Record<string, unknown>[] })
        .PatchRules[0];
      expect(rule).toMatchObject({ ApproveAfterDays: 0, ComplianceLevel: 'HIGH' });
      expect(JSON.stringify(rule?.PatchFilterGroup)).toContain('["*"]');
    }
  });
});

describe('maintenance windows', () => {
  it('prod Saturday 02:00 UTC, non-prod (dev, staging) Tuesday 12:00 UTC, each installing on nodes found by tag', () => {
    const windows = byName('AWS::SSM::MaintenanceWindow');
    expect(windows['patchboard-install-prod']).toMatchObject({
      Schedule: 'cron(0 2 ? * SAT *)',
      ScheduleTimezone: 'UTC',
    });
    expect(windows['patchboard-install-non-prod']).toMatchObject({
      Schedule: 'cron(0 12 ? * TUE *)',
      ScheduleTimezone: 'UTC',
    });
    template.hasResourceProperties('AWS::SSM::MaintenanceWindowTarget', {
      ResourceType: 'INSTANCE',
      Targets: [{ Key: 'tag:Environment', Values: ['prod'] }],
    });
    template.hasResourceProperties('AWS::SSM::MaintenanceWindowTarget', {
      Targets: [{ Key: 'tag:Environment', Values: ['dev', 'staging'] }],
    });
    template.resourcePropertiesCountIs(
      'AWS::SSM::MaintenanceWindowTask',
      {
        TaskType: 'RUN_COMMAND',
        TaskArn: 'AWS-RunPatchBaseline',
        TaskInvocationParameters: {
          MaintenanceWindowRunCommandParameters: Match.objectLike({
            Parameters: { Operation: ['Install'], RebootOption: ['RebootIfNeeded'] },
          }),
        },
      },
      2,
    );
  });
});

describe('associations', () => {
  it('daily Scan-only, SSM Agent updates and software inventory on every node', () => {
    const associations = byName('AWS::SSM::Association');
    expect(associations['patchboard-daily-scan']).toMatchObject({
      Name: 'AWS-RunPatchBaseline',
      Parameters: { Operation: ['Scan'] },
      ScheduleExpression: 'cron(30 0 * * ? *)',
      Targets: [{ Key: 'InstanceIds', Values: ['*'] }],
    });
    expect(associations['patchboard-ssm-agent-update']).toMatchObject({ Name: 'AWS-UpdateSSMAgent' });
    expect(associations['patchboard-software-inventory']).toMatchObject({
      Name: 'AWS-GatherSoftwareInventory',
    });
  });
});

describe('install on non-compliance', () => {
  it('is opt-in: no rule unless asked for', () => {
    optedOut.resourceCountIs('AWS::Events::Rule', 0);
    optedOut.resourceCountIs('AWS::SSM::Document', 0);
  });

  it('when asked for, a Patch NON_COMPLIANT event starts the install automation for that node', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ssm'],
        'detail-type': ['Configuration Compliance State Change'],
        detail: { 'compliance-type': ['Patch'], 'compliance-status': ['non_compliant'] },
      },
      Targets: [
        Match.objectLike({
          InputTransformer: {
            InputPathsMap: { node: '$.detail.resource-id' },
            InputTemplate: '{"InstanceId":["<node>"]}',
          },
        }),
      ],
    });
    template.hasResourceProperties('AWS::SSM::Document', {
      DocumentType: 'Automation',
      Content: Match.objectLike({
        mainSteps: [
          Match.objectLike({
            action: 'aws:runCommand',
            inputs: Match.objectLike({ DocumentName: 'AWS-RunPatchBaseline' }),
          }),
        ],
      }),
    });
  });
});
