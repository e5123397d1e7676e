/**
 * Writes collected records in the layout Resource Data Sync gives its bucket:
 * `AWS:<Type>/accountid=<id>/region=<r>/resourcetype=ManagedInstanceInventory/<node>.json`, one JSON object a
 * line. Each file is written whole under a temporary name and renamed into place, so an interrupted collection
 * leaves every file either absent, as it was, or complete — never half written. Temporary files live in the
 * state folder, which a new run empties.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { SyncRecord } from './records.js';

export const RESOURCE_TYPE = 'ManagedInstanceInventory';

export interface NodeLocation {
  readonly accountId: string;
  readonly region: string;
  readonly nodeId: string;
}

/** The object key of one node's file of one type, relative to the output folder. */
export function syncKey(
  typeName: string,
  { accountId, region, nodeId }: NodeLocation,
  resourceType = RESOURCE_TYPE,
): string {
  return `${typeName}/accountid=${accountId}/region=${region}/resourcetype=${resourceType}/${nodeId}.json`;
}

/** The folder in the output that holds collection state; not part of the bucket layout, so ingest skips it. */
export const STATE_FOLDER = '.patchboard-collect';
/** Where files are written before they are renamed into place: a kill leaves its debris here, not in the layout. */
export const temporaryFolder = (outDir: string) => join(outDir, STATE_FOLDER, 'partial');

/** Writes `path` whole: into the output's temporary folder first, then renamed into place. */
export async function writeAtomically(outDir: string, path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await mkdir(temporaryFolder(outDir), { recursive: true });
  const temporary = join(temporaryFolder(outDir), randomUUID());
  try {
    await writeFile(temporary, text);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export const toJsonLines = (records: readonly SyncRecord[]): string =>
  records.map((record) => `${JSON.stringify(record)}\n`).join('');

/**
 * Writes a node's file of one type. A type with no records is removed rather than written empty: the sync
 * writes no file for it, and a rerun must not leave an older run's lines behind.
 */
export async function writeNodeFile(
  outDir: string,
  typeName: string,
  node: NodeLocation,
  records: readonly SyncRecord[],
  resourceType = RESOURCE_TYPE,
): Promise<void> {
  const path = join(outDir, syncKey(typeName, node, resourceType));
  if (records.length === 0) {
    await rm(path, { force: true });
    return;
  }
  await writeAtomically(outDir, path, toJsonLines(records));
}
