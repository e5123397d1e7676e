/**
 * Node pages and evidence lookups under load. Their exact queries read every history row of the fleet per
 * request (a node's patch history, a patch's evidence), which costs hundreds of milliseconds each on a month of
 * history. A private snapshot instead gets lookup tables once, built for the whole fleet when it is prepared
 * (core's snapshot-lookups.ts), and then a request reads a few rows of them. They answer for evaluation times
 * at or after the snapshot's data time; before it (or until they are built) the exact queries answer.
 */
import { LOOKUP_DATA_TIME, lookupTableStatements, type Policy } from '@patchboard/core';
import type { DataSnapshot } from './options.js';

/** How many snapshots' states are kept: the one shown and the one being prepared. */
const KEPT_VERSIONS = 2;

interface State {
  /** Set once built: the data time, or null when the tables could not be built (or hold no history). */
  dataTime?: number | null;
  readonly building: Promise<void>;
}

export class SnapshotLookups {
  private readonly states = new Map<string, State>();

  constructor(private readonly policy: Policy) {}

  /**
   * Builds the snapshot's lookup tables once (later calls share the first build) and resolves when they are
   * ready or have failed; a failure costs speed, not answers, and is logged.
   */
  prepare(snapshot: DataSnapshot): Promise<void> {
    if (!snapshot.privateCopy) return Promise.resolve();
    const known = this.states.get(snapshot.version);
    if (known) return known.building;
    const state: { dataTime?: number | null; building: Promise<void> } = {
      building: this.build(snapshot).then(
        (dataTime) => {
          state.dataTime = dataTime;
        },
        (error: unknown) => {
          state.dataTime = null;
          console.error(`Building the lookup tables of the new data failed: ${String(error)}`);
        },
      ),
    };
    this.states.set(snapshot.version, state);
    while (this.states.size > KEPT_VERSIONS) this.states.delete(this.states.keys().next().value!);
    return state.building;
  }

  /** Whether the lookup tables answer for the snapshot at evaluation time `now`, without waiting for them. */
  answersAt(snapshot: DataSnapshot, now: number): boolean {
    if (!snapshot.privateCopy) return false;
    const dataTime = this.states.get(snapshot.version)?.dataTime;
    return typeof dataTime === 'number' && now >= dataTime;
  }

  private async build(snapshot: DataSnapshot): Promise<number | null> {
    const { engine } = snapshot;
    const found = await engine.run(LOOKUP_DATA_TIME.compile());
    const dataTime = found.rows[0]?.data_time;
    if (typeof dataTime !== 'number') return null;
    for (const statement of lookupTableStatements({
      policy: this.policy,
      now: dataTime,
      dialect: engine.dialect,
    })) {
      await engine.run(statement.compile());
    }
    return dataTime;
  }
}
