/**
 * Where inventory objects come from: a local copy of the bucket, S3 itself, or the SSM APIs. Readers list
 * keys and hand over bytes; they know nothing of parsing or storage.
 */

import type { LineError } from './records.js';

export interface SourceObject {
  /** The key relative to the source root, with `/` separators, e.g. `AWS:Tag/accountid=…/i-0abc.json`. */
  readonly key: string;
  readonly size: number;
  /** Changes whenever the content changes: an S3 ETag, or size, modification time and inode for a file. */
  readonly version: string;
}

export interface SourceReader {
  /** How the source is named to people, e.g. `./fleet/bucket` or `s3://bucket/prefix`. */
  readonly location: string;
  list(): AsyncIterable<SourceObject>;
  read(key: string): Promise<Uint8Array>;
  /** What listing found wrong (an unreadable AWS Config snapshot, say); asked once `list()` has ended. */
  listingProblems?(): readonly ListingProblem[];
}

/** A problem found while listing, recorded like a bad line: the object's key, the line, the reason. */
export interface ListingProblem {
  readonly key: string;
  readonly error: LineError;
}

/** A source held in memory: for tests, and for collectors that build objects before storing them. */
export function memorySource(location: string, objects: Record<string, string | Uint8Array>): SourceReader {
  const encoder = new TextEncoder();
  const bytes = new Map(
    Object.entries(objects).map(([key, body]) => [
      key,
      typeof body === 'string' ? encoder.encode(body) : body,
    ]),
  );
  return {
    location,
    async *list() {
      for (const [key, body] of [...bytes].sort(([a], [b]) => (a < b ? -1 : 1))) {
        yield { key, size: body.length, version: `${body.length}:${hash(body)}` };
      }
    },
    read(key) {
      const body = bytes.get(key);
      return body ? Promise.resolve(body) : Promise.reject(new Error(`no object ${key} in ${location}`));
    },
  };
}

/** FNV-1a: enough to tell versions of an in-memory object apart. */
function hash(body: Uint8Array): string {
  let h = 0x811c9dc5;
  for (const byte of body) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h.toString(16);
}
