/**
 * The sync bucket read in place: `s3://bucket/prefix`. Keys are relative to the prefix (which is treated as a
 * folder), so `s3://bucket/sync` and a local copy of `sync/` give the same keys, and an object's version is its
 * ETag, which changes whenever its content does. Objects encrypted with SSE-S3 or SSE-KMS are decrypted by S3
 * itself on GetObject; the credentials only need kms:Decrypt on the key.
 */
import { setMaxListeners } from 'node:events';
import type { S3Client } from '@aws-sdk/client-s3';
import type { PatchboardError, SourceObject, SourceReader } from '@patchboard/core';
import { isRetryable, withRetry } from '@patchboard/aws';
import { isNoSuchKey, type S3Location, s3Failure } from '../aws/s3.js';

/**
 * Rounds of GetObject per object, each with the SDK's own retries inside. The SDK retries a request, but not a
 * body that breaks after the headers arrived, and it stops retrying once its client-wide retry quota is spent,
 * which many reads in flight during one network blip spend at once. A later round starts afresh.
 */
const READ_ROUNDS = 4;
const ROUND_DELAY_MS = 500;

export class S3Source implements SourceReader {
  readonly location: string;
  private readonly prefix: string;
  /** The first failure that stops the ingest; the reads still in flight are cancelled and end with it. */
  private fatal: PatchboardError | undefined;
  private readonly cancelReads = new AbortController();

  constructor(
    private readonly client: S3Client,
    private readonly bucketLocation: S3Location,
    private readonly endpoint?: string,
  ) {
    this.prefix =
      bucketLocation.prefix === '' || bucketLocation.prefix.endsWith('/')
        ? bucketLocation.prefix
        : `${bucketLocation.prefix}/`;
    this.location = `s3://${bucketLocation.bucket}/${this.prefix}`;
    // Every read in flight listens on the one signal (the SDK removes each listener when its request ends),
    // so Node's warning at 10 listeners would fire with no leak behind it.
    setMaxListeners(0, this.cancelReads.signal);
  }

  async *list(): AsyncIterable<SourceObject> {
    const { paginateListObjectsV2 } = await import('@aws-sdk/client-s3');
    const bucket = this.bucketLocation.bucket;
    const pages = paginateListObjectsV2(
      { client: this.client, pageSize: 1000 },
      { Bucket: bucket, Prefix: this.prefix },
    );
    const iterator = pages[Symbol.asyncIterator]();
    // Bounded by S3 itself: every page moves the continuation token forward until IsTruncated is false.
    for (;;) {
      let page;
      try {
        page = await iterator.next();
      } catch (error) {
        throw s3Failure(error, {
          bucket,
          key: this.prefix || undefined,
          endpoint: this.endpoint,
          action: 'list',
        });
      }
      if (page.done) return;
      for (const object of page.value.Contents ?? []) {
        if (!object.Key || object.Key.endsWith('/')) continue; // folder markers hold no data
        yield {
          key: object.Key.slice(this.prefix.length),
          size: object.Size ?? 0,
          version: (object.ETag ?? '').replaceAll('"', ''),
        };
      }
    }
  }

  async read(key: string): Promise<Uint8Array> {
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const bucket = this.bucketLocation.bucket;
    const fullKey = `${this.prefix}${key}`;
    try {
      return await withRetry(
        async () => {
          if (this.fatal) throw this.fatal;
          const response = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: fullKey }), {
            abortSignal: this.cancelReads.signal,
          });
          return response.Body ? await response.Body.transformToByteArray() : new Uint8Array();
        },
        {
          attempts: READ_ROUNDS,
          firstWaitMs: ROUND_DELAY_MS,
          // Jittered, so the reads in flight do not all come back at the same instant, and never less than
          // half the doubled wait, so a short network cut has passed before the last round.
          jitter: 'equal',
          retryable: (error) => !this.fatal && !isNoSuchKey(error) && isRetryable(error),
          signal: this.cancelReads.signal,
        },
      );
    } catch (error) {
      // Set by another read while this one was in flight: that failure is the ingest's.
      if (this.fatal) throw this.fatal;
      // Gone since the listing: an object-level problem the ingest records, and the next ingest sees it gone.
      if (isNoSuchKey(error)) {
        throw new Error(`the object ${fullKey} was deleted after it was listed`, { cause: error });
      }
      // Anything else (access, credentials, a store that keeps failing after every round) stops the ingest:
      // carrying on would store a fleet with holes in it. The other reads are cancelled rather than left to
      // run through their own retries.
      this.fatal = s3Failure(error, { bucket, key: fullKey, endpoint: this.endpoint, action: 'read' });
      this.cancelReads.abort();
      throw this.fatal;
    }
  }
}
