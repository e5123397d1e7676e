/**
 * The patch baselines of the seeds' scenario: four custom ones bound to patch groups (prod approves Critical and
 * Important security patches after a seven-day soak, non-prod approves everything at release) and, for nodes
 * without a patch group, AWS's predefined baseline for their operating system.
 */
import type { PackageKind, Patch, Platform } from './catalogue.js';
import { DAY } from './clock.js';
import { hash, hex, randomStream, textHash } from './random.js';
import type { TruthSeverity } from './truth.js';

type BaselineKind = 'prod' | 'nonprod' | 'default';

export interface Baseline {
  readonly baselineId: string;
  /** The baseline's name: what AWS-RunPatchBaselineAssociation writes as its Association item's Title. */
  readonly name: string;
  readonly patchGroup: string | null;
  readonly operatingSystem: string;
  readonly kind: BaselineKind;
  /** Whether the baseline has the catalogue's rejected patch on its RejectedPatches list (action BLOCK). */
  readonly rejectsPatches: boolean;
  /** When the baseline approves the patch for a node of this package kind; null if it never does. */
  approvedAt(patch: Patch, kind: PackageKind): number | null;
  /** The compliance level the baseline gives the patch: the compliance item's `Severity`. */
  complianceLevel(patch: Patch): TruthSeverity;
}

const PATCH_GROUPS = ['prod-linux', 'nonprod-linux', 'prod-windows', 'nonprod-windows'] as const;

/** Keyed lower-case: SUSE writes `critical`, the others `Critical`. */
const COMPLIANCE_LEVEL: Record<string, TruthSeverity> = {
  critical: 'CRITICAL',
  required: 'CRITICAL',
  important: 'HIGH',
  medium: 'MEDIUM',
  moderate: 'MEDIUM',
  standard: 'MEDIUM',
  low: 'LOW',
  optional: 'LOW',
};
/** Ubuntu's priorities Required and Important rank with the other vendors' Critical and Important. */
const criticalOrImportant = (patch: Patch) =>
  ['critical', 'important', 'required'].includes(patch.severity.toLowerCase());
const after = (patch: Patch, days: number) => patch.releasedAt + days * DAY;

function customBaseline(group: (typeof PATCH_GROUPS)[number], baselineId: string): Baseline {
  const prod = group.startsWith('prod');
  return {
    baselineId,
    name: `patchboard-${group}`,
    patchGroup: group,
    // One baseline per group, as the seeds have it; AWS would want one per operating system.
    operatingSystem: group.endsWith('windows') ? 'WINDOWS' : 'AMAZON_LINUX_2',
    kind: prod ? 'prod' : 'nonprod',
    rejectsPatches: true,
    approvedAt: (patch) => {
      if (!prod) return after(patch, 0);
      return patch.security && criticalOrImportant(patch) ? after(patch, 7) : null;
    },
    complianceLevel: (patch) => COMPLIANCE_LEVEL[patch.severity.toLowerCase()] ?? 'UNSPECIFIED',
  };
}

/** The names of AWS's predefined default baselines per operating system (Patch Manager's predefined baselines). */
const PREDEFINED_NAMES: Record<string, string> = {
  AMAZON_LINUX_2: 'AWS-AmazonLinux2DefaultPatchBaseline',
  AMAZON_LINUX_2023: 'AWS-AmazonLinux2023DefaultPatchBaseline',
  UBUNTU: 'AWS-UbuntuDefaultPatchBaseline',
  REDHAT_ENTERPRISE_LINUX: 'AWS-RedHatDefaultPatchBaseline',
  ORACLE_LINUX: 'AWS-OracleLinuxDefaultPatchBaseline',
  SUSE: 'AWS-SuseDefaultPatchBaseline',
  DEBIAN: 'AWS-DebianDefaultPatchBaseline',
  WINDOWS: 'AWS-DefaultPatchBaseline',
};

/** AWS's predefined baselines (AWS-AmazonLinux2DefaultPatchBaseline and so on), whose level is always UNSPECIFIED. */
function predefinedBaseline(region: string, operatingSystem: string): Baseline {
  // AWS owns these: the same ids for every seed, different in each Region.
  const idRandom = randomStream(textHash(region), textHash(operatingSystem));
  return {
    baselineId: `arn:aws:ssm:${region}:aws:patchbaseline/pb-0${hex(idRandom, 16)}`,
    name: PREDEFINED_NAMES[operatingSystem] ?? `AWS-${operatingSystem}DefaultPatchBaseline`,
    patchGroup: null,
    operatingSystem,
    kind: 'default',
    rejectsPatches: false,
    approvedAt: (patch, kind) => {
      switch (kind) {
        case 'rpm':
          return (patch.security && criticalOrImportant(patch)) || patch.classification === 'Bugfix'
            ? after(patch, 7)
            : null;
        case 'deb':
          return patch.security ? after(patch, 0) : null;
        case 'windows':
          return patch.security && criticalOrImportant(patch) ? after(patch, 7) : null;
      }
    },
    complianceLevel: () => 'UNSPECIFIED',
  };
}

export class Baselines {
  private readonly custom = new Map<string, Baseline>();
  private readonly predefined = new Map<string, Baseline>();

  constructor(seed: number) {
    const random = randomStream(seed, hash(textHash('custom baselines')));
    for (const group of PATCH_GROUPS) this.custom.set(group, customBaseline(group, `pb-0${hex(random, 16)}`));
  }

  /** The baseline a node gets: its patch group's, else the predefined one for its OS in its Region. */
  forNode(patchGroup: string | null, region: string, platform: Platform): Baseline {
    const custom = patchGroup === null ? undefined : this.custom.get(patchGroup);
    if (custom) return custom;
    const key = `${region}/${platform.operatingSystem}`;
    let baseline = this.predefined.get(key);
    if (!baseline)
      this.predefined.set(key, (baseline = predefinedBaseline(region, platform.operatingSystem)));
    return baseline;
  }

  /** Every baseline nodes in these Regions can have, custom first. */
  list(regions: readonly string[], platforms: readonly Platform[]): Baseline[] {
    const operatingSystems = [...new Set(platforms.map((p) => p.operatingSystem))];
    return [
      ...this.custom.values(),
      ...regions.flatMap((region) =>
        operatingSystems.map((os) => {
          const platform = platforms.find((p) => p.operatingSystem === os);
          if (!platform) throw new Error(`no platform for ${os}`);
          return this.forNode(null, region, platform);
        }),
      ),
    ];
  }
}
