/**
 * The one place an S3 client is made, so the S3 source and `compact` agree on credentials, region and
 * S3-compatible endpoints. Credentials come from the AWS SDK's default chain (environment, profile, SSO,
 * instance or container role); nothing here reads or prints a secret.
 */
import { PatchboardError } from '@patchboard/core';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';

export interface S3Location {
  readonly bucket: string;
  /** The key prefix inside the bucket, without a leading `/`; `''` for the whole bucket. */
  readonly prefix: string;
}

export interface S3ClientOptions {
  /** `--region`; otherwise the SDK's chain (AWS_REGION, the profile) and S3's redirect to the bucket's Region. */
  readonly region?: string;
  /** `--endpoint`: an S3-compatible store, addressed path-style (`http://127.0.0.1:8080/bucket/key`). */
  readonly endpoint?: string;
  /** Requests the caller keeps in flight at once; the connection pool is sized to match. Default 64. */
  readonly maxConcurrentRequests?: number;
}

/** Reads in flight against S3: many small objects, so latency, not bandwidth, sets the pace. */
export const S3_READ_CONCURRENCY = 64;
/** Attempts per request (the first and five retries), with the SDK's adaptive backoff between them. */
export const S3_MAX_ATTEMPTS = 6;

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

export async function createS3Client(options: S3ClientOptions = {}): Promise<S3Client> {
  // The SDK warns on every run that its releases after January 2027 will need Node 22: advice for whoever
  // upgrades the pinned SDK, not for the person reading the command's output, where it would bury the message.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Loaded on demand: the AWS SDK is only needed by commands that touch S3.
  const { S3Client } = await import('@aws-sdk/client-s3');
  const config: S3ClientConfig = {
    // A bucket in another Region answers with a redirect; following it is S3's own Region detection.
    followRegionRedirects: true,
    // Checksums only where S3 requires them: S3-compatible stores reject or mangle aws-chunked uploads.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Adaptive retries back off exponentially with jitter on throttling (SlowDown), 5xx answers, timeouts and
    // network resets, and slow the client's own request rate while S3 throttles.
    retryMode: 'adaptive',
    maxAttempts: S3_MAX_ATTEMPTS,
    requestHandler: {
      // One kept-alive socket per request in flight: the default pool (50) would queue reads behind it.
      httpAgent: { keepAlive: true, maxSockets: options.maxConcurrentRequests ?? S3_READ_CONCURRENCY },
      httpsAgent: { keepAlive: true, maxSockets: options.maxConcurrentRequests ?? S3_READ_CONCURRENCY },
      // A store that accepts the connection and then says nothing must not hang the ingest: fail, retry.
      connectionTimeout: 10_000,
      requestTimeout: 60_000,
    },
  };
  if (options.region) config.region = options.region;
  else if (!process.env.AWS_REGION && !process.env.AWS_DEFAULT_REGION && !process.env.AWS_PROFILE) {
    // Without any Region the SDK refuses to start; us-east-1 is where S3 answers for every bucket.
    config.region = 'us-east-1';
  }
  if (options.endpoint) {
    config.endpoint = options.endpoint;
    config.forcePathStyle = true;
  }
  return new S3Client(config);
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

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'TimeoutError',
  'RequestTimeout',
]);
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

/** Whether an error is a network-level failure (reset, refused, timeout) that a later attempt may not meet. */
export function isNetworkError(error: unknown): boolean {
  const e = error as SdkErrorShape | undefined;
  return (
    NETWORK_CODES.has(e?.code ?? '') ||
    NETWORK_CODES.has(e?.name ?? '') ||
    /socket hang up|aborted/i.test(e?.message ?? '')
  );
}

const THROTTLING_CODES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

/** Whether a later attempt may succeed: network failures, throttling and the store's own (5xx) faults. */
export function isRetryable(error: unknown): boolean {
  const e = error as SdkErrorShape | undefined;
  const status = e?.$metadata?.httpStatusCode;
  return (
    isNetworkError(error) ||
    THROTTLING_CODES.has(e?.name ?? '') ||
    e?.$fault === 'server' ||
    (status !== undefined && (status >= 500 || status === 429))
  );
}

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
