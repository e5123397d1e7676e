/**
 * The patch catalogue (DescribeAvailablePatches) for the patches a Region's nodes are non-compliant for: release
 * dates and CVE ids per patch, written in the bucket layout as the custom inventory type
 * `Custom:PatchboardCatalogue` (`…/resourcetype=PatchCatalogue/catalogue.json`), one patch a line.
 *
 * The API answers for Windows Server (asked by KB number, `PATCH_ID`) and Amazon Linux 1 and 2 (asked by
 * product and package name, as it requires a `PRODUCT` filter for Linux); other systems are not in it.
 */
import { paginateDescribeAvailablePatches, type Patch, type SSMClient } from '@aws-sdk/client-ssm';
import { catalogueRecord, type SyncRecord } from './records.js';
import type { ApiCaller } from './throttle.js';

/** Filter values per DescribeAvailablePatches call: small enough for any filter's value limit. */
export const CATALOGUE_BATCH = 20;

export interface CatalogueQuery {
  /** `PATCH_ID` (Windows KB numbers) or `NAME` (Linux package names) with the product it needs. */
  readonly filters: { Key: string; Values: string[] }[];
}

/** The DescribeAvailablePatches product of an Amazon Linux node, or undefined for systems the API lacks. */
export function amazonLinuxProduct(platformName: string, platformVersion: string): string | undefined {
  if (!/^Amazon Linux/i.test(platformName)) return undefined;
  if (/^2(\.|$)/.test(platformVersion)) return 'AmazonLinux2.0';
  if (/^20\d\d\.\d\d/.test(platformVersion)) return `AmazonLinux${platformVersion.slice(0, 7)}`;
  return undefined;
}

export interface CataloguePatchRef {
  readonly kbId: string;
  readonly platformType: string;
  readonly platformName: string;
  readonly platformVersion: string;
}

const batches = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** The queries that find every referenced patch: KB ids for Windows, package names per Amazon Linux product. */
export function catalogueQueries(refs: readonly CataloguePatchRef[]): CatalogueQuery[] {
  const windows = new Set<string>();
  const linux = new Map<string, Set<string>>();
  for (const ref of refs) {
    if (ref.platformType === 'Windows') {
      if (/^KB\d+$/i.test(ref.kbId)) windows.add(ref.kbId);
      continue;
    }
    const product = amazonLinuxProduct(ref.platformName, ref.platformVersion);
    if (!product) continue;
    // A Linux item's KBId is `name.arch`; the catalogue is asked by name.
    const name = ref.kbId.replace(/\.[^.]+$/, '');
    if (!linux.has(product)) linux.set(product, new Set());
    linux.get(product)!.add(name);
  }
  const queries: CatalogueQuery[] = batches([...windows].sort(), CATALOGUE_BATCH).map((Values) => ({
    filters: [{ Key: 'PATCH_ID', Values }],
  }));
  for (const [product, names] of [...linux].sort(([a], [b]) => a.localeCompare(b))) {
    for (const Values of batches([...names].sort(), CATALOGUE_BATCH)) {
      queries.push({
        filters: [
          { Key: 'PRODUCT', Values: [product] },
          { Key: 'NAME', Values },
        ],
      });
    }
  }
  return queries;
}

/** Runs the queries and keeps the patches a node referenced, one record per patch, in a stable order. */
export async function fetchCatalogue(
  ssm: SSMClient,
  api: ApiCaller,
  refs: readonly CataloguePatchRef[],
): Promise<SyncRecord[]> {
  const wanted = new Set(refs.map((ref) => ref.kbId));
  const patches: Patch[] = [];
  for (const query of catalogueQueries(refs)) {
    for await (const page of api.pages(
      'ssm:DescribeAvailablePatches',
      (startingToken) =>
        paginateDescribeAvailablePatches(
          { client: ssm, pageSize: 100, ...(startingToken ? { startingToken } : {}) },
          { Filters: query.filters.map((f) => ({ Key: f.Key, Values: [...f.Values] })) },
        ),
      (page) => page.NextToken,
    )) {
      patches.push(...(page.Patches ?? []));
    }
  }
  const records = new Map<string, SyncRecord>();
  for (const patch of patches) {
    const record = catalogueRecord(patch);
    if (!wanted.has(record.KBId!)) continue;
    records.set(JSON.stringify([record.KBId, record.Id, record.Title, record.Version]), record);
  }
  return [...records.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, record]) => record);
}
