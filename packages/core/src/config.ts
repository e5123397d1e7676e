/**
 * The configuration file (YAML or JSON) and the compliance policy it declares. Validated with zod at the
 * trust boundary; every default is written here, so `patchboard config` style output can show it.
 */
import * as z from 'zod';
import { ENGINE_NAMES } from './engines.js';
import { PatchboardError } from './errors.js';
import { SEVERITIES } from './patch-state.js';

const tagKeyList = z.array(z.string().min(1).max(128)).min(1);

const slaDays = z.partialRecord(z.enum(SEVERITIES), z.number().int().min(0).max(3650));
/** CRITICAL in a week and HIGH in two: the usual starting point of patch SLAs. */
const DEFAULT_SLA_DAYS = { CRITICAL: 7, HIGH: 14, MEDIUM: 30, LOW: 90 };

export const policySchema = z
  .object({
    /** A node whose last patch scan is older than this is STALE (when nothing is known to be missing). */
    staleAfterDays: z.number().int().min(0).max(3650).default(7),
    /** InstanceStatus values that make a node INACTIVE. A missing InstanceStatus means active. */
    inactiveInstanceStatuses: z.array(z.string().min(1)).default(['Stopped', 'Terminated']),
    /**
     * EC2 instance states (from AWS Config or DescribeInstances) that make an instance INACTIVE; any other
     * state counts it as running, so an instance no SSM Agent reports for is UNMANAGED.
     */
    inactiveInstanceStates: z
      .array(z.string().min(1))
      .default(['stopping', 'stopped', 'shutting-down', 'terminated']),
    /** Tag keys read for the team and environment, first match wins. */
    tagKeys: z
      .object({
        team: tagKeyList.default(['Team', 'team']),
        environment: tagKeyList.default(['Environment', 'environment', 'Env', 'env']),
      })
      .strict()
      .default({ team: ['Team', 'team'], environment: ['Environment', 'environment', 'Env', 'env'] }),
    /**
     * Days a non-compliant patch may stay open, per compliance severity; `environments` overrides per
     * Environment tag value. A severity without a figure has no SLA.
     */
    sla: z
      .object({
        default: slaDays.default(DEFAULT_SLA_DAYS),
        environments: z.record(z.string().min(1), slaDays).default({}),
      })
      .strict()
      .default({ default: DEFAULT_SLA_DAYS, environments: {} }),
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;

/**
 * One rule of `patchboard check`, over a catalogue report: `column` with `min`/`max` bounds every row's value
 * (per team, if the report has a row per team); `maxRows` bounds how many rows there are.
 */
export const checkRuleSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    report: z.string().min(1),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    column: z.string().min(1).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    maxRows: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((rule) => rule.min !== undefined || rule.max !== undefined || rule.maxRows !== undefined, {
    message: 'a rule needs min, max or maxRows',
  })
  .refine((rule) => (rule.min === undefined && rule.max === undefined) || rule.column !== undefined, {
    message: 'min and max need the column they bound',
  });
export type CheckRule = z.infer<typeof checkRuleSchema>;

/** Where `patchboard notify` delivers. Secrets (SMTP password, webhook URLs) are named, never written here. */
export const notifySchema = z
  .object({
    smtp: z
      .object({
        /** The sender, e.g. `Patchboard <patchboard@example.com>`. */
        from: z.string().min(3),
        /** The environment variable holding `smtp://user:password@host:port` (or smtps://). */
        urlEnv: z
          .string()
          .regex(/^[A-Z_][A-Z0-9_]*$/)
          .default('PATCHBOARD_SMTP_URL'),
      })
      .strict()
      .optional(),
    email: z
      .object({
        to: z.array(z.string().min(3)).min(1),
        /** Recipients per team, for `--per-team`; a team not listed goes to `to`. */
        teams: z.record(z.string(), z.array(z.string().min(3)).min(1)).default({}),
      })
      .strict()
      .optional(),
    webhooks: z
      .array(
        z
          .object({
            name: z.string().min(1),
            /** The environment variable holding the webhook URL (a Slack incoming webhook URL is a secret). */
            urlEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/),
            format: z.enum(['slack', 'json']).default('json'),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();
export type NotifyConfig = z.infer<typeof notifySchema>;

/** Amazon Athena settings (`--engine athena`); each has a command-line flag that wins over it. */
export const athenaConfigSchema = z
  .object({
    /** Athena workgroup (`--workgroup`); default `primary`. */
    workgroup: z.string().min(1).max(128).optional(),
    /** Glue database holding the aws_* views (`--database`); default `patchboard`. */
    database: z
      .string()
      .regex(/^[a-z0-9_]{1,255}$/, 'expected lower-case letters, digits and underscores')
      .optional(),
    /** `s3://bucket/prefix/` for query results (`--output-location`), unless the workgroup sets one. */
    outputLocation: z
      .string()
      .regex(/^s3:\/\/[^/]+/, 'expected s3://bucket/prefix')
      .optional(),
    /** AWS Region of the workgroup; the SDK's default chain (AWS_REGION, profile) otherwise. */
    region: z.string().min(1).optional(),
    /** Data catalog; default `AwsDataCatalog`. */
    catalog: z.string().min(1).optional(),
    /** Where the sync data is (`s3://bucket/prefix`), for `patchboard athena ddl` and `setup`. */
    location: z
      .string()
      .regex(/^s3:\/\/[^/]+/, 'expected s3://bucket/prefix')
      .optional(),
  })
  .strict();
export type AthenaConfig = z.infer<typeof athenaConfigSchema>;

const envName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'expected an environment variable name such as PATCHBOARD_OIDC_SECRET');
const groupList = z.array(z.string().min(1).max(256));
const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * Who may open `patchboard serve` and what each person sees. Without `auth` the dashboard keeps its one-time
 * local token; with it, people sign in with the organisation's identity provider (OpenID Connect), or an AWS
 * Application Load Balancer signs them in and forwards their claims.
 */
export const dashboardSchema = z
  .object({
    /** The address people open, e.g. `https://patchboard.example.com`: the sign-in callback is under it. */
    publicUrl: httpUrl.optional(),
    auth: z
      .object({
        oidc: z
          .object({
            issuer: httpUrl,
            clientId: z.string().min(1),
            /** The environment variable holding the client secret; none for a public client (PKCE only). */
            clientSecretEnv: envName.optional(),
            /** The claim (ID token or UserInfo) listing the person's groups. */
            groupsClaim: z.string().min(1).default('groups'),
            scopes: z.array(z.string().min(1)).min(1).default(['openid', 'profile', 'email']),
          })
          .strict()
          .optional(),
        alb: z
          .object({
            /** The load balancer's ARN: the `signer` its `x-amzn-oidc-data` header must carry. */
            arn: z
              .string()
              .regex(
                /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\/[^/]+\/[0-9a-f]+$/,
                'expected arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>',
              ),
            groupsClaim: z.string().min(1).default('groups'),
            /** Where the Region's signing keys are; default `https://public-keys.auth.elb.<region>.amazonaws.com`. */
            publicKeysUrl: httpUrl.optional(),
          })
          .strict()
          .optional(),
        /** How long a sign-in lasts (OpenID Connect). */
        sessionHours: z.number().positive().max(168).default(8),
      })
      .strict()
      .optional(),
    access: z
      .object({
        /** Groups whose members see the whole fleet. */
        admins: groupList.default([]),
        /** Per team (the Team tag's value): groups whose members see that team's nodes only. */
        teams: z.record(z.string().min(1), groupList).default({}),
      })
      .strict()
      .optional(),
    /** Where the access log goes: a file, or `-` for standard output (`serve --access-log` wins). */
    accessLog: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((dashboard, context) => {
    const { auth } = dashboard;
    if (auth?.oidc && auth.alb) {
      context.addIssue({
        code: 'custom',
        path: ['auth'],
        message: 'give either oidc or alb, not both',
      });
    }
    if (auth?.oidc && !dashboard.publicUrl) {
      context.addIssue({
        code: 'custom',
        path: ['publicUrl'],
        message: 'OpenID Connect sign-in needs publicUrl, the address people open (the callback is under it)',
      });
    }
    if ((auth?.oidc ?? auth?.alb) && !dashboard.access) {
      context.addIssue({
        code: 'custom',
        path: ['access'],
        message:
          'sign-in needs access: { admins: [groups], teams: { team: [groups] } }, or nobody would see anything',
      });
    }
  });
export type DashboardConfig = z.infer<typeof dashboardSchema>;
export type AccessConfig = NonNullable<DashboardConfig['access']>;

export const configSchema = z
  .object({
    /** The DuckDB database file; `--db` wins over this. */
    database: z.string().min(1).optional(),
    /** The query engine reports run on (`--engine`); default `duckdb`. */
    engine: z.enum(ENGINE_NAMES).optional(),
    athena: athenaConfigSchema.optional(),
    policy: policySchema.default(policySchema.parse({})),
    /** Thresholds for `patchboard check`, which exits with 3 when one is breached. */
    check: z.array(checkRuleSchema).default([]),
    notify: notifySchema.default({ webhooks: [] }),
    /** `patchboard serve`: sign-in and who sees what. */
    dashboard: dashboardSchema.optional(),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

export const DEFAULT_POLICY: Policy = policySchema.parse({});

/** Validates a parsed configuration document; errors name the key path and what was expected. */
export function parseConfig(document: unknown, origin: string): Config {
  const result = configSchema.safeParse(document ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    return `${path}: ${issue.message}`;
  });
  throw new PatchboardError(
    'CONFIG',
    `${origin} is not a valid Patchboard configuration — ${problems.join('; ')}. Fix the key named, or remove it to use the default.`,
  );
}
