/**
 * AWS Config snapshots as inventory. A source holding `AWSLogs/…/ConfigSnapshot/…` objects (a Config delivery
 * channel writing into the sync bucket, or a copy of a Config bucket) is presented to the ingest with, per
 * account and Region, the newest snapshot turned into one `EC2_INSTANCE_TYPE` object and one `EC2_TAG_TYPE`
 * object per instance, in the sync's key layout. The ingest then treats instances like any node's inventory:
 * only changed ones are stored again, a vanished one closes its history, a bad item is reported with its file.
 *
 * Only the newest snapshot counts: each one is the whole instance list at its delivery, so older ones say
 * nothing the newest does not (back-fill history by ingesting older bucket copies in order, as for inventory).
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import {
  type ConfigInstance,
  type ConfigSnapshotKey,
  configSnapshotInstances,
  EC2_INSTANCE_TYPE,
  EC2_TAG_TYPE,
  type ListingProblem,
  parseConfigSnapshotKey,
  PatchboardError,
  type SourceObject,
  type SourceReader,
} from '@patchboard/core';

/** A snapshot of 10,000 instances is about 100 MB of JSON; anything far beyond is not one. */
export const MAX_SNAPSHOT_BYTES = 1024 * 1024 * 1024;
/** When the newest snapshot of an account and Region cannot be read, the older ones tried before giving up. */
const FALLBACKS = 2;
const SCHEMA_VERSION = '1.0';
const utf8 = new TextDecoder('utf-8', { fatal: true });

interface Candidate {
  readonly object: SourceObject;
  readonly key: ConfigSnapshotKey;
}

/** The sync-layout key of an instance's derived object. */
const derivedKey = (typeName: string, key: ConfigSnapshotKey, instanceId: string) =>
  `${typeName}/accountid=${key.accountId}/region=${key.region}/resourcetype=EC2Instance/${instanceId}.json`;

function instanceLines(instance: ConfigInstance): { instance: string; tags: string } {
  const record = {
    resourceId: instance.instanceId,
    captureTime: instance.captureTime,
    schemaVersion: SCHEMA_VERSION,
  };
  const attributes = {
    InstanceId: instance.instanceId,
    State: instance.state,
    LaunchTime: instance.launchTime,
    Platform: instance.platform,
    InstanceType: instance.instanceType,
    ImageId: instance.imageId,
    Source: 'config',
    ManagedRuleCompliance: instance.managedRuleCompliance,
    PatchRuleCompliance: instance.patchRuleCompliance,
  };
  const present = Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== null));
  return {
    instance: JSON.stringify({ ...record, ...present }),
    tags: instance.tags.map(([Key, Value]) => JSON.stringify({ ...record, Key, Value })).join('\n'),
  };
}

/** The document inside a snapshot object: gzip (as Config writes it) or plain JSON, bounded in size. */
function snapshotText(bytes: Uint8Array): string {
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const plain = gzipped ? gunzipSync(bytes, { maxOutputLength: MAX_SNAPSHOT_BYTES }) : bytes;
  return utf8.decode(plain);
}

/**
 * `source` with its Config snapshots replaced by per-instance objects. Listing reads the newest snapshot of each
 * account and Region (a few objects), so the derived objects' versions are known before the ingest plans.
 */
export function withConfigSnapshots(source: SourceReader): SourceReader {
  const derived = new Map<string, Uint8Array>();
  const problems: ListingProblem[] = [];
  const encoder = new TextEncoder();

  /** The instances of the newest readable snapshot among `candidates` (newest first). */
  async function newestInstances(candidates: readonly Candidate[]): Promise<ConfigInstance[]> {
    for (const [attempt, { object, key }] of candidates.slice(0, FALLBACKS + 1).entries()) {
      let text: string;
      try {
        text = snapshotText(await source.read(object.key));
      } catch (error) {
        if (error instanceof PatchboardError) throw error;
        const reason = `could not read this AWS Config snapshot (${(error as Error).message})${
          attempt < Math.min(FALLBACKS, candidates.length - 1) ? '; the one delivered before it is used' : ''
        }`;
        problems.push({ key: object.key, error: { line: null, reason, excerpt: '' } });
        continue;
      }
      const { instances, errors, isSnapshot } = configSnapshotInstances(text, key);
      for (const error of errors) problems.push({ key: object.key, error });
      // A document that is not a snapshot at all says nothing about the instances; an older one still does.
      if (isSnapshot) return instances;
    }
    return [];
  }

  return {
    location: source.location,
    read(key) {
      const body = derived.get(key);
      return body ? Promise.resolve(body) : source.read(key);
    },
    listingProblems: () => [...(source.listingProblems?.() ?? []), ...problems],
    async *list() {
      const snapshots = new Map<string, Candidate[]>();
      for await (const object of source.list()) {
        const key = parseConfigSnapshotKey(object.key);
        if (key) {
          const group = `${key.accountId}/${key.region}`;
          snapshots.set(group, [...(snapshots.get(group) ?? []), { object, key }]);
        }
        // Snapshots are listed too: the ingest counts them as skipped keys, as it does any non-inventory key.
        yield object;
      }
      for (const candidates of snapshots.values()) {
        candidates.sort((a, b) =>
          a.key.deliveredAt === b.key.deliveredAt
            ? a.object.key < b.object.key
              ? 1
              : -1
            : a.key.deliveredAt < b.key.deliveredAt
              ? 1
              : -1,
        );
        const key = candidates[0]!.key;
        for (const instance of await newestInstances(candidates)) {
          const lines = instanceLines(instance);
          const objects: [string, string][] = [
            [derivedKey(EC2_INSTANCE_TYPE, key, instance.instanceId), lines.instance],
          ];
          if (lines.tags !== '')
            objects.push([derivedKey(EC2_TAG_TYPE, key, instance.instanceId), lines.tags]);
          for (const [derivedObjectKey, text] of objects) {
            const body = encoder.encode(text);
            derived.set(derivedObjectKey, body);
            const version = `config:${createHash('sha256').update(body).digest('hex').slice(0, 32)}`;
            yield { key: derivedObjectKey, size: body.length, version };
          }
        }
      }
    },
  };
}
