/**
 * Posting to a webhook (Slack incoming webhooks, or any endpoint taking JSON): bounded in time, one retry
 * after a pause when the server fails (5xx) or the connection does, never the URL in a message.
 */
import { PatchboardError } from '@patchboard/core';
import { describeUrl, secretUrl } from './secrets.js';

const TIMEOUT_MS = 10_000;
const RETRY_PAUSE_MS = 500;

export async function postJson(
  hook: { name: string; urlEnv: string },
  body: unknown,
  pauseMs = RETRY_PAUSE_MS,
): Promise<void> {
  const url = secretUrl(hook.urlEnv, `webhook ${hook.name}`);
  const where = `webhook ${hook.name} at ${describeUrl(hook.urlEnv, url)}`;
  let problem = '';
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.arrayBuffer();
      if (response.ok) return;
      problem = `HTTP ${response.status} ${response.statusText}`;
      // A 4xx is the request's fault: sending it again changes nothing.
      if (response.status < 500) break;
    } catch (error) {
      problem =
        (error as Error).name === 'TimeoutError' ? `no answer in ${TIMEOUT_MS} ms` : (error as Error).message;
    }
    if (attempt === 1) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  throw new PatchboardError(
    'IO',
    `Posting to ${where} failed: ${problem}. Check the endpoint and the URL in ${hook.urlEnv}.`,
  );
}

/** Slack treats &, < and > as markup (`<!channel>`, `<@U123>`, links): data goes in escaped. */
export const slackEscape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
