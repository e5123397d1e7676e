/**
 * E-mail through any SMTP server (nodemailer). The server and its credentials come from an environment
 * variable; the messages are built by the caller.
 */
import { PatchboardError } from '@patchboard/core';
import { describeUrl, secretUrl } from './secrets.js';

export interface OutgoingMail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attachments: readonly { filename: string; content: string | Uint8Array }[];
}

export async function sendMails(
  smtp: { from: string; urlEnv: string },
  mails: readonly OutgoingMail[],
): Promise<void> {
  const url = secretUrl(smtp.urlEnv, 'the SMTP server');
  const nodemailer = await import('nodemailer');
  const transport = nodemailer.createTransport({
    url: url.href,
    // Bounded: a server that does not answer fails the run instead of hanging a cron job.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
    // Plain smtp:// to a relay inside the network may not offer TLS; smtps:// always uses it.
    ignoreTLS: url.searchParams.get('ignoreTLS') === 'true',
  } as Parameters<typeof nodemailer.createTransport>[0]);
  try {
    for (const mail of mails) {
      try {
        await transport.sendMail({
          from: smtp.from,
          to: [...mail.to],
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          attachments: mail.attachments.map((a) => ({
            filename: a.filename,
            content: typeof a.content === 'string' ? a.content : Buffer.from(a.content),
          })),
        });
      } catch (error) {
        throw new PatchboardError(
          'IO',
          `Sending "${mail.subject}" through ${describeUrl(smtp.urlEnv, url)} failed: ${(error as Error).message.replaceAll(url.password || '\u0000', '***')}. Check the server and credentials in ${smtp.urlEnv}.`,
          { cause: error },
        );
      }
    }
  } finally {
    transport.close();
  }
}
