/**
 * The dashboard next to the data (opt-in): `patchboard serve --ingest s3://<sync bucket>/<prefix> --every 1h`
 * on ECS Fargate, behind an HTTPS Application Load Balancer whose `authenticate-oidc` action signs people in
 * before any request reaches the container. The task reads the sync bucket and nothing else of it; its DuckDB
 * database and history live on an encrypted EFS file system that AWS Backup copies daily.
 *
 * One task only, and never two at once (maximum 100 %, minimum 0 % during deployments): DuckDB lets one process
 * write the database file.
 *
 * Sources: the ALB's OIDC action and its `x-amzn-oidc-data` header, "Authenticate users using an Application Load
 * Balancer" (Elastic Load Balancing user guide); the EFS volume settings, "Amazon EFS volumes" (Amazon ECS developer
 * guide, `transitEncryption`, `authorizationConfig.iam`); read-only root file systems, the `readonlyRootFilesystem`
 * task definition parameter (Amazon ECS developer guide, "Task definition parameters").
 */
import type { aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import {
  aws_backup as backup,
  aws_ec2 as ec2,
  aws_ecs as ecs,
  aws_efs as efs,
  aws_elasticloadbalancingv2 as elbv2,
  aws_events as events,
  aws_iam as iam,
  aws_logs as logs,
  CfnOutput,
  Duration,
  RemovalPolicy,
  SecretValue,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import { Construct } from 'constructs';
import { REPO_ROOT } from '../bundle.js';

/** The port `serve` listens on in the image (Dockerfile). */
export const DASHBOARD_PORT = 8470;
/** The image's user (the node image's `node`), who owns the EFS access point's folder. */
const IMAGE_UID = '1000';
const DATA_PATH = '/data';

export interface DashboardOidc {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly userInfoEndpoint: string;
  readonly clientId: string;
  /** Secrets Manager secret (name or ARN) holding the client secret; CloudFormation resolves it at deploy time. */
  readonly clientSecretName: string;
}

export interface DashboardServiceProps {
  readonly syncBucket: s3.IBucket;
  /** The reporting key the sync bucket is encrypted with. */
  readonly key: kms.IKey;
  /** What each scheduled ingest reads, e.g. `s3://bucket/inventory`. */
  readonly ingestSource: string;
  /** Time between ingests, in `serve --every` form. Default `1h`. */
  readonly every?: string;
  /** The ACM certificate of the dashboard's host name (same Region). */
  readonly certificateArn: string;
  readonly oidc: DashboardOidc;
  /** Identity-provider groups whose members see the whole fleet. */
  readonly adminGroups: readonly string[];
  /** Per team (the Team tag's value), the groups whose members see only that team. Default none. */
  readonly teamGroups?: Readonly<Record<string, readonly string[]>>;
  /** Where the load balancer writes its access logs (SSE-S3: ALB logs cannot use a KMS key). */
  readonly accessLogs: s3.IBucket;
  /** The container image. Default: this repository's Dockerfile, built by `cdk deploy`. */
  readonly image: ecs.ContainerImage;
  /** Who may reach the HTTPS listener. Default anywhere (sign-in still applies). */
  readonly allowedCidr?: string;
  /** Default 1 vCPU / 4 GiB: DuckDB keeps two snapshots of the database while it switches to new data. */
  readonly cpu?: number;
  readonly memoryLimitMiB?: number;
}

export class DashboardService extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly service: ecs.FargateService;
  readonly fileSystem: efs.FileSystem;
  readonly taskRole: iam.Role;

  constructor(scope: Construct, id: string, props: DashboardServiceProps) {
    super(scope, id);
    const stack = Stack.of(this);

    const flowLogs = new logs.LogGroup(this, 'FlowLogs', { retention: logs.RetentionDays.THREE_MONTHS });
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      flowLogs: { All: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) } },
    });
    // S3 without the NAT: the ingest's reads stay on the AWS network and cost no NAT traffic.
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });

    this.fileSystem = new efs.FileSystem(this, 'Data', {
      vpc,
      encrypted: true,
      // AWS Backup below; the service's own automatic backups would be a second, unmanaged copy.
      enableAutomaticBackups: false,
      performanceMode: efs.PerformanceMode.GENERAL_PURPOSE,
      throughputMode: efs.ThroughputMode.ELASTIC,
      // The history is the one thing here that cannot be rebuilt from the bucket.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const accessPoint = this.fileSystem.addAccessPoint('DataAccessPoint', {
      path: '/patchboard',
      createAcl: { ownerUid: IMAGE_UID, ownerGid: IMAGE_UID, permissions: '750' },
      posixUser: { uid: IMAGE_UID, gid: IMAGE_UID },
    });
    const plan = new backup.BackupPlan(this, 'Backup', {
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: events.Schedule.cron({ hour: '3', minute: '0' }),
          deleteAfter: Duration.days(35),
        }),
      ],
    });
    plan.addSelection('Database', { resources: [backup.BackupResource.fromEfsFileSystem(this.fileSystem)] });

    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    this.taskRole = new iam.Role(this, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Patchboard dashboard: reads the sync bucket, writes its database on EFS',
    });
    // Read-only: the bucket's objects and listing, and decryption with the reporting key; nothing that writes.
    props.syncBucket.grantRead(this.taskRole);
    props.key.grantDecrypt(this.taskRole);
    const task = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu ?? 1024,
      memoryLimitMiB: props.memoryLimitMiB ?? 4096,
      taskRole: this.taskRole,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
      volumes: [
        {
          name: 'data',
          efsVolumeConfiguration: {
            fileSystemId: this.fileSystem.fileSystemId,
            transitEncryption: 'ENABLED',
            authorizationConfig: { accessPointId: accessPoint.accessPointId, iam: 'ENABLED' },
          },
        },
        // The root file system is read-only; snapshot copies and the rendered configuration go to task storage.
        { name: 'tmp' },
      ],
    });
    this.fileSystem.grantReadWrite(this.taskRole);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS });

    const alb = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc,
      internetFacing: true,
      dropInvalidHeaderFields: true,
    });
    alb.logAccessLogs(props.accessLogs, 'dashboard-alb');
    this.loadBalancer = alb;

    // The dashboard trusts the ALB's signed `x-amzn-oidc-data` header only from this load balancer
    // (`dashboard.auth.alb` in Patchboard's configuration), and maps groups to what each person sees.
    const configuration = stack.toJsonString({
      dashboard: {
        auth: { alb: { arn: alb.loadBalancerArn } },
        access: { admins: props.adminGroups, teams: props.teamGroups ?? {} },
      },
    });
    const container = task.addContainer('Dashboard', {
      image: props.image,
      readonlyRootFilesystem: true,
      user: `${IMAGE_UID}:${IMAGE_UID}`,
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'dashboard', logGroup }),
      environment: {
        PATCHBOARD_CONFIGURATION: configuration,
        PATCHBOARD_INGEST: props.ingestSource,
        PATCHBOARD_EVERY: props.every ?? '1h',
        PATCHBOARD_DB: `${DATA_PATH}/patchboard.duckdb`,
      },
      // The configuration holds the load balancer's ARN, known only once deployed: it is written to a file at start.
      entryPoint: ['sh', '-c'],
      command: [
        'printf \'%s\' "$PATCHBOARD_CONFIGURATION" > /tmp/patchboard.json && exec node /opt/patchboard/node_modules/@patchboard/cli/bin/patchboard.js --config /tmp/patchboard.json serve --host 0.0.0.0 --port ' +
          `${DASHBOARD_PORT} --ingest "$PATCHBOARD_INGEST" --every "$PATCHBOARD_EVERY"`,
      ],
      portMappings: [{ containerPort: DASHBOARD_PORT }],
      healthCheck: {
        command: [
          'CMD',
          'node',
          '-e',
          `fetch('http://127.0.0.1:${DASHBOARD_PORT}/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
        ],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        startPeriod: Duration.minutes(2),
        retries: 3,
      },
    });
    container.addMountPoints(
      { containerPath: DATA_PATH, sourceVolume: 'data', readOnly: false },
      { containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false },
    );

    this.service = new ecs.FargateService(this, 'Service', {
      cluster,
      taskDefinition: task,
      desiredCount: 1,
      // One writer of the database: the old task stops before the new one starts.
      minHealthyPercent: 0,
      maxHealthyPercent: 100,
      circuitBreaker: { rollback: true },
      assignPublicIp: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      healthCheckGracePeriod: Duration.minutes(5),
    });
    this.fileSystem.connections.allowDefaultPortFrom(this.service);

    const listener = alb.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [elbv2.ListenerCertificate.fromArn(props.certificateArn)],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      open: false,
    });
    alb.connections.allowFrom(
      props.allowedCidr ? ec2.Peer.ipv4(props.allowedCidr) : ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to the dashboard (sign-in at the load balancer)',
    );
    const targets = new elbv2.ApplicationTargetGroup(this, 'Targets', {
      vpc,
      port: DASHBOARD_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [this.service],
      healthCheck: { path: '/healthz', healthyHttpCodes: '200' },
      deregistrationDelay: Duration.seconds(10),
    });
    listener.addAction('SignIn', {
      action: elbv2.ListenerAction.authenticateOidc({
        issuer: props.oidc.issuer,
        authorizationEndpoint: props.oidc.authorizationEndpoint,
        tokenEndpoint: props.oidc.tokenEndpoint,
        userInfoEndpoint: props.oidc.userInfoEndpoint,
        clientId: props.oidc.clientId,
        clientSecret: SecretValue.secretsManager(props.oidc.clientSecretName),
        scope: 'openid profile email',
        onUnauthenticatedRequest: elbv2.UnauthenticatedAction.AUTHENTICATE,
        next: elbv2.ListenerAction.forward([targets]),
      }),
    });

    const bucketRead =
      'The task reads every object of the sync bucket (one per node and inventory type, named by Resource Data Sync) and lists it: CDK grantRead gives s3:GetObject*, s3:GetBucket* and s3:List* on the bucket and its objects, nothing that writes.';
    for (const finding of [
      'Action::s3:GetBucket*',
      'Action::s3:GetObject*',
      'Action::s3:List*',
      `Resource::<${stack.getLogicalId(props.syncBucket.node.defaultChild as s3.CfnBucket)}.Arn>/*`,
    ]) {
      acknowledge(this.taskRole, `AwsSolutions-IAM5[${finding}]`, [bucketRead]);
    }
    acknowledge(task, 'AwsSolutions-IAM5[Resource::*]', [
      'The execution role pulls the image: ecr:GetAuthorizationToken has no resource-level permissions, so its resource is *; the pull itself is scoped to the repository.',
    ]);
    acknowledge(
      plan,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      [
        "AWS Backup's own service-role policy is what its backup selections are designed to assume; it lets Backup snapshot the EFS file system and nothing of the task's.",
      ],
    );
    acknowledge(task, 'AwsSolutions-ECS2', [
      'The environment holds no secret: the ingest source, the schedule, the database path and the configuration (the load balancer ARN and group names). The OIDC client secret stays with the load balancer, resolved from Secrets Manager.',
    ]);
    if (!props.allowedCidr) {
      acknowledge(alb, 'AwsSolutions-EC23', [
        'The dashboard is for people across the organisation: HTTPS on 443 is open, and the load balancer signs every request in with the identity provider before it reaches the container. Give allowedCidr to narrow it.',
      ]);
    }
    new CfnOutput(this, 'DashboardLoadBalancerDns', {
      value: alb.loadBalancerDnsName,
      description: "Point the certificate's host name (CNAME or alias) here",
    });
  }
}

function acknowledge(scope: Construct, rule: string, [reason]: readonly [string]): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::${rule}`, reason });
}

/** A pushed image by URI, or the repository's Dockerfile built by `cdk deploy` (x86_64, as the task runs). */
export function dashboardImage(uri: string | undefined): ecs.ContainerImage {
  if (uri) return ecs.ContainerImage.fromRegistry(uri);
  return ecs.ContainerImage.fromAsset(REPO_ROOT, { file: 'Dockerfile', platform: Platform.LINUX_AMD64 });
}
