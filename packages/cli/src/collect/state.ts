/**
 * What a collection has done so far, kept in the output folder so a second run after an interruption goes on
 * where the first stopped: per account and Region, the nodes listed, the EC2 instances written, whether the catalogue is written (a JSON
 * file, replaced whole: write then rename), and the nodes whose files are complete (a journal, one node id a
 * line, appended as each node finishes, so a large fleet costs one short append per node).
 */
import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { PatchboardError } from '@patchboard/core';
import { STATE_FOLDER, temporaryFolder, writeAtomically } from './bucket-writer.js';

const regionState = z.object({
  /** The nodes DescribeInstanceInformation listed (their InstanceInformation files are written). */
  nodes: z
    .array(
      z.object({
        id: z.string(),
        platformType: z.string(),
        platformName: z.string(),
        platformVersion: z.string(),
      }),
    )
    .optional(),
  /**
   * The EC2 instances DescribeInstances listed, once all their files are written: present, the Region's instance
   * list is not fetched again.
   */
  instances: z.array(z.string()).optional(),
  /** The patch catalogue of the Region is written. */
  catalogue: z.boolean().default(false),
});

const stateSchema = z.object({
  version: z.literal(1),
  accountId: z.string(),
  /** When this collection started (UTC): the capture time of records whose API answer carries none. */
  startedAt: z.string(),
  complete: z.boolean().default(false),
  regions: z.record(z.string(), regionState).default({}),
});

export type CollectState = z.infer<typeof stateSchema>;
export type RegionState = z.infer<typeof regionState>;

const accountFolder = (outDir: string, accountId: string) => join(outDir, STATE_FOLDER, accountId);
export const statePath = (outDir: string, accountId: string) =>
  join(accountFolder(outDir, accountId), 'state.json');
const journalPath = (outDir: string, accountId: string, region: string) =>
  join(accountFolder(outDir, accountId), `${region}.done`);
const NODE_ID = /^(?:i-(?:\w{8}|\w{17})|mi-\w{17})$/;

/**
 * The state to go on from: the unfinished collection of this account, or a new one (`startedAt`) when there is
 * none or the last one completed — a completed collection is a snapshot, and running again takes a new one.
 */
export async function loadState(outDir: string, accountId: string, startedAt: string): Promise<StateStore> {
  const path = statePath(outDir, accountId);
  // What a killed run was writing when it died: never renamed into place, so never part of the output.
  await rm(temporaryFolder(outDir), { recursive: true, force: true });
  const fresh = async () => {
    await rm(accountFolder(outDir, accountId), { recursive: true, force: true });
    return new StateStore(outDir, { version: 1, accountId, startedAt, complete: false, regions: {} });
  };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return fresh();
  }
  let parsed: CollectState;
  try {
    parsed = stateSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new PatchboardError(
      'IO',
      `The collection state ${path} is not one Patchboard wrote (${(error as Error).message.split('\n')[0]}). Delete the folder ${accountFolder(outDir, accountId)} to start the collection afresh.`,
      { cause: error },
    );
  }
  if (parsed.complete || parsed.accountId !== accountId) return fresh();
  return new StateStore(outDir, parsed);
}

export class StateStore {
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly outDir: string,
    readonly state: CollectState,
  ) {}

  get resumed(): boolean {
    return Object.keys(this.state.regions).length > 0;
  }

  region(region: string): RegionState {
    return (this.state.regions[region] ??= { catalogue: false });
  }

  /** Saves the state file; calls are serialised so the newest state is the one left on disk. */
  save(): Promise<void> {
    const text = `${JSON.stringify(this.state, null, 2)}\n`;
    this.writing = this.writing.then(() =>
      writeAtomically(this.outDir, statePath(this.outDir, this.state.accountId), text),
    );
    return this.writing;
  }

  /** The nodes of a Region whose files are complete. A line cut short by a crash is no node id and is ignored. */
  async doneNodes(region: string): Promise<Set<string>> {
    let text: string;
    try {
      text = await readFile(journalPath(this.outDir, this.state.accountId, region), 'utf8');
    } catch {
      return new Set();
    }
    return new Set(text.split('\n').filter((line) => NODE_ID.test(line)));
  }

  async markDone(region: string, nodeId: string): Promise<void> {
    await mkdir(accountFolder(this.outDir, this.state.accountId), { recursive: true });
    // Each id goes on a line of its own: a torn last line from a crash cannot join two ids.
    await appendFile(journalPath(this.outDir, this.state.accountId, region), `\n${nodeId}\n`);
  }
}
