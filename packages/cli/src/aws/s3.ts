/**
 * S3 locations and failures as the command line speaks of them: `s3://bucket/prefix`, and one message per
 * failed request that names the flags to change. The client itself and the error classification are the AWS
 * commons' (`@patchboard/aws`).
 */
import { isNetworkError, isRetryable } from '@patchboard/aws';
import { PatchboardError } from '@patchboard/core';

export interface S3Location {
  readonly bucket: string;
  /** The key prefix inside the bucket, without a leading `/`; `''` for the whole bucket. */
  readonly prefix: string;
}

/** Parses `s3://bucket/prefix`; anything else is a usage error that shows the expected form. */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(match[1]!)) {
    throw new PatchboardError(
      'USAGE',
      `${JSON.stringify(url)} is not an S3 location; give s3://bucket or s3://bucket/prefix (bucket names are lower-case letters, digits, dots and hyphens).`,
    );
  }
  return { bucket: match[1]!, prefix: match[2]!.replace(/^\/+/, '') };
}

/** Where a failed request went, so the message can name it. */
export interface S3Target {
  readonly bucket: string;
  readonly key?: string;
  readonly endpoint?: string;
  /** What was being done, e.g. `list` or `read`. */
  readonly action: 'list' | 'read';
}

/** The fields of an SDK error this module looks at; SDK errors carry more, none of them secret-free by rule. */
interface SdkErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly Code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
  readonly $fault?: 'client' | 'server';
}

const CREDENTIAL_CODES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'InvalidClientTokenId',
]);
const REGION_CODES = new Set([
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
  'IllegalLocationConstraintException',
]);

/** Whether S3 says the object does not exist (it was deleted between listing and reading). */
export function isNoSuchKey(error: unknown): boolean {
  const e = error as SdkErrorShape | undefined;
  return e?.name === 'NoSuchKey' || (e?.$metadata?.httpStatusCode === 404 && e?.name !== 'NoSuchBucket');
}

/**
 * One clear message for a failed S3 request: the bucket or object, the cause in S3's own words (its error code),
 * and what to do. Never the stack, and never a credential: messages are built from the error's code, status and
 * S3's message text, which do not carry secrets.
 */
export function s3Failure(error: unknown, target: S3Target): PatchboardError {
  const e = (error ?? {}) as SdkErrorShape;
  const code =
    e.Code ??
    (e.name && e.name !== 'Error' && e.name !== 'S3ServiceException' ? e.name : e.code) ??
    'UnknownError';
  const status = e.$metadata?.httpStatusCode;
  const attempts = e.$metadata?.attempts;
  const where = target.key === undefined ? `s3://${target.bucket}` : `s3://${target.bucket}/${target.key}`;
  const store = target.endpoint ? `the S3-compatible store at ${target.endpoint}` : 'S3';
  const Store = target.endpoint ? `The S3-compatible store at ${target.endpoint}` : 'S3';
  const cause = `${code}${status ? `, HTTP ${status}` : ''}${attempts && attempts > 1 ? `, after ${attempts} attempts` : ''}`;
  const doing = target.action === 'list' ? 'list the objects of' : 'read';
  const detail = (e.message ?? '').split('\n')[0]!.slice(0, 300);
  let advice: string;
  if (code === 'NoSuchBucket') {
    advice = `The bucket ${target.bucket} does not exist in ${store}. Check the bucket name in the s3:// location${target.endpoint ? ' and --endpoint' : ''}.`;
  } else if (
    code === 'AccessDenied' ||
    code === 'Forbidden' ||
    code === 'AllAccessDisabled' ||
    (status === 403 && !CREDENTIAL_CODES.has(code))
  ) {
    advice = /kms/i.test(detail)
      ? `The credentials in use may not decrypt the object with its KMS key (${detail}). Grant kms:Decrypt on the bucket's key to the role or user.`
      : `The credentials in use are not allowed to ${doing} ${where}. They need s3:ListBucket on the bucket and s3:GetObject on its objects (and kms:Decrypt on the bucket's KMS key when objects are KMS-encrypted); check AWS_PROFILE or the role in use.`;
  } else if (CREDENTIAL_CODES.has(code)) {
    advice = `${Store} rejected the credentials (${detail || code}). Check AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or renew an expired session (aws sso login).`;
  } else if (e.name === 'CredentialsProviderError' || /Could not load credentials/i.test(e.message ?? '')) {
    advice = `No AWS credentials were found. Set AWS_PROFILE (run aws sso login for SSO profiles), set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an instance or container role is attached.`;
  } else if (REGION_CODES.has(code) || (status === 301 && !code.startsWith('E'))) {
    advice = `The bucket is in another Region than the one used. Give its Region with --region (or AWS_REGION).`;
  } else if (isNetworkError(error)) {
    advice = `${Store} could not be reached. Check the network${target.endpoint ? ' and --endpoint' : ', proxy settings and --endpoint if one is needed'}, then run it again.`;
  } else if (isRetryable(error)) {
    advice = `${Store} kept failing${detail ? ` (${detail})` : ''}. Run it again later.`;
  } else {
    advice = `${detail || 'No details were given'}. Check the s3:// location and the flags (--region, --endpoint).`;
  }
  return new PatchboardError('IO', `Could not ${doing} ${where} (${cause}). ${advice}`, { cause: error });
}
