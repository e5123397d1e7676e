/**
 * The patches each operating system family is offered, and the baselines that approve them: the seeds' four
 * custom baselines (prod/non-prod x Linux/Windows) plus AWS's predefined defaults for nodes without a patch group.
 */
import { chance, hex, randomStream } from './random.js';

export type Family = 'AL2' | 'AL2023' | 'UBUNTU' | 'RHEL' | 'WINDOWS';

export interface Platform {
  readonly family: Family;
  readonly platformType: 'Linux' | 'Windows';
  readonly platformName: string;
  readonly platformVersion: string;
  readonly operatingSystem: string;
}

export const PLATFORMS: readonly { weight: number; platform: Platform }[] = [
  {
    weight: 0.3,
    platform: {
      family: 'AL2',
      platformType: 'Linux',
      platformName: 'Amazon Linux',
      platformVersion: '2',
      operatingSystem: 'AMAZON_LINUX_2',
    },
  },
  {
    weight: 0.2,
    platform: {
      family: 'AL2023',
      platformType: 'Linux',
      platformName: 'Amazon Linux',
      platformVersion: '2023',
      operatingSystem: 'AMAZON_LINUX_2023',
    },
  },
  {
    weight: 0.12,
    platform: {
      family: 'UBUNTU',
      platformType: 'Linux',
      platformName: 'Ubuntu',
      platformVersion: '22.04',
      operatingSystem: 'UBUNTU',
    },
  },
  {
    weight: 0.08,
    platform: {
      family: 'UBUNTU',
      platformType: 'Linux',
      platformName: 'Ubuntu',
      platformVersion: '24.04',
      operatingSystem: 'UBUNTU',
    },
  },
  {
    weight: 0.1,
    platform: {
      family: 'RHEL',
      platformType: 'Linux',
      platformName: 'Red Hat Enterprise Linux',
      platformVersion: '9.4',
      operatingSystem: 'REDHAT_ENTERPRISE_LINUX',
    },
  },
  {
    weight: 0.1,
    platform: {
      family: 'WINDOWS',
      platformType: 'Windows',
      platformName: 'Microsoft Windows Server 2022 Datacenter',
      platformVersion: '10.0.20348',
      operatingSystem: 'WINDOWS',
    },
  },
  {
    weight: 0.1,
    platform: {
      family: 'WINDOWS',
      platformType: 'Windows',
      platformName: 'Microsoft Windows Server 2019 Datacenter',
      platformVersion: '10.0.17763',
      operatingSystem: 'WINDOWS',
    },
  },
];

export interface Patch {
  readonly id: string;
  readonly title: string;
  readonly classification: string;
  /** The vendor's severity (Ubuntu: the package priority). */
  readonly vendorSeverity: string;
  readonly security: boolean;
  readonly cveIds: readonly string[];
  readonly releasedAt: number;
}

export const PATCHES_PER_FAMILY = 90;
const DAY = 86_400_000;
const UBUNTU_PACKAGES = [
  'openssl',
  'libssl3',
  'curl',
  'libcurl4',
  'linux-image-generic',
  'sudo',
  'openssh-server',
  'bash',
  'python3',
  'libxml2',
  'tzdata',
  'systemd',
  'git',
  'vim',
  'nginx',
  'libc6',
  'libgnutls30',
  'libexpat1',
  'zlib1g',
  'libsqlite3-0',
];
const RPM_PACKAGES = [
  'kernel',
  'openssl-libs',
  'glibc',
  'curl',
  'sudo',
  'openssh',
  'bash',
  'python3',
  'libxml2',
  'systemd',
  'nss',
  'krb5-libs',
  'expat',
  'zlib',
  'sqlite-libs',
  'vim-minimal',
  'git',
  'httpd',
  'tzdata',
  'libgcrypt',
];

/** The family's patches, released over the `spanDays` days up to `at`, the same for every node and day. */
export function catalogue(family: Family, seed: number, at: number, spanDays: number): Patch[] {
  const random = randomStream(
    seed,
    family.length,
    family.charCodeAt(0),
    family.charCodeAt(family.length - 1),
  );
  return Array.from({ length: PATCHES_PER_FAMILY }, (_, i) => {
    const roll = random();
    const releasedAt = at - Math.floor(random() * spanDays * 24) * 3_600_000 - DAY / 2;
    const cveCount = 1 + Math.floor(random() * 3);
    const cves = Array.from({ length: cveCount }, () => `CVE-2026-${10000 + Math.floor(random() * 89999)}`);
    const severityRoll = random();
    const releaseVersion = `${1 + Math.floor(random() * 9)}.${Math.floor(random() * 20)}.${Math.floor(random() * 300)}`;
    switch (family) {
      case 'WINDOWS': {
        const classification = roll < 0.55 ? 'SecurityUpdates' : roll < 0.75 ? 'CriticalUpdates' : 'Updates';
        const kb = `KB${5030000 + i * 37 + Math.floor(random() * 30)}`;
        return {
          id: kb,
          title: `2026-${String(1 + (i % 10)).padStart(2, '0')} Cumulative Update for Windows Server (${kb})`,
          classification,
          vendorSeverity: ['Critical', 'Important', 'Moderate', 'Low'][Math.floor(severityRoll * 4)]!,
          security: classification !== 'Updates',
          cveIds: classification === 'Updates' ? [] : cves,
          releasedAt,
        };
      }
      case 'UBUNTU': {
        const name = `${UBUNTU_PACKAGES[i % UBUNTU_PACKAGES.length]}${i >= UBUNTU_PACKAGES.length ? `-${Math.floor(i / UBUNTU_PACKAGES.length)}` : ''}`;
        const security = roll < 0.7;
        return {
          id: `${name}.amd64`,
          title: `${name}.amd64:${releaseVersion}-0ubuntu0.22.04.${i}`,
          classification: security ? 'Security' : '',
          vendorSeverity: ['Required', 'Important', 'Standard', 'Optional'][Math.floor(severityRoll * 4)]!,
          security,
          cveIds: security ? cves : [],
          releasedAt,
        };
      }
      default: {
        const classification = roll < 0.65 ? 'Security' : roll < 0.9 ? 'Bugfix' : 'Enhancement';
        const prefix =
          family === 'AL2' ? 'ALAS2-2026-' : family === 'AL2023' ? 'ALAS2023-2026-' : 'RHSA-2026:';
        const name = RPM_PACKAGES[i % RPM_PACKAGES.length]!;
        return {
          id: `${prefix}${1000 + i}`,
          title: `${name}.x86_64:0:${releaseVersion}-${i}.${family === 'RHEL' ? 'el9' : family === 'AL2' ? 'amzn2' : 'amzn2023'}`,
          classification,
          vendorSeverity: ['Critical', 'Important', 'Medium', 'Low'][Math.floor(severityRoll * 4)]!,
          security: classification === 'Security',
          cveIds: classification === 'Security' ? cves : [],
          releasedAt,
        };
      }
    }
  });
}

export interface Baseline {
  readonly baselineId: string;
  readonly patchGroup: string | null;
  readonly operatingSystem: string;
  /** Days after release before a patch is approved. */
  readonly approveAfterDays: number;
  approves(patch: Patch): boolean;
  /** The compliance level the baseline assigns (the item's `Severity`). */
  complianceLevel(patch: Patch): string;
}

const LEVEL: Record<string, string> = {
  Critical: 'CRITICAL',
  Required: 'CRITICAL',
  Important: 'HIGH',
  Medium: 'MEDIUM',
  Moderate: 'MEDIUM',
  Standard: 'MEDIUM',
  Low: 'LOW',
  Optional: 'LOW',
};
const criticalOrImportant = (p: Patch) => ['Critical', 'Important', 'Required'].includes(p.vendorSeverity);

export function baselines(
  seed: number,
  region: string,
): { custom: Map<string, Baseline>; defaults: Map<'Linux' | 'Windows', Baseline> } {
  const random = randomStream(seed, 77);
  const custom = new Map<string, Baseline>();
  for (const [group, os] of [
    ['prod-linux', 'AMAZON_LINUX_2'],
    ['nonprod-linux', 'AMAZON_LINUX_2'],
    ['prod-windows', 'WINDOWS'],
    ['nonprod-windows', 'WINDOWS'],
  ] as const) {
    const prod = group.startsWith('prod');
    custom.set(group, {
      baselineId: `pb-0${hex(random, 16)}`,
      patchGroup: group,
      operatingSystem: os,
      approveAfterDays: prod ? 7 : 0,
      approves: (p) => (prod ? p.security && criticalOrImportant(p) : true),
      complianceLevel: (p) => LEVEL[p.vendorSeverity] ?? 'UNSPECIFIED',
    });
  }
  const predefined = (os: string, id: string): Baseline => ({
    baselineId: `arn:aws:ssm:${region}:aws:patchbaseline/${id}`,
    patchGroup: null,
    operatingSystem: os,
    approveAfterDays: 7,
    approves: (p) => p.security && criticalOrImportant(p),
    complianceLevel: () => 'UNSPECIFIED',
  });
  return {
    custom,
    defaults: new Map([
      ['Linux', predefined('AMAZON_LINUX_2', 'pb-0c10e65780a2e5b21')],
      ['Windows', predefined('WINDOWS', 'pb-0a5e21b0f5c25ad8e')],
    ]),
  };
}

/** Whether a node has a package the patch updates: a stable answer per (node, patch). */
export const applies = (nodeId: string, patch: Patch): boolean => chance(nodeId, patch.id, 'applies') < 0.3;
