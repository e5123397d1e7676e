/**
 * Parsing of Resource Data Sync object keys:
 * `[prefix/]AWS:<Type>/accountid=<12 digits>/region=<region>/resourcetype=<rt>/<node-id>.json`.
 */

export interface BucketKey {
  /** The sync prefix before the type folder, '' when the sync has none. */
  readonly prefix: string;
  /** Inventory type with its colon, e.g. `AWS:ComplianceItem` or `Custom:Foo`. */
  readonly typeName: string;
  /** Account id as a string: `022222222222` keeps its leading zero. */
  readonly accountId: string;
  readonly region: string;
  readonly resourceType: string;
  /** The managed node id from the file name (`i-…` or `mi-…`). */
  readonly nodeId: string;
}

const KEY_PATTERN =
  /^(?:(?<prefix>.+)\/)?(?<type>(?:AWS|Custom):[^/]+)\/accountid=(?<account>\d{12})\/region=(?<region>[a-z]{2}(?:-[a-z]+)+-\d{1,2})\/resourcetype=(?<rt>[A-Za-z][A-Za-z0-9]*)\/(?<node>[A-Za-z0-9_.-]+)\.json$/;

/**
 * Parses a key, or returns undefined for anything that is not one node's inventory file: the sync's
 * `test.json` probe, crawler output, notes someone left in the bucket. Such keys are skipped, not errors.
 */
export function parseBucketKey(key: string): BucketKey | undefined {
  const groups = KEY_PATTERN.exec(key)?.groups;
  if (!groups) return undefined;
  const { prefix = '', type, account, region, rt, node } = groups;
  // No node id starts with a dot; `..` or `.hidden` in that place is a crafted or stray name, not a node.
  if (!type || !account || !region || !rt || !node || node === 'test' || node.startsWith('.'))
    return undefined;
  return { prefix, typeName: type, accountId: account, region, resourceType: rt, nodeId: node };
}
