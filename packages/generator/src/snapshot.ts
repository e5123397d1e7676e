/**
 * One node as a snapshot of the bucket shows it at an instant: the content of each of its objects and its
 * ground truth, both read off the same patch items. Inventory is collected weekly and patch data is rewritten
 * only by a new patch operation, so most objects keep their bytes from one day to the next; an unchanged
 * object is returned as the very same string, which lets the writer hard-link it instead of writing it again.
 */
import type { Baseline } from './baselines.js';
import { dayNumber, isoSeconds, MINUTE, WEEK } from './clock.js';
import { type NodePlan, tagValue } from './fleet.js';
import { NON_COMPLIANT_STATES, type NodePatching, type Operation, type PatchItem } from './patching.js';
import {
  countsAsNumbers,
  emptyTally,
  type FileQuirks,
  fileQuirks,
  NO_QUIRKS,
  type QuirkTally,
  serialise,
  tallyFile,
  writtenPatchState,
} from './quirks.js';
import {
  agentContent,
  type Association,
  applications,
  awsComponents,
  type ComplianceRun,
  complianceItems,
  complianceSummary,
  highestSeverity,
  instanceDetailedInformation,
  instanceInformation,
  network,
  patchSummary,
  countsAsSecurity,
  tags,
} from './records.js';
import { chance, textHash } from './random.js';
import { statusOf, type TruthNode } from './truth.js';

export const TYPE_NAMES = [
  'AWS:InstanceInformation',
  'AWS:Tag',
  'AWS:Application',
  'AWS:AWSComponent',
  'AWS:InstanceDetailedInformation',
  'AWS:Network',
  'AWS:ComplianceItem',
  'AWS:ComplianceSummary',
  'AWS:PatchSummary',
] as const;
export type TypeName = (typeof TYPE_NAMES)[number];

type Lines = Record<string, unknown>[];

const ASSOCIATIONS = [
  { name: 'AWS-GatherSoftwareInventory', severity: 'UNSPECIFIED' },
  { name: 'AWS-UpdateSSMAgent', severity: 'MEDIUM' },
] as const;
const SALT = {
  association: textHash('association status'),
  custom: textHash('custom status'),
  patchAssociation: textHash('patched by association'),
};
/** Share of scanned nodes patched through a State Manager association rather than a maintenance window. */
const PATCHED_BY_ASSOCIATION = 0.4;

export interface NodeSnapshot {
  /** Content of each object the node has; a type not in the map has no object. */
  readonly files: ReadonlyMap<TypeName, string>;
  readonly truth: TruthNode;
  /** The Patch items the snapshot reports (none when not scanned). */
  readonly items: readonly PatchItem[];
  /** When the reported patch operation ended: the captureTime of its compliance items. */
  readonly reportedAt: number | null;
  /** The quirks this snapshot's objects carry. */
  readonly quirks: QuirkTally;
}

interface Built {
  readonly version: string;
  readonly text: string;
  readonly quirks: FileQuirks;
}

export class NodeSnapshots {
  /** The last content built per type, reused while its version (capture time, operation) is unchanged. */
  private readonly built = new Map<TypeName, Built>();
  private lastRun: { operation: Operation; items: PatchItem[] } | null = null;

  constructor(
    private readonly plan: NodePlan,
    private readonly baseline: Baseline,
    private readonly patching: NodePatching,
    /** The robustness layer (quirks.ts): off for what the agent writes. */
    private readonly quirks: boolean,
  ) {}

  /**
   * The node at instant `t`; null before it was launched. `instanceState` is its EC2 state in the Config
   * snapshot of that instant, null when none lists it.
   */
  at(t: number, instanceState: string | null = null): NodeSnapshot | null {
    const plan = this.plan;
    if (plan.launchedAt > t) return null;
    const endedAt = plan.endedAt !== null && plan.endedAt <= t ? plan.endedAt : null;
    const instanceStatus = endedAt === null ? plan.runningStatus : plan.endedStatus;
    const inventoryTime = this.inventoryTime(endedAt ?? t);
    const files = new Map<TypeName, string>();
    const quirks = emptyTally();
    const put = (type: TypeName, version: string, records: () => Lines) => {
      let built = this.built.get(type);
      if (built?.version !== version) {
        const lines = records();
        const fileQuirksOf = this.quirks ? fileQuirks(plan.key, type, lines.length) : NO_QUIRKS;
        built = { version, text: serialise(lines, fileQuirksOf), quirks: fileQuirksOf };
        this.built.set(type, built);
      }
      files.set(type, built.text);
      tallyFile(quirks, built.quirks, built.text);
    };

    // A status change is written when it happens; the rest of the inventory at its last weekly collection.
    const statusTime = endedAt ?? inventoryTime;
    put('AWS:InstanceInformation', `${statusTime}/${instanceStatus}`, () =>
      instanceInformation(plan, instanceStatus, statusTime),
    );
    const inventory = String(inventoryTime);
    put('AWS:Tag', inventory, () => tags(plan, inventoryTime));
    put('AWS:Application', inventory, () => applications(plan, inventoryTime));
    put('AWS:AWSComponent', inventory, () => awsComponents(plan, inventoryTime));
    put('AWS:InstanceDetailedInformation', inventory, () => instanceDetailedInformation(plan, inventoryTime));
    put('AWS:Network', inventory, () => network(plan, inventoryTime));

    const operation = this.patching.lastOperation(t);
    let items: PatchItem[] = [];
    let associationNonCompliant = false;
    if (operation) {
      items = this.itemsAt(operation);
      const run = this.complianceRun(operation, items);
      associationNonCompliant = run.associations.some((a) => !a.compliant);
      const version = String(operation.end);
      put('AWS:ComplianceItem', version, () => complianceItems(plan, run));
      put('AWS:ComplianceSummary', version, () => complianceSummary(plan, run));
      put('AWS:PatchSummary', version, () =>
        patchSummary(plan, run, this.patching.lastNoRebootInstall(operation.end)),
      );
      quirks.upperCaseStates += items.filter(
        (item) => writtenPatchState(item.state, plan.key, item.patch.key, this.quirks) !== item.state,
      ).length;
      if (countsAsNumbers(plan.key, this.quirks)) quirks.numericCounts++;
    } else if (this.quirks && plan.emptyComplianceItemFile) {
      put('AWS:ComplianceItem', 'empty', () => []);
    }

    return {
      files,
      truth: this.truth(
        t,
        { instanceStatus, instanceState, informationTime: statusTime },
        operation,
        items,
        associationNonCompliant,
      ),
      items,
      reportedAt: operation?.end ?? null,
      quirks,
    };
  }

  /** The latest weekly inventory collection by `limit` (the first one right after launch). */
  private inventoryTime(limit: number): number {
    const phase = this.plan.inventoryPhase;
    const collected = phase + Math.floor((limit - phase) / WEEK) * WEEK;
    return Math.min(limit, Math.max(collected, this.plan.launchedAt + 10 * MINUTE));
  }

  private itemsAt(operation: Operation): PatchItem[] {
    if (this.lastRun?.operation.end !== operation.end) {
      this.lastRun = { operation, items: this.patching.itemsAt(operation) };
    }
    return this.lastRun.items;
  }

  private complianceRun(operation: Operation, items: readonly PatchItem[]): ComplianceRun {
    const plan = this.plan;
    const day = dayNumber(operation.start);
    const run: ComplianceRun = {
      operation,
      items,
      baseline: this.baseline,
      associations: ASSOCIATIONS.slice(0, plan.associations).map((association, i) => ({
        ...association,
        compliant: chance(plan.key, i, day, SALT.association) >= 0.25,
      })),
      customCompliant: plan.customCompliance ? chance(plan.key, day, SALT.custom) >= 0.5 : null,
      quirks: this.quirks,
    };
    return { ...run, associations: [...run.associations, ...this.patchAssociation(run)] };
  }

  /**
   * The Association item AWS-RunPatchBaselineAssociation writes next to the Patch items (patch-baseline-operations,
   * `_get_association_compliance_item`): the baseline's name as Title, non-compliant exactly when a Patch item is,
   * the operation's summary as a DetailedText JSON string (counts as strings, as the agent writes them); its
   * Severity is the association's compliance severity, empty when the association sets none.
   */
  private patchAssociation(run: ComplianceRun): Association[] {
    const roll = chance(this.plan.key, SALT.patchAssociation);
    if (roll >= PATCHED_BY_ASSOCIATION) return [];
    const lastNoReboot = this.patching.lastNoRebootInstall(run.operation.end);
    const content = agentContent(patchSummary(this.plan, { ...run, quirks: false }, lastNoReboot)[0] ?? {});
    return [
      {
        name: 'AWS-RunPatchBaselineAssociation',
        severity: roll < PATCHED_BY_ASSOCIATION / 2 ? '' : 'UNSPECIFIED',
        compliant: !run.items.some((item) => NON_COMPLIANT_STATES.has(item.state)),
        patchBaseline: {
          id: this.baseline.baselineId,
          name: this.baseline.name,
          detailedText: JSON.stringify(content),
        },
      },
    ];
  }

  private truth(
    t: number,
    agent: { instanceStatus: string | null; instanceState: string | null; informationTime: number },
    operation: Operation | null,
    items: readonly PatchItem[],
    associationNonCompliant: boolean,
  ): TruthNode {
    const { instanceStatus, instanceState } = agent;
    const plan = this.plan;
    const tag = (...keys: string[]) => tagValue(plan, ...keys);
    const count = (state: string) => items.filter((item) => item.state === state).length;
    const nonCompliant = items.filter((item) => NON_COMPLIANT_STATES.has(item.state));
    return {
      accountId: plan.account.accountId,
      region: plan.region,
      nodeId: plan.nodeId,
      name: tag('Name'),
      platformType: plan.platform.platformType,
      platformName: plan.platform.platformName,
      platformVersion: plan.platform.platformVersion,
      instanceStatus,
      managed: true,
      instanceState,
      agentVersion: plan.agentVersion,
      team: tag('Team', 'team'),
      environment: tag('Environment', 'environment', 'Env', 'env'),
      patchGroup: tag('Patch Group'),
      baselineId: operation ? this.baseline.baselineId : null,
      status: statusOf(
        {
          ...agent,
          hasPatchData: operation !== null,
          nonCompliantItems: nonCompliant.length,
          lastScan: operation?.end ?? null,
        },
        t,
      ),
      lastScanTime: operation ? isoSeconds(operation.end) : null,
      installed: count('Installed'),
      installedOther: count('InstalledOther'),
      missing: count('Missing'),
      failed: count('Failed'),
      pendingReboot: count('InstalledPendingReboot'),
      installedRejected: count('InstalledRejected'),
      criticalNonCompliant: nonCompliant.filter((item) => item.severity === 'CRITICAL').length,
      securityNonCompliant: nonCompliant.filter((item) =>
        countsAsSecurity(plan.platform.kind, item.patch.classification),
      ).length,
      highestSeverity: highestSeverity(nonCompliant.map((item) => item.severity)),
      nonCompliantPatchIds: nonCompliant.map((item) => item.patch.id).sort(),
      applications: plan.applications,
      associationNonCompliant,
    };
  }
}
