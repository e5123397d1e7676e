/**
 * The opt-in dashboard service of the reporting stack, synthesised with the AwsSolutions checks: its
 * security-relevant properties, asserted on the template.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { appConfigFromContext } from '../lib/app-config.js';
import { APP_CONTEXT, buildApp } from '../lib/patchboard-app.js';

const BASE = {
  reportingAccount: '123456789012',
  reportingRegion: 'eu-west-1',
  organizationId: 'o-a1b2c3d4e5',
  syncPrefix: 'inventory',
} as Record<string, string>;
const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/0c1d2e3f-1111-2222-3333-444455556666';
const DASHBOARD = {
  'dashboard.certificateArn': CERTIFICATE,
  'dashboard.oidcIssuer': 'https://login.example.com',
  'dashboard.oidcAuthorizationEndpoint': 'https://login.example.com/authorize',
  'dashboard.oidcTokenEndpoint': 'https://login.example.com/token',
  'dashboard.oidcUserInfoEndpoint': 'https://login.example.com/userinfo',
  'dashboard.oidcClientId': 'patchboard',
  'dashboard.oidcClientSecretName': 'patchboard/oidc-client',
  'dashboard.adminGroups': 'platform, security',
  'dashboard.every': '30m',
} as Record<string, string>;

interface Violation {
  readonly ruleName: string;
  readonly reason?: string;
}
interface ValidationReport {
  readonly pluginReports: readonly {
    readonly violations: readonly Violation[];
    readonly suppressedViolations?: readonly Violation[];
  }[];
}

function synth(context: Record<string, string>) {
  const outdir = mkdtempSync(join(tmpdir(), 'patchboard-dashboard-synth-'));
  const app = new App({ context: { ...APP_CONTEXT }, outdir });
  const stacks = buildApp(
    app,
    appConfigFromContext((key) => context[key]),
  );
  app.synth();
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
  return { template: Template.fromStack(stacks.reporting), report };
}

type Statement = { Action: string | string[]; Effect: string };
const actions = (statements: Statement[]) =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

let template: Template;
let report: ValidationReport;

beforeAll(() => {
  ({ template, report } = synth({ ...BASE, ...DASHBOARD }));
}, 240_000);

describe('dashboard service (opt-in)', () => {
  it('is absent unless dashboard.certificateArn is given, and then needs the sign-in settings', () => {
    const without = synth(BASE).template;
    without.resourceCountIs('AWS::ECS::Service', 0);
    without.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    without.resourceCountIs('AWS::EFS::FileSystem', 0);
    expect(() =>
      appConfigFromContext((key) => ({ ...BASE, 'dashboard.certificateArn': CERTIFICATE })[key]),
    ).toThrow(
      'dashboard.certificateArn turns the dashboard service on, which needs dashboard.oidcIssuer, dashboard.oidcAuthorizationEndpoint, dashboard.oidcTokenEndpoint, dashboard.oidcUserInfoEndpoint, dashboard.oidcClientId, dashboard.oidcClientSecretName, dashboard.adminGroups',
    );
  }, 240_000);

  it('passes the AwsSolutions checks, every acknowledgement with a reason', () => {
    const violations = report.pluginReports.flatMap((p) => p.violations);
    expect(violations).toEqual([]);
    const suppressed = report.pluginReports.flatMap((p) => p.suppressedViolations ?? []);
    for (const s of suppressed) expect(s.reason?.length ?? 0, s.ruleName).toBeGreaterThan(40);
  });

  it('listens on HTTPS only, with the given certificate, and signs people in before forwarding', () => {
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTPS',
      Port: 443,
      Certificates: [{ CertificateArn: CERTIFICATE }],
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    });
    // No rule bypasses the default actions: every request is signed in first.
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
    const listener = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::Listener'))[0] as {
      Properties: {
        DefaultActions: { Type: string; Order: number; AuthenticateOidcConfig?: Record<string, unknown> }[];
      };
    };
    const [signIn, forward] = listener.Properties.DefaultActions;
    expect(signIn?.Type).toBe('authenticate-oidc');
    expect(forward?.Type).toBe('forward');
    expect(signIn!.Order).toBeLessThan(forward!.Order);
    expect(signIn?.AuthenticateOidcConfig).toMatchObject({
      Issuer: 'https://login.example.com',
      ClientId: 'patchboard',
      OnUnauthenticatedRequest: 'authenticate',
      // Resolved by CloudFormation at deploy time, never written into the template.
      ClientSecret: '{{resolve:secretsmanager:patchboard/oidc-client:SecretString:::}}',
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
      ]),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/healthz',
      Port: 8470,
      TargetType: 'ip',
    });
  });

  it('gives the task read-only access to the sync bucket and its key', () => {
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'ecs-tasks.amazonaws.com' } }] },
      },
    });
    const taskRole = Object.entries(roles).find(([, r]) =>
      JSON.stringify(r).includes('reads the sync bucket'),
    )?.[0];
    expect(taskRole).toBeDefined();
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles).includes(taskRole!),
    ) as { Properties: { PolicyDocument: { Statement: Statement[] } } }[];
    const granted = policies.flatMap((p) => actions(p.Properties.PolicyDocument.Statement));
    expect(granted).toEqual(expect.arrayContaining(['s3:GetObject*', 's3:List*', 'kms:Decrypt']));
    expect(
      granted.filter((a) =>
        /^s3:(Put|Delete|Abort|Restore|Replicate)|^kms:(Encrypt|GenerateDataKey|ReEncrypt)/.test(a),
      ),
    ).toEqual([]);
    expect(granted.filter((a) => a.startsWith('s3:') || a.startsWith('kms:')).sort()).toEqual(
      ['kms:Decrypt', 'kms:DescribeKey', 's3:GetBucket*', 's3:GetObject*', 's3:List*'].sort(),
    );
  });

  it('runs one non-root task with a read-only root file system, its database on encrypted EFS over TLS', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          ReadonlyRootFilesystem: true,
          User: '1000:1000',
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
          MountPoints: Match.arrayWith([Match.objectLike({ ContainerPath: '/data', SourceVolume: 'data' })]),
          HealthCheck: Match.objectLike({
            Command: Match.arrayWith([Match.stringLikeRegexp('/healthz')]),
          }),
          Command: [
            Match.stringLikeRegexp(
              'serve --host 0\\.0\\.0\\.0 --port 8470 --ingest "\\$PATCHBOARD_INGEST" --every "\\$PATCHBOARD_EVERY"$',
            ),
          ],
          Environment: Match.arrayWith([
            { Name: 'PATCHBOARD_INGEST', Value: Match.stringLikeRegexp('^s3://') },
            { Name: 'PATCHBOARD_EVERY', Value: '30m' },
          ]),
        }),
      ],
      Volumes: Match.arrayWith([
        Match.objectLike({
          Name: 'data',
          EFSVolumeConfiguration: Match.objectLike({
            TransitEncryption: 'ENABLED',
            AuthorizationConfig: Match.objectLike({ IAM: 'ENABLED' }),
          }),
        }),
      ]),
    });
    const task = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0] as {
      Properties: { ContainerDefinitions: { Environment: { Name: string; Value: unknown }[] }[] };
    };
    const env = task.Properties.ContainerDefinitions[0]!.Environment;
    const ingest = env.find((e) => e.Name === 'PATCHBOARD_INGEST')?.Value;
    expect(JSON.stringify(ingest)).toContain('/inventory');
    const configuration = JSON.stringify(env.find((e) => e.Name === 'PATCHBOARD_CONFIGURATION')?.Value);
    expect(configuration).toContain('\\"admins\\":[\\"platform\\",\\"security\\"]');
    expect(configuration).toMatch(/\\"alb\\":\{\\"arn\\":\\"",\{"Ref":"DashboardLoadBalancer/);
    template.hasResourceProperties('AWS::ECS::Service', {
      DesiredCount: 1,
      LaunchType: 'FARGATE',
      DeploymentConfiguration: Match.objectLike({ MaximumPercent: 100, MinimumHealthyPercent: 0 }),
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
    });
    template.hasResourceProperties('AWS::EFS::FileSystem', { Encrypted: true });
    template.hasResource('AWS::EFS::FileSystem', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::EFS::AccessPoint', {
      PosixUser: { Uid: '1000', Gid: '1000' },
    });
  });

  it('backs the database up with AWS Backup and keeps logs in CloudWatch', () => {
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: Match.objectLike({
        BackupPlanRule: [
          Match.objectLike({ ScheduleExpression: 'cron(0 3 * * ? *)', Lifecycle: { DeleteAfterDays: 35 } }),
        ],
      }),
    });
    const selection = Object.values(template.findResources('AWS::Backup::BackupSelection'))[0];
    expect(JSON.stringify(selection)).toMatch(/elasticfilesystem.*DashboardData/);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });
});
