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

export async function createS3Client(options: S3ClientOptions = {}): Promise<S3Client> {
  // Loaded on demand: the AWS SDK is only needed by commands that touch S3.
  const { S3Client } = await import('@aws-sdk/client-s3');
  const config: S3ClientConfig = {
    // A bucket in another Region answers with a redirect; following it is S3's own Region detection.
    followRegionRedirects: true,
    // Checksums only where S3 requires them: S3-compatible stores reject or mangle aws-chunked uploads.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    retryMode: 'adaptive',
    maxAttempts: 6,
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
