/**
 * The S3 source and its error messages on answers a loopback Swift cannot give (throttling, KMS denials, Region
 * redirects, a 5xx that outlasts every retry): the S3 client is mocked, and each request's shape is checked.
 * Everything Swift can answer is tested against Swift in test/s3-source.test.ts.
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { S3Source } from '../sources/s3.js';
import { parseS3Url, s3Failure } from './s3.js';

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

/** A GetObject answer: the SDK's body stream, reduced to the one method the source calls. */
const body = (text: string) =>
  ({ Body: { transformToByteArray: () => Promise.resolve(new TextEncoder().encode(text)) } }) as never;

function serviceError(name: string, status: number, message: string, attempts?: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    message,
    $metadata: { httpStatusCode: status, attempts },
  });
}

describe('parseS3Url', () => {
  it('splits bucket and prefix, and refuses what is not an S3 location', () => {
    expect(parseS3Url('s3://fleet-sync')).toEqual({ bucket: 'fleet-sync', prefix: '' });
    expect(parseS3Url('s3://fleet-sync/org/one/')).toEqual({ bucket: 'fleet-sync', prefix: 'org/one/' });
    expect(() => parseS3Url('s3://Fleet_Sync/x')).toThrow(/is not an S3 location/);
    expect(() => parseS3Url('https://fleet-sync.s3.amazonaws.com/')).toThrow(/give s3:\/\/bucket/);
  });
});

describe('S3Source', () => {
  it('lists every page under the prefix, keys relative to it, the ETag as version', async () => {
    const pages = [
      {
        Contents: [
          { Key: 'org/', Size: 0, ETag: '"d41d8cd98f00b204e9800998ecf8427e"' },
          { Key: 'org/AWS:Tag/accountid=1/a.json', Size: 10, ETag: '"aaa"' },
        ],
        IsTruncated: true,
        NextContinuationToken: 'page-2',
      },
      {
        Contents: [{ Key: 'org/AWS:Tag/accountid=1/b.json', Size: 20, ETag: '"bbb-2"' }],
        IsTruncated: false,
      },
    ];
    // Copied when made: the SDK's paginator reuses one input object from page to page.
    const requests: unknown[] = [];
    s3.on(ListObjectsV2Command).callsFake((input: object) => {
      requests.push({ ...input });
      return pages[requests.length - 1];
    });
    const source = new S3Source(new S3Client({ region: 'eu-west-1' }), parseS3Url('s3://fleet/org'));
    const listed = [];
    for await (const object of source.list()) listed.push(object);
    expect(source.location).toBe('s3://fleet/org/');
    expect(listed).toEqual([
      { key: 'AWS:Tag/accountid=1/a.json', size: 10, version: 'aaa' },
      { key: 'AWS:Tag/accountid=1/b.json', size: 20, version: 'bbb-2' },
    ]);
    expect(requests).toEqual([
      { Bucket: 'fleet', Prefix: 'org/', MaxKeys: 1000 },
      { Bucket: 'fleet', Prefix: 'org/', MaxKeys: 1000, ContinuationToken: 'page-2' },
    ]);
  });

  it('reads again after throttling that outlasted the SDK’s retries, then returns the bytes', async () => {
    s3.on(GetObjectCommand)
      .rejectsOnce(serviceError('SlowDown', 503, 'Please reduce your request rate.', 6))
      .resolvesOnce(body('{"a":1}\n'));
    const source = new S3Source(new S3Client({ region: 'eu-west-1' }), parseS3Url('s3://fleet/org/'));
    const bytes = await source.read('AWS:Tag/accountid=1/a.json');
    expect(Buffer.from(bytes).toString()).toBe('{"a":1}\n');
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'fleet', Key: 'org/AWS:Tag/accountid=1/a.json' },
      { Bucket: 'fleet', Key: 'org/AWS:Tag/accountid=1/a.json' },
    ]);
  });

  it('gives up after four rounds of a store that keeps failing, with one message, and stops the other reads', async () => {
    s3.on(GetObjectCommand).rejects(
      serviceError('InternalError', 500, 'We encountered an internal error.', 6),
    );
    const source = new S3Source(new S3Client({ region: 'eu-west-1' }), parseS3Url('s3://fleet'));
    const failure = (await source.read('AWS:Tag/x.json').catch((error: unknown) => error)) as Error;
    expect(failure.message).toBe(
      'Could not read s3://fleet/AWS:Tag/x.json (InternalError, HTTP 500, after 6 attempts). S3 kept failing (We encountered an internal error.). Run it again later.',
    );
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(4);
    // Any read after the failure ends at once with the same message, without a request.
    await expect(source.read('AWS:Tag/y.json')).rejects.toBe(failure);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(4);
  }, 20_000);

  it('reports an object deleted since the listing as that object’s problem, not the ingest’s', async () => {
    s3.on(GetObjectCommand).rejects(serviceError('NoSuchKey', 404, 'The specified key does not exist.'));
    const source = new S3Source(new S3Client({ region: 'eu-west-1' }), parseS3Url('s3://fleet/org'));
    const failure = (await source.read('AWS:Tag/gone.json').catch((error: unknown) => error)) as Error;
    expect(failure.name).toBe('Error');
    expect(failure.message).toBe('the object org/AWS:Tag/gone.json was deleted after it was listed');
  });
});

describe('s3Failure', () => {
  const target = { bucket: 'fleet', key: 'org/AWS:Tag/a.json', action: 'read' } as const;

  it('names a KMS denial and the permission it needs', () => {
    const error = serviceError(
      'AccessDenied',
      403,
      'User: arn:aws:sts::111122223333:assumed-role/reader/x is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:eu-west-1:111122223333:key/1234',
    );
    expect(s3Failure(error, target).message).toBe(
      "Could not read s3://fleet/org/AWS:Tag/a.json (AccessDenied, HTTP 403). The credentials in use may not decrypt the object with its KMS key (User: arn:aws:sts::111122223333:assumed-role/reader/x is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:eu-west-1:111122223333:key/1234). Grant kms:Decrypt on the bucket's key to the role or user.",
    );
  });

  it('points at --region when the bucket lives elsewhere', () => {
    const error = serviceError(
      'PermanentRedirect',
      301,
      'The bucket you are attempting to access must be addressed using the specified endpoint.',
    );
    expect(s3Failure(error, { bucket: 'fleet', action: 'list' }).message).toBe(
      'Could not list the objects of s3://fleet (PermanentRedirect, HTTP 301). The bucket is in another Region than the one used. Give its Region with --region (or AWS_REGION).',
    );
  });

  it('says an expired session should be renewed, without the token', () => {
    const error = serviceError('ExpiredToken', 400, 'The provided token has expired.');
    const message = s3Failure(error, target).message;
    expect(message).toBe(
      'Could not read s3://fleet/org/AWS:Tag/a.json (ExpiredToken, HTTP 400). S3 rejected the credentials (The provided token has expired.). Check AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or renew an expired session (aws sso login).',
    );
  });
});
