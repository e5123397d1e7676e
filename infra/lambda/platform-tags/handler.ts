/**
 * Scheduled (EventBridge) in every member account and Region: tags EC2 instances with their SSM platform.
 * Inline code in the member template, so the EC2 and SSM clients are the Lambda runtime's.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { tagPlatforms, type PlatformTagOutcome } from './platform-tags.js';

const ssm = new SSMClient({});
const ec2 = new EC2Client({});

/** Stop starting pages this long before the function's timeout, so the last page's tags are written. */
const SAFETY_MARGIN_MS = 60_000;

export async function handler(
  _event: unknown,
  context?: { getRemainingTimeInMillis?: () => number },
): Promise<PlatformTagOutcome> {
  const remaining = context?.getRemainingTimeInMillis?.() ?? 300_000;
  const outcome = await tagPlatforms(ssm, ec2, { deadline: Date.now() + remaining - SAFETY_MARGIN_MS });
  console.log(JSON.stringify(outcome));
  return outcome;
}
