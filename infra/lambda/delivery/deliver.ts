/**
 * Where the pack goes: S3 (every file, under `packs/<month>/`), an e-mail through SES, and a Slack message
 * through an incoming webhook whose URL is kept in Secrets Manager.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { type PackFile, PatchboardError } from '@patchboard/core';

export const packPrefix = (month: string) => `packs/${month}/`;

export async function writePack(
  s3: S3Client,
  bucket: string,
  month: string,
  files: readonly PackFile[],
): Promise<string[]> {
  const keys: string[] = [];
  for (const file of files) {
    const key = `${packPrefix(month)}${file.path}`;
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: file.content, ContentType: file.contentType }),
    );
    keys.push(key);
  }
  return keys;
}

/** The message: where the pack is, and the rows of each section (`rows` in section order). */
export function summaryText(
  bucket: string,
  month: string,
  rows: readonly { readonly file: string; readonly rows: number }[],
): string {
  const lines = rows.map((section) => `- ${section.file}: ${section.rows} row(s)`);
  return [
    `Patchboard audit pack for ${month} (UTC) is in s3://${bucket}/${packPrefix(month)}`,
    ...lines,
    'manifest.json lists every file with its SHA-256.',
  ].join('\n');
}

export async function sendEmail(
  ses: SESv2Client,
  from: string,
  to: readonly string[],
  month: string,
  text: string,
): Promise<void> {
  await ses.send(
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: [...to] },
      Content: {
        Simple: {
          Subject: { Data: `Patchboard audit pack ${month}`, Charset: 'UTF-8' },
          Body: { Text: { Data: text, Charset: 'UTF-8' } },
        },
      },
    }),
  );
}

export async function postToSlack(
  secrets: SecretsManagerClient,
  secretName: string,
  text: string,
  send: typeof fetch = fetch,
): Promise<void> {
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: secretName }));
  const url = secret.SecretString?.trim() ?? '';
  if (!url.startsWith('https://hooks.slack.com/')) {
    throw new PatchboardError(
      'CONFIG',
      `The secret ${secretName} does not hold a Slack incoming-webhook URL (expected https://hooks.slack.com/…). Store the URL as the secret's plain text.`,
    );
  }
  const response = await send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) {
    throw new PatchboardError(
      'IO',
      `Slack refused the message: HTTP ${response.status}. Check the webhook URL.`,
    );
  }
}
