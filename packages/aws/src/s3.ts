/**
 * The one place an S3 client is made, so every reader and writer (the S3 source, `compact`, the Lambdas) agrees
 * on credentials, Region, retries and S3-compatible endpoints. Credentials come from the AWS SDK's default
 * chain (environment, profile, SSO, instance, container or Lambda role); nothing here reads or prints a secret.
 * A subpath of its own (`@patchboard/aws/s3`) so that callers without S3 do not bundle the S3 SDK.
 */
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';

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
