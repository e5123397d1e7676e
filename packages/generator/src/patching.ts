/**
 * How a node's patches stand at any instant, as a pure function of time: a daily scan, an install in its
 * environment's maintenance window each week (prod Saturday 02:00 UTC, non-prod Tuesday 12:00 UTC), installs
 * that fail and are retried next week, reboots deferred until the next window. Each day's snapshot asks
 * the same model at another instant, so consecutive days are consistent without carrying state between them.
 *
 * Steering towards the status planned for the last snapshot: a node planned COMPLIANT (or STALE, at its last
 * scan) only has patches its last window installed, and that window neither fails nor defers a reboot; one
 * planned NON_COMPLIANT has, in the same way, one "pinned" patch kept Missing, Failed or pending reboot, or a
 * rejected package installed. Nodes planned "missing" and inactive ones are left to chance.
 */
import type { Baseline } from './baselines.js';
import type { Catalogue, Patch } from './catalogue.js';
import { DAY, HOUR, MINUTE, WEEK } from './clock.js';
import type { NodePlan } from './fleet.js';
import { chance, hash, textHash } from './random.js';
import type { TruthSeverity } from './truth.js';

export type PatchState =
  'Installed' | 'InstalledOther' | 'Missing' | 'Failed' | 'InstalledPendingReboot' | 'InstalledRejected';

export const NON_COMPLIANT_STATES: ReadonlySet<PatchState> = new Set([
  'Missing',
  'Failed',
  'InstalledPendingReboot',
  'InstalledRejected',
]);

/** One run of AWS-RunPatchBaseline, which writes the node's patch data anew. */
export interface Operation {
  readonly type: 'Scan' | 'Install';
  readonly start: number;
  readonly end: number;
}

export interface PatchItem {
  readonly patch: Patch;
  readonly state: PatchState;
  readonly installedTime: number | null;
  /** The compliance level. */
  readonly severity: TruthSeverity;
}

interface MaintenanceWindow {
  /** Weeks since the first such window of 1970: the hash input for per-window decisions. */
  readonly week: number;
  readonly start: number;
  readonly end: number;
  /** No reboot after the install: what it installed stays pending until the next window. */
  readonly rebootDeferred: boolean;
}

interface Transition {
  readonly at: number;
  readonly state: PatchState;
  readonly installedTime: number | null;
}

/** A patch the node reports from `from` on, with the states it goes through. */
interface Tracked {
  readonly patch: Patch;
  readonly from: number;
  readonly severity: TruthSeverity;
  readonly transitions: readonly Transition[];
}

type Outcome = 'ok' | 'fail' | 'skip';

/** The first maintenance window of 1970 per environment: prod Saturday 02:00 UTC, non-prod Tuesday 12:00. */
const PROD_WINDOW_ORIGIN = 2 * DAY + 2 * HOUR;
const NON_PROD_WINDOW_ORIGIN = 5 * DAY + 12 * HOUR;
/** Compliance item lines per scanned node. */
const MIN_ITEMS = 10;
const MAX_ITEMS = 40;
/** Share of the not-approved patches a node's owners install by hand (reported InstalledOther). */
const BY_HAND = 0.3;

const SALT = {
  relevant: textHash('relevant'),
  byHand: textHash('by hand'),
  skip: textHash('skip window'),
  fail: textHash('install fails'),
  defer: textHash('reboot deferred'),
  window: textHash('window timing'),
  scan: textHash('scan duration'),
  extras: textHash('extras'),
};

export class NodePatching {
  private readonly windows: MaintenanceWindow[];
  private readonly tracked: Tracked[] = [];
  /** Packages from outside the advisories, in the node's own stable order. */
  private readonly extras: readonly PatchItem[];
  /** Patch operations end here: the node ended, or dropped out of the scan targets. */
  private readonly until: number;
  private readonly scans: boolean;

  constructor(
    private readonly plan: NodePlan,
    private readonly baseline: Baseline,
    catalogue: Catalogue,
    at: number,
    /** Patches this baseline approves that are live at `at`: scales how many apply to the node. */
    liveApproved: number,
  ) {
    this.scans = plan.category !== 'NOT_SCANNED';
    this.until = Math.min(plan.endedAt ?? Infinity, plan.patchingStopsAt ?? Infinity);
    const offset = hash(plan.key, SALT.extras) % catalogue.extras.length;
    this.extras = [...catalogue.extras.slice(offset), ...catalogue.extras.slice(0, offset)].map((patch) => ({
      patch,
      state: 'InstalledOther',
      installedTime: plan.imageAt,
      severity: 'UNSPECIFIED',
    }));
    if (!this.scans) {
      this.windows = [];
      return;
    }
    const natural = plan.cause === 'missing' || plan.category === 'INACTIVE';
    const first = catalogue.patches[0]?.releasedAt ?? at;
    this.windows = this.attendedWindows(
      Math.max(first, plan.launchedAt),
      at,
      plan.cause === 'missing' ? 0.35 : 0.04,
    );

    // The operation the steering aims at: the last one by `at`, or, for a stale node, before it stopped.
    const reference = this.lastOperation(plan.patchingStopsAt ?? at);
    let lastWindow = reference ? this.windows.findLast((w) => w.end <= reference.end) : undefined;
    // Steered nodes other than "missing" only have patches their last window installed, and that window
    // neither fails nor leaves a reboot pending (unless pending is the point).
    const steered = !natural;
    if (steered && lastWindow && lastWindow.rebootDeferred && !plan.noReboot) {
      const index = this.windows.indexOf(lastWindow);
      lastWindow = { ...lastWindow, rebootDeferred: false };
      this.windows[index] = lastWindow;
    }
    const steeredWindow = steered ? lastWindow : undefined;
    const failRate = plan.cause === 'missing' ? 0.08 : 0.03;

    const kind = catalogue.platform.kind;
    const pinned = reference ? this.pinnedPatch(catalogue, reference, lastWindow) : undefined;
    const share = Math.min(1, plan.approvedItemsTarget / Math.max(1, liveApproved));
    for (const patch of catalogue.patches) {
      const approvedAt = baseline.approvedAt(patch, kind);
      if (approvedAt === null) {
        if (chance(plan.key, patch.key, SALT.byHand) < share * BY_HAND) this.tracked.push(this.byHand(patch));
        continue;
      }
      let relevant = patch === pinned || chance(plan.key, patch.key, SALT.relevant) < share;
      if (relevant && steered && patch !== pinned) {
        relevant =
          patch.releasedAt <= plan.imageAt || (lastWindow !== undefined && approvedAt <= lastWindow.start);
      }
      if (!relevant) continue;
      const decide = (window: MaintenanceWindow): Outcome => {
        if (patch === pinned) {
          if (plan.cause === 'failed') return 'fail';
          if (plan.cause === 'pending') return window === lastWindow ? 'ok' : 'skip';
          return 'skip';
        }
        if (window === steeredWindow) return 'ok';
        return chance(plan.key, patch.key, window.week, SALT.fail) < failRate ? 'fail' : 'ok';
      };
      this.tracked.push(this.approved(patch, approvedAt, patch !== pinned, decide));
    }
    if (plan.cause === 'rejected' && baseline.rejectsPatches) {
      this.tracked.push({
        patch: catalogue.rejected,
        from: plan.launchedAt,
        severity: baseline.complianceLevel(catalogue.rejected),
        transitions: [{ at: plan.launchedAt, state: 'InstalledRejected', installedTime: plan.imageAt }],
      });
    }
  }

  /** The last patch operation that had ended by `t`, or null if none had. */
  lastOperation(t: number): Operation | null {
    if (!this.scans) return null;
    const limit = Math.min(t, this.until);
    const scanOn = (day: number): Operation => {
      const start = day * DAY + this.plan.scanMinute * MINUTE;
      return { type: 'Scan', start, end: start + (60 + (hash(this.plan.key, day, SALT.scan) % 240)) * 1000 };
    };
    // A scan late in the day can end after midnight: step back until one has ended.
    let day = Math.floor(limit / DAY);
    let scan = scanOn(day);
    while (scan.end > limit) scan = scanOn(--day);
    const install = this.windows.findLast((w) => w.end <= limit);
    const scanned = scan.start >= this.plan.launchedAt + HOUR;
    if (install && (!scanned || install.end > scan.end)) {
      return { type: 'Install', start: install.start, end: install.end };
    }
    return scanned ? scan : null;
  }

  /** The patch items the operation reported: between 10 and 40 lines, never dropping a non-compliant one. */
  itemsAt(operation: Operation): PatchItem[] {
    const at = operation.end;
    const items: PatchItem[] = [];
    for (const tracked of this.tracked) {
      if (tracked.from > at || tracked.patch.supersededAt <= at) continue;
      let current: Transition | undefined;
      for (const transition of tracked.transitions) {
        if (transition.at > at) break;
        current = transition;
      }
      if (current) {
        items.push({
          patch: tracked.patch,
          state: current.state,
          installedTime: current.installedTime,
          severity: tracked.severity,
        });
      }
    }
    const fixedExtras = this.plan.index % 3;
    for (let i = 0; i < this.extras.length && (i < fixedExtras || items.length < MIN_ITEMS); i++) {
      const extra = this.extras[i];
      if (extra) items.push(extra);
    }
    if (items.length > MAX_ITEMS) {
      // Keep every non-compliant item and the most recently installed of the rest.
      const keep = new Set(items.filter((item) => NON_COMPLIANT_STATES.has(item.state)));
      const installed = items
        .filter((item) => !keep.has(item))
        .sort(
          (a, b) => (b.installedTime ?? 0) - (a.installedTime ?? 0) || (a.patch.id < b.patch.id ? -1 : 1),
        );
      for (const item of installed) if (keep.size < MAX_ITEMS) keep.add(item);
      return items.filter((item) => keep.has(item)).sort(byId);
    }
    return items.sort(byId);
  }

  /** The end of the last install before `t` that left reboots pending, for LastNoRebootInstallOperationTime. */
  lastNoRebootInstall(t: number): number | null {
    return this.windows.findLast((w) => w.end <= t && w.rebootDeferred)?.end ?? null;
  }

  private windowOrigin(): number {
    return this.plan.account.environment === 'prod' ? PROD_WINDOW_ORIGIN : NON_PROD_WINDOW_ORIGIN;
  }

  /** The windows the node took part in between `from` and `to`, in order. */
  private attendedWindows(from: number, to: number, skipRate: number): MaintenanceWindow[] {
    const origin = this.windowOrigin();
    const windows: MaintenanceWindow[] = [];
    const earliest = Math.max(from, this.plan.launchedAt + HOUR);
    for (let week = Math.ceil((earliest - origin) / WEEK); origin + week * WEEK <= to; week++) {
      const timing = hash(this.plan.key, week, SALT.window);
      const start = origin + week * WEEK + (1 + (timing % 15)) * MINUTE;
      const end = start + (6 + ((timing >>> 8) % 20)) * MINUTE;
      if (end > to || end > this.until) break;
      if (chance(this.plan.key, week, SALT.skip) < skipRate) continue;
      const rebootDeferred = this.plan.noReboot || chance(this.plan.key, week, SALT.defer) < 0.04;
      windows.push({ week, start, end, rebootDeferred });
    }
    return windows;
  }

  /**
   * The patch that makes a node steered to NON_COMPLIANT so at the reference operation: the newest approved
   * one the image lacked, approved in time to be seen (missing) or to meet the last window (failed, pending).
   */
  private pinnedPatch(
    catalogue: Catalogue,
    reference: Operation,
    lastWindow: MaintenanceWindow | undefined,
  ): Patch | undefined {
    const cause = this.plan.cause;
    if (cause !== 'missing' && cause !== 'failed' && cause !== 'pending') return undefined;
    const newest = (deadline: number) =>
      catalogue.patches.findLast((patch) => {
        const approvedAt = this.baseline.approvedAt(patch, catalogue.platform.kind);
        return (
          approvedAt !== null &&
          approvedAt <= deadline &&
          patch.releasedAt > this.plan.imageAt &&
          patch.supersededAt > reference.end
        );
      });
    const meetsWindow = lastWindow ? newest(lastWindow.start) : undefined;
    if (cause !== 'missing' && meetsWindow) return meetsWindow;
    return newest(reference.end);
  }

  /** An approved patch: installed with the image, or Missing until a window installs it. */
  private approved(
    patch: Patch,
    approvedAt: number,
    imageMayHaveIt: boolean,
    decide: (window: MaintenanceWindow) => Outcome,
  ): Tracked {
    const severity = this.baseline.complianceLevel(patch);
    if (imageMayHaveIt && patch.releasedAt <= this.plan.imageAt) {
      return {
        patch,
        from: approvedAt,
        severity,
        transitions: [{ at: approvedAt, state: 'Installed', installedTime: this.plan.imageAt }],
      };
    }
    const transitions: Transition[] = [{ at: approvedAt, state: 'Missing', installedTime: null }];
    let pendingSince: number | null = null;
    for (const window of this.windows) {
      if (window.start < approvedAt) continue;
      if (pendingSince !== null) {
        // The next window's install reboots the node: what was pending is installed.
        transitions.push({ at: window.end, state: 'Installed', installedTime: pendingSince });
        break;
      }
      const outcome = decide(window);
      if (outcome === 'skip') continue;
      if (outcome === 'fail') {
        transitions.push({ at: window.end, state: 'Failed', installedTime: null });
        continue;
      }
      // Packages install one after another during the window, each at its own whole second.
      const installedTime =
        window.start + (hash(this.plan.key, patch.key) % ((window.end - window.start) / 1000)) * 1000;
      if (window.rebootDeferred) {
        transitions.push({ at: window.end, state: 'InstalledPendingReboot', installedTime });
        pendingSince = installedTime;
        continue;
      }
      transitions.push({ at: window.end, state: 'Installed', installedTime });
      break;
    }
    return { patch, from: approvedAt, severity, transitions };
  }

  /** A patch the baseline does not approve, installed by hand some days after release (or with the image). */
  private byHand(patch: Patch): Tracked {
    const withImage = patch.releasedAt <= this.plan.imageAt;
    const delay = (1 + (hash(this.plan.key, patch.key, SALT.byHand) % 480)) * HOUR;
    const installedAt = withImage
      ? this.plan.launchedAt
      : Math.max(patch.releasedAt + delay, this.plan.launchedAt);
    return {
      patch,
      from: installedAt,
      severity: 'UNSPECIFIED',
      transitions: [
        {
          at: installedAt,
          state: 'InstalledOther',
          installedTime: withImage ? this.plan.imageAt : installedAt,
        },
      ],
    };
  }
}

const byId = (a: PatchItem, b: PatchItem) => (a.patch.id < b.patch.id ? -1 : a.patch.id > b.patch.id ? 1 : 0);
