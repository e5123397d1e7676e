/**
 * AWS errors as a person can act on them: no credentials, a missing IAM permission (named), anything else with
 * the service's own words. Throttling is told apart so the collector can wait and try again.
 */
import { PatchboardError } from '@patchboard/core';

interface AwsError {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { httpStatusCode?: number };
  readonly $retryable?: { throttling?: boolean };
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);
const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnauthorizedException',
]);
const NO_CREDENTIALS = new Set(['CredentialsProviderError', 'ProviderError']);
const BAD_CREDENTIALS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
]);

export function isThrottling(error: unknown): boolean {
  const e = error as AwsError | undefined;
  return Boolean(
    e &&
    (THROTTLING.has(e.name ?? '') ||
      e.$retryable?.throttling === true ||
      e.$metadata?.httpStatusCode === 429),
  );
}

/**
 * Calls a collection can do without, with the option that skips them: a denied one names that way on too, for
 * someone who cannot have the permission granted.
 */
const SKIPPABLE: ReadonlyMap<string, { option: string; without: string }> = new Map([
  [
    'ec2:DescribeInstances',
    {
      option: '--no-instances',
      without: 'the EC2 instance list (instances SSM does not manage are then not counted)',
    },
  ],
]);

/** An API call as IAM names it: `ssm:DescribeInstancePatches`. */
export interface ApiCall {
  readonly action: string;
  readonly region: string;
}

/** Translates an SDK error from `call` into a PatchboardError; a PatchboardError passes through unchanged. */
export function translateAwsError(error: unknown, call: ApiCall): Error {
  if (error instanceof PatchboardError) return error;
  const e = (error ?? {}) as AwsError;
  const name = e.name ?? '';
  const said = e.message ? ` (AWS said: ${e.message})` : '';
  if (NO_CREDENTIALS.has(name) || /could not load credentials|credential/i.test(name)) {
    return new PatchboardError(
      'IO',
      `No AWS credentials were found for ${call.action} in ${call.region}${said}. Give --profile <name> (a profile in ~/.aws/config), set AWS_PROFILE, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; on EC2 or in a container the role's credentials are used.`,
      { cause: error },
    );
  }
  if (BAD_CREDENTIALS.has(name)) {
    return new PatchboardError(
      'IO',
      `The AWS credentials were refused for ${call.action} in ${call.region}: ${name}${said}. Refresh them (for SSO: aws sso login) and run collect again; it continues where it stopped.`,
      { cause: error },
    );
  }
  if (ACCESS_DENIED.has(name)) {
    const skip = SKIPPABLE.get(call.action);
    const next = skip
      ? `, or run collect again with ${skip.option} to go on without ${skip.without}; either way it continues where it stopped.`
      : ', then run collect again; it continues where it stopped.';
    return new PatchboardError(
      'IO',
      `Access denied: the credentials may not call ${call.action} in ${call.region}${said}. Grant ${call.action} to the role or user (docs/ingest.md, "Collecting without a Resource Data Sync", lists every permission collect needs)${next}`,
      { cause: error },
    );
  }
  if (isThrottling(error)) {
    return new PatchboardError(
      'IO',
      `${call.action} in ${call.region} was still throttled after every retry${said}. Lower --max-rps or --concurrency and run collect again; it continues where it stopped.`,
      { cause: error },
    );
  }
  return new PatchboardError(
    'IO',
    `${call.action} in ${call.region} failed: ${name || 'error'}${said}. Run collect again to continue where it stopped.`,
    { cause: error },
  );
}
