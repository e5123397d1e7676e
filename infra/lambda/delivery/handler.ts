/**
 * Scheduled delivery. EventBridge sends `{"task":"monthly-pack"}` on the 1st (the previous month's pack to S3,
 * SES and Slack) and `{"task":"daily-snapshot"}` every day (the history snapshot for Athena).
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import type { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { createS3Client } from '@patchboard/aws/s3';
import {
  collectAuditPack,
  formatInstant,
  packManifest,
  PatchboardError,
  policySchema,
  type QueryEngine,
} from '@patchboard/core';
import { AthenaQueryEngine } from '@patchboard/engine-athena';
import infraPackage from '../../package.json' with { type: 'json' };
import { postToSlack, sendEmail, summaryText, writePack } from './deliver.js';
import { recordSnapshot } from './snapshot.js';

/** The month before the one `now` falls in (UTC): what a run on the 1st reports on. */
export function previousMonth(now: number): string {
  const date = new Date(now);
  const first = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 1, 1);
  return new Date(first).toISOString().slice(0, 7);
}

export interface DeliveryEvent {
  readonly task: 'monthly-pack' | 'daily-snapshot';
  /** `YYYY-MM`; default the month before the run. */
  readonly month?: string;
}

export interface DeliverySettings {
  readonly bucket: string;
  readonly database: string;
  readonly workgroup: string;
  readonly from?: string;
  readonly to: readonly string[];
  readonly slackSecret?: string;
}

export interface DeliveryDeps {
  readonly settings: DeliverySettings;
  readonly engine: () => QueryEngine & Pick<AthenaQueryEngine, 'execute'>;
  readonly s3: S3Client;
  readonly ses: SESv2Client;
  readonly secrets: SecretsManagerClient;
  readonly now: () => number;
  readonly fetch?: typeof fetch;
}

export function settingsFromEnvironment(env: NodeJS.ProcessEnv): DeliverySettings {
  const required = (name: string) => {
    const value = env[name];
    if (!value)
      throw new PatchboardError('CONFIG', `The environment variable ${name} is not set; the stack sets it.`);
    return value;
  };
  return {
    bucket: required('DELIVERY_BUCKET'),
    database: required('ATHENA_DATABASE'),
    workgroup: required('ATHENA_WORKGROUP'),
    ...(env.MAIL_FROM ? { from: env.MAIL_FROM } : {}),
    to: (env.MAIL_TO ?? '').split(',').filter((a) => a.length > 0),
    ...(env.SLACK_WEBHOOK_SECRET ? { slackSecret: env.SLACK_WEBHOOK_SECRET } : {}),
  };
}

export function createHandler(deps: DeliveryDeps) {
  return async (event: DeliveryEvent): Promise<Record<string, unknown>> => {
    const { settings } = deps;
    const now = deps.now();
    const engine = deps.engine();
    try {
      if (event.task === 'daily-snapshot') {
        const day = formatInstant(now).slice(0, 10);
        const prefixes = await recordSnapshot(engine, deps.s3, settings.bucket, day);
        return { task: event.task, day, prefixes };
      }
      if (event.task !== 'monthly-pack') {
        throw new PatchboardError(
          'USAGE',
          `The event task ${JSON.stringify(event.task)} is unknown; expected "monthly-pack" or "daily-snapshot".`,
        );
      }
      const month = event.month ?? previousMonth(now);
      const policy = policySchema.parse({});
      // The CLI's pack, CSV, JSON and manifest alike (core builds both); the HTML and PDF stay with the CLI.
      const pack = await collectAuditPack(engine, { policy, now, dialect: engine.dialect }, { month });
      // The workspaces share one version (the CLI's manifests record packages/cli's, the same number).
      const manifest = await packManifest(pack, pack.files, { version: infraPackage.version, policy });
      const keys = await writePack(deps.s3, settings.bucket, month, [...pack.files, manifest.file]);
      const rows = pack.tables.map((t) => ({ file: t.section.file, rows: t.result.rows.length }));
      const text = summaryText(settings.bucket, month, rows);
      const sent: string[] = [];
      if (settings.from && settings.to.length > 0) {
        await sendEmail(deps.ses, settings.from, settings.to, month, text);
        sent.push('email');
      }
      if (settings.slackSecret) {
        await postToSlack(deps.secrets, settings.slackSecret, text, deps.fetch);
        sent.push('slack');
      }
      return { task: event.task, month, keys, sent };
    } finally {
      await engine.close();
    }
  };
}

let cached: ReturnType<typeof createHandler> | undefined;

export async function handler(event: DeliveryEvent): Promise<Record<string, unknown>> {
  if (!cached) {
    const settings = settingsFromEnvironment(process.env);
    const athena = new AthenaClient({});
    cached = createHandler({
      settings,
      engine: () =>
        new AthenaQueryEngine({
          client: athena,
          database: settings.database,
          workgroup: settings.workgroup,
          timeoutMs: 10 * 60_000,
          // The deployed tables are the sync bucket itself: its current objects, no history to look back on.
          history: 'current-only',
        }),
      s3: await createS3Client(),
      ses: new SESv2Client({}),
      secrets: new SecretsManagerClient({}),
      now: () => Date.now(),
    });
  }
  return cached(event);
}
