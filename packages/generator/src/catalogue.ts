/**
 * The platforms of the fleet and the patches each one is offered: a release stream per operating system
 * (advisories most days on Linux, a Patch Tuesday batch each month on Windows), each patch live until a newer
 * one supersedes it. Patches are anchored to calendar days, so the same seed gives the same patch on the same
 * day whatever span is generated.
 */
import { DAY, dayNumber, HOUR } from './clock.js';
import { between, hash, pick, type Random, randomStream, textHash, weighted } from './random.js';

export type PackageKind = 'rpm' | 'deb' | 'windows';

export interface Platform {
  readonly family:
    | 'AL2'
    | 'AL2023'
    | 'UBUNTU2204'
    | 'UBUNTU2404'
    | 'DEBIAN12'
    | 'RHEL9'
    | 'OL9'
    | 'SLES15'
    | 'WIN2019'
    | 'WIN2022';
  readonly kind: PackageKind;
  readonly platformType: 'Linux' | 'Windows';
  readonly platformName: string;
  readonly platformVersion: string;
  /** The patch baseline's `OperatingSystem`. */
  readonly operatingSystem: string;
  /** Share of the fleet. */
  readonly weight: number;
  /** Distribution tag in package releases (`amzn2`, `el9_4`, `22.04`) or the Windows product name. */
  readonly releaseTag: string;
  /** InstanceDetailedInformation's KernelVersion (Windows: the NT build as WMI reports it). */
  readonly kernelVersion: string;
}

export const PLATFORMS: readonly Platform[] = [
  {
    family: 'AL2',
    kind: 'rpm',
    platformType: 'Linux',
    platformName: 'Amazon Linux',
    platformVersion: '2',
    operatingSystem: 'AMAZON_LINUX_2',
    weight: 0.26,
    releaseTag: 'amzn2',
    kernelVersion: '5.10.227-219.884.amzn2.x86_64',
  },
  {
    family: 'AL2023',
    kind: 'rpm',
    platformType: 'Linux',
    platformName: 'Amazon Linux',
    platformVersion: '2023',
    operatingSystem: 'AMAZON_LINUX_2023',
    weight: 0.18,
    releaseTag: 'amzn2023',
    kernelVersion: '6.1.115-126.197.amzn2023.x86_64',
  },
  {
    family: 'UBUNTU2204',
    kind: 'deb',
    platformType: 'Linux',
    platformName: 'Ubuntu',
    platformVersion: '22.04',
    operatingSystem: 'UBUNTU',
    weight: 0.1,
    releaseTag: '22.04',
    kernelVersion: '6.8.0-1018-aws',
  },
  {
    family: 'UBUNTU2404',
    kind: 'deb',
    platformType: 'Linux',
    platformName: 'Ubuntu',
    platformVersion: '24.04',
    operatingSystem: 'UBUNTU',
    weight: 0.07,
    releaseTag: '24.04',
    kernelVersion: '6.8.0-1021-aws',
  },
  {
    family: 'DEBIAN12',
    kind: 'deb',
    platformType: 'Linux',
    platformName: 'Debian GNU/Linux',
    platformVersion: '12',
    operatingSystem: 'DEBIAN',
    weight: 0.04,
    releaseTag: 'deb12',
    kernelVersion: '6.1.0-28-cloud-amd64',
  },
  {
    family: 'OL9',
    kind: 'rpm',
    platformType: 'Linux',
    platformName: 'Oracle Linux Server',
    platformVersion: '9.4',
    operatingSystem: 'ORACLE_LINUX',
    weight: 0.03,
    releaseTag: 'el9',
    kernelVersion: '5.15.0-208.159.3.2.el9uek.x86_64',
  },
  {
    family: 'SLES15',
    kind: 'rpm',
    platformType: 'Linux',
    platformName: 'SLES',
    platformVersion: '15.5',
    operatingSystem: 'SUSE',
    weight: 0.04,
    releaseTag: '150500',
    kernelVersion: '5.14.21-150500.55.83-default',
  },
  {
    family: 'RHEL9',
    kind: 'rpm',
    platformType: 'Linux',
    platformName: 'Red Hat Enterprise Linux',
    platformVersion: '9.4',
    operatingSystem: 'REDHAT_ENTERPRISE_LINUX',
    weight: 0.08,
    releaseTag: 'el9_4',
    kernelVersion: '5.14.0-427.42.1.el9_4.x86_64',
  },
  {
    family: 'WIN2019',
    kind: 'windows',
    platformType: 'Windows',
    platformName: 'Microsoft Windows Server 2019 Datacenter',
    platformVersion: '10.0.17763',
    operatingSystem: 'WINDOWS',
    weight: 0.08,
    releaseTag: 'Windows Server 2019',
    kernelVersion: '10.0.17763.6414 (WinBuild.160101.0800)',
  },
  {
    family: 'WIN2022',
    kind: 'windows',
    platformType: 'Windows',
    platformName: 'Microsoft Windows Server 2022 Datacenter',
    platformVersion: '10.0.20348',
    operatingSystem: 'WINDOWS',
    weight: 0.12,
    releaseTag: 'Windows Server 2022',
    kernelVersion: '10.0.20348.2762 (WinBuild.160101.0800)',
  },
];

export interface Patch {
  /** Hash input identifying the patch in per-node decisions. */
  readonly key: number;
  /**
   * The compliance item's `Id`: the KB number on Windows, `name.arch` on Linux (the agent names a Linux item
   * by its package, never by its advisory).
   */
  readonly id: string;
  /** Windows: the update's title. Linux: `name.arch:epoch:version-release` (deb: `name.arch:version`). */
  readonly title: string;
  /** The vendor's advisories (ALAS, RHSA ...) that ship this version; none on Windows and Ubuntu. */
  readonly advisoryIds: readonly string[];
  readonly classification: string;
  /** The vendor's severity, written as `PatchSeverity` (Ubuntu: the package priority). */
  readonly severity: string;
  /** Security by the vendor's classification: what `SecurityNonCompliantCount` counts. */
  readonly security: boolean;
  /** The CVEs the patch fixes as its vendor lists them (the agent writes none for apt packages). */
  readonly cveIds: readonly string[];
  readonly releasedAt: number;
  /** From this instant no node reports the patch: a newer one of the same package replaces it. */
  readonly supersededAt: number;
}

export interface Catalogue {
  readonly platform: Platform;
  /** Ordered by release. */
  readonly patches: readonly Patch[];
  /** The patch every custom baseline rejects (action BLOCK): reported only where installed anyway. */
  readonly rejected: Patch;
  /** Packages installed from outside any baseline, reported as InstalledOther. */
  readonly extras: readonly Patch[];
}

/** How long a patch stays on the list before a newer advisory for the same packages supersedes it. */
export const PATCH_LIFETIME_DAYS = 160;
/** Lower-cased: SUSE's zypper writes `security`, the others `Security`. */
const SECURITY_CLASSIFICATIONS = new Set(['security', 'securityupdates', 'criticalupdates']);
/** 2020-01-01, the origin of the synthetic KB numbering. */
const KB_EPOCH_DAY = 18_262;

const RPM_PACKAGES = [
  'kernel',
  'openssl-libs',
  'glibc',
  'curl',
  'libcurl',
  'sudo',
  'openssh',
  'openssh-server',
  'bash',
  'python3',
  'python3-libs',
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
  'libgcrypt',
  'gnutls',
  'libssh2',
  'binutils',
  'libtiff',
  'rsync',
  'bind-libs',
  'less',
  'perl',
  'tar',
  'xz-libs',
];
const RPM_NOARCH = ['tzdata', 'ca-certificates', 'python3-pip', 'python3-urllib3', 'python3-requests'];
const UBUNTU_PACKAGES = [
  'libc6',
  'libc-bin',
  'openssl',
  'libssl3',
  'curl',
  'libcurl4',
  'linux-image-aws',
  'linux-aws',
  'sudo',
  'openssh-server',
  'openssh-client',
  'bash',
  'python3.10',
  'libpython3.10',
  'libxml2',
  'systemd',
  'libsystemd0',
  'udev',
  'git',
  'vim',
  'vim-common',
  'nginx',
  'libgnutls30',
  'libexpat1',
  'zlib1g',
  'libsqlite3-0',
  'libtiff5',
  'libkrb5-3',
  'libgssapi-krb5-2',
  'libnss3',
  'gzip',
  'tar',
  'less',
  'perl',
  'perl-base',
  'libpam-modules',
  'libpam0g',
  'login',
  'passwd',
  'apt',
  'libapt-pkg6.0',
  'dpkg',
  'libgcrypt20',
  'libssh-4',
  'rsync',
  'bind9-libs',
  'bind9-host',
  'dnsutils',
  'libldap-2.5-0',
  'libsasl2-2',
  'libxslt1.1',
  'libpng16-16',
  'libjpeg-turbo8',
  'libfreetype6',
  'libglib2.0-0',
  'libdbus-1-3',
  'dbus',
  'polkitd',
  'snapd',
  'cloud-init',
  'libnghttp2-14',
  'libidn2-0',
  'libzstd1',
  'liblzma5',
  'libbz2-1.0',
  'libarchive13',
  'libmysqlclient21',
  'libpq5',
  'postgresql-client-14',
  'redis-tools',
  'libcap2',
  'libseccomp2',
  'runc',
  'containerd',
  'libtasn1-6',
  'libgmp10',
  'libnettle8',
  'libhogweed6',
  'libunistring2',
  'libuv1',
  'libevent-2.1-7',
  'libwebp7',
  'libde265-0',
  'libheif1',
  'ghostscript',
  'libgs9',
  'imagemagick',
  'libmagickcore-6.q16-6',
  'libavahi-client3',
  'libcups2',
  'libsnmp40',
  'ntfs-3g',
  'libfribidi0',
  'libharfbuzz0b',
  'libcairo2',
  'libpixman-1-0',
  'libx11-6',
  'libxpm4',
  'libvpx7',
  'ffmpeg',
  'libavcodec58',
  'node-undici',
  'python3-urllib3',
  'python3-requests',
  'python3-jinja2',
  'python3-cryptography',
  'python3-pip',
  'python3-setuptools',
  'python3-idna',
  'python3-certifi',
  'ruby3.0',
  'libruby3.0',
  'php8.1-cli',
  'openjdk-17-jre-headless',
  'golang-1.18-go',
  'busybox',
  'intel-microcode',
  'amd64-microcode',
  'shim-signed',
  'grub-efi-amd64-signed',
  'tzdata',
  'ca-certificates',
];
const LINUX_EXTRAS = [
  'amazon-cloudwatch-agent',
  'aws-cfn-bootstrap',
  'htop',
  'jq',
  'nodejs',
  'java-17-amazon-corretto-headless',
  'postgresql15',
  'unzip',
  'tmux',
  'nmap-ncat',
  'awscli',
  'collectd',
];
const WINDOWS_EXTRAS = [
  'KB4486153',
  'KB4577586',
  'KB4589208',
  'KB4470788',
  'KB4487038',
  'KB4497727',
  'KB4498947',
  'KB4512937',
  'KB4516115',
  'KB4520724',
  'KB4523204',
  'KB4532691',
];

function cves(random: Random, year: number, count: number): string[] {
  const ids = new Set<string>();
  while (ids.size < count) ids.add(`CVE-${year}-${between(random, 1000, 59999)}`);
  return [...ids];
}

const version = (random: Random) =>
  `${between(random, 1, 9)}.${between(random, 0, 20)}.${between(random, 0, 300)}`;

interface Draft {
  id: string;
  title: string;
  advisoryIds: string[];
  classification: string;
  severity: string;
  cveCount: number;
}

/**
 * How each RPM vendor writes its advisories, as the agent passes them through (docs/data-format.md): Amazon
 * Linux's updateinfo says Medium where Red Hat and Oracle say Moderate; zypper prints SUSE's category and severity
 * in lower case. The release string follows each distribution's convention.
 */
interface RpmVendor {
  readonly classifications: readonly [security: string, bugfix: string, enhancement: string];
  readonly severities: readonly [critical: string, important: string, moderate: string, low: string];
  advisory(classification: number, year: number, number: number): string;
  release(random: Random, tag: string): string;
}

const TITLE_CASE = ['Security', 'Bugfix', 'Enhancement'] as const;
const RPM_VENDORS: Record<string, RpmVendor> = {
  AL2: {
    classifications: TITLE_CASE,
    severities: ['Critical', 'Important', 'Medium', 'Low'],
    advisory: (_c, year, number) => `ALAS2-${year}-${number}`,
    release: (random, tag) => `${between(random, 1, 40)}.${tag}.0.${between(random, 1, 9)}`,
  },
  AL2023: {
    classifications: TITLE_CASE,
    severities: ['Critical', 'Important', 'Medium', 'Low'],
    advisory: (_c, year, number) => `ALAS2023-${year}-${number}`,
    release: (random, tag) => `${between(random, 1, 40)}.${tag}.0.${between(random, 1, 9)}`,
  },
  RHEL9: {
    classifications: TITLE_CASE,
    severities: ['Critical', 'Important', 'Moderate', 'Low'],
    advisory: (c, year, number) => `${['RHSA', 'RHBA', 'RHEA'][c]}-${year}:${number}`,
    release: (random, tag) => `${between(random, 1, 40)}.${tag}`,
  },
  OL9: {
    classifications: TITLE_CASE,
    severities: ['Critical', 'Important', 'Moderate', 'Low'],
    advisory: (c, year, number) => `${['ELSA', 'ELBA', 'ELEA'][c]}-${year}-${number}`,
    release: (random, tag) => `${between(random, 1, 40)}.0.${between(random, 1, 3)}.${tag}`,
  },
  SLES15: {
    classifications: ['security', 'recommended', 'optional'],
    severities: ['critical', 'important', 'moderate', 'low'],
    advisory: (c, year, number) => `SUSE-${['SU', 'RU', 'OU'][c]}-${year}:${number}-1`,
    release: (random, tag) => `${tag}.${between(random, 1, 60)}.${between(random, 1, 9)}`,
  },
};

function rpmDraft(platform: Platform, random: Random, day: number, slot: number, year: number): Draft {
  const vendor = RPM_VENDORS[platform.family];
  if (!vendor) throw new Error(`no RPM vendor for ${platform.family}`);
  const kind = weighted(random(), [
    { weight: 0.62, value: 0 as const },
    { weight: 0.28, value: 1 as const },
    { weight: 0.1, value: 2 as const },
  ]);
  const [critical, important, moderate, low] = vendor.severities;
  const severity = weighted(random(), [
    { weight: 0.12, value: critical },
    { weight: 0.33, value: important },
    { weight: 0.38, value: moderate },
    { weight: 0.17, value: low },
  ]);
  // Advisory numbers count through the year, four slots a day, so they never repeat within a year.
  const number = 1000 + (day - dayNumber(Date.UTC(year, 0, 1))) * 4 + slot;
  const noarch = random() < 0.12;
  const name = noarch ? pick(random, RPM_NOARCH) : pick(random, RPM_PACKAGES);
  const release = vendor.release(random, platform.releaseTag);
  const id = `${name}.${noarch ? 'noarch' : 'x86_64'}`;
  return {
    id,
    title: `${id}:${random() < 0.2 ? 1 : 0}:${version(random)}-${release}`,
    advisoryIds: [vendor.advisory(kind, year, number)],
    classification: vendor.classifications[kind],
    severity,
    cveCount: kind === 0 ? between(random, 1, 3) : 0,
  };
}

function debDraft(platform: Platform, random: Random): Draft {
  const security = random() < 0.7;
  const name = pick(random, UBUNTU_PACKAGES);
  // apt names the machine's architecture even for an architecture-independent package (adduser.amd64).
  const id = `${name}.amd64`;
  const revision =
    platform.family === 'DEBIAN12'
      ? `${between(random, 1, 4)}~${platform.releaseTag}u${between(random, 1, 12)}`
      : `0ubuntu0.${platform.releaseTag}.${between(random, 1, 12)}`;
  return {
    id,
    title: `${id}:${version(random)}-${revision}`,
    advisoryIds: [],
    classification: security ? 'Security' : '',
    severity: weighted(random(), [
      { weight: 0.08, value: 'Required' },
      { weight: 0.22, value: 'Important' },
      { weight: 0.5, value: 'Standard' },
      { weight: 0.2, value: 'Optional' },
    ]),
    // Ubuntu's notices name CVEs, but the agent's apt items carry none: the catalogue is the only source.
    cveCount: security ? between(random, 1, 3) : 0,
  };
}

const windowsSeverity = (random: Random, critical: number) =>
  weighted(random(), [
    { weight: critical, value: 'Critical' },
    { weight: 0.45, value: 'Important' },
    { weight: 0.2, value: 'Moderate' },
    { weight: 0.1, value: 'Low' },
  ]);

/** Patch Tuesday's batch, slot by slot, and the odd update between. */
function windowsDraft(
  platform: Platform,
  random: Random,
  day: number,
  slot: number,
  patchTuesday: boolean,
  month: string,
): Draft {
  const product = platform.releaseTag;
  const kbNumber =
    5_000_000 +
    ((((day - KB_EPOCH_DAY) % 62_500) + 62_500) % 62_500) * 16 +
    (platform.family === 'WIN2022' ? 8 : 0) +
    slot;
  const kb = `KB${kbNumber}`;
  const template = patchTuesday ? slot : pick(random, [6, 7, 8]);
  switch (template) {
    case 0:
      return {
        id: kb,
        advisoryIds: [],
        title: `${month} Cumulative Update for ${product} for x64-based Systems (${kb})`,
        classification: 'SecurityUpdates',
        severity: windowsSeverity(random, 0.5),
        cveCount: between(random, 1, 3),
      };
    case 1:
      return {
        id: kb,
        advisoryIds: [],
        title: `${month} Cumulative Update for .NET Framework 3.5, 4.7.2 and 4.8 for ${product} for x64 (${kb})`,
        classification: 'SecurityUpdates',
        severity: windowsSeverity(random, 0.15),
        cveCount: between(random, 1, 3),
      };
    case 2:
      return {
        id: kb,
        advisoryIds: [],
        title: `${month} Servicing Stack Update for ${product} for x64-based Systems (${kb})`,
        classification: 'CriticalUpdates',
        severity: windowsSeverity(random, 0.3),
        cveCount: between(random, 1, 2),
      };
    case 3:
      // The removal tool keeps one KB and a new version each month: the new one supersedes the old.
      return {
        id: 'KB890830',
        advisoryIds: [],
        title: `Windows Malicious Software Removal Tool x64 - ${MONTH_NAMES[Number(month.slice(5)) - 1]} ${month.slice(0, 4)} (KB890830)`,
        classification: 'UpdateRollups',
        severity: 'Unspecified',
        cveCount: 0,
      };
    case 4:
      return {
        id: kb,
        advisoryIds: [],
        title: `${month} Security Update for Microsoft SQL Server 2019 RTM GDR (${kb})`,
        classification: 'SecurityUpdates',
        severity: windowsSeverity(random, 0.1),
        cveCount: between(random, 1, 2),
      };
    case 5:
    case 6:
      return {
        id: kb,
        advisoryIds: [],
        title: `${month} Update for ${product} for x64-based Systems (${kb})`,
        classification: 'Updates',
        severity: random() < 0.6 ? 'Moderate' : 'Low',
        cveCount: 0,
      };
    case 7:
      return {
        id: kb,
        advisoryIds: [],
        title: `${month} Cumulative Update Preview for ${product} for x64-based Systems (${kb})`,
        classification: 'Updates',
        severity: 'Moderate',
        cveCount: 0,
      };
    default:
      return {
        id: kb,
        advisoryIds: [],
        title: `${month} Out-of-band Update for ${product} for x64-based Systems (${kb})`,
        classification: 'SecurityUpdates',
        severity: windowsSeverity(random, 0.6),
        cveCount: between(random, 1, 3),
      };
  }
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const isPatchTuesday = (date: Date) =>
  date.getUTCDay() === 2 && date.getUTCDate() >= 8 && date.getUTCDate() <= 14;

/** How many patches the platform's vendor releases on `day`, and at what hour (UTC). */
function releasesOn(
  platform: Platform,
  roll: number,
  date: Date,
): { count: number; hour: number; patchTuesday: boolean } {
  switch (platform.kind) {
    case 'rpm':
      return { count: Math.floor(roll * 3.4), hour: 17, patchTuesday: false };
    case 'deb':
      return { count: Math.floor(roll * 2.6), hour: 10, patchTuesday: false };
    case 'windows':
      return isPatchTuesday(date)
        ? { count: 6, hour: 18, patchTuesday: true }
        : { count: Math.floor(roll * 1.25), hour: 17, patchTuesday: false };
  }
}

/** The platform's patches released from the start of `fromDay` up to `until`. */
export function buildCatalogue(platform: Platform, seed: number, fromDay: number, until: number): Catalogue {
  const familyKey = textHash(platform.family);
  const patches: Patch[] = [];
  const latestById = new Map<string, number>();
  for (let day = fromDay; day <= dayNumber(until); day++) {
    const date = new Date(day * DAY);
    const year = date.getUTCFullYear();
    const month = `${year}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
    const { count, hour, patchTuesday } = releasesOn(platform, hash(seed, familyKey, day) / 4294967296, date);
    for (let slot = 0; slot < count; slot++) {
      const random = randomStream(seed, familyKey, day, slot);
      const draft =
        platform.kind === 'rpm'
          ? rpmDraft(platform, random, day, slot, year)
          : platform.kind === 'deb'
            ? debDraft(platform, random)
            : windowsDraft(platform, random, day, slot, patchTuesday, month);
      const releasedAt = day * DAY + hour * HOUR + between(random, 0, 300) * 60_000;
      if (releasedAt > until) continue;
      // A package's newer patch replaces the older on every node, so one id is never reported twice.
      const previous = latestById.get(draft.id);
      const older = previous === undefined ? undefined : patches[previous];
      if (previous !== undefined && older) {
        patches[previous] = { ...older, supersededAt: Math.min(older.supersededAt, releasedAt) };
      }
      latestById.set(draft.id, patches.length);
      patches.push({
        key: hash(familyKey, day, slot, 0x5eed),
        id: draft.id,
        title: draft.title,
        advisoryIds: draft.advisoryIds,
        classification: draft.classification,
        severity: draft.severity,
        security: SECURITY_CLASSIFICATIONS.has(draft.classification.toLowerCase()),
        cveIds: cves(random, year, draft.cveCount),
        releasedAt,
        supersededAt: releasedAt + PATCH_LIFETIME_DAYS * DAY,
      });
    }
  }
  return {
    platform,
    patches: patches.sort((a, b) => a.releasedAt - b.releasedAt),
    rejected: rejectedPatch(platform, familyKey, fromDay),
    extras: extraPackages(platform, familyKey),
  };
}

/** A package the custom baselines block (a pinned container runtime; on Windows, an update known to break). */
function rejectedPatch(platform: Platform, familyKey: number, fromDay: number): Patch {
  const releasedAt = (fromDay - 60) * DAY + 18 * HOUR;
  const year = new Date(releasedAt).getUTCFullYear();
  const base = {
    key: hash(familyKey, 0x4e7ec7ed),
    advisoryIds: [],
    cveIds: [],
    releasedAt,
    supersededAt: Number.POSITIVE_INFINITY,
  };
  switch (platform.kind) {
    case 'rpm': {
      // Number 3999 lies past the year's advisory slots, so it cannot collide with a catalogue patch.
      const vendor = RPM_VENDORS[platform.family];
      if (!vendor) throw new Error(`no RPM vendor for ${platform.family}`);
      return {
        ...base,
        advisoryIds: [vendor.advisory(1, year, 3999)],
        id: 'docker.x86_64',
        title: `docker.x86_64:0:25.0.6-1.${platform.releaseTag}`,
        classification: vendor.classifications[1],
        severity: vendor.severities[2],
        security: false,
      };
    }
    case 'deb':
      return {
        ...base,
        id: 'docker.io.amd64',
        title: `docker.io.amd64:24.0.7-${platform.family === 'DEBIAN12' ? `1~${platform.releaseTag}u1` : `0ubuntu0.${platform.releaseTag}.1`}`,
        classification: '',
        severity: 'Optional',
        security: false,
      };
    case 'windows':
      return {
        ...base,
        cveIds: ['CVE-2020-0689'],
        id: 'KB4535680',
        title: `Security Update for Secure Boot DBX for ${platform.releaseTag} for x64-based Systems (KB4535680)`,
        classification: 'SecurityUpdates',
        severity: 'Important',
        security: true,
      };
  }
}

/** Software outside the vendor's advisories, installed at image build and reported as InstalledOther. */
function extraPackages(platform: Platform, familyKey: number): Patch[] {
  const base = {
    classification: '',
    severity: '',
    security: false,
    advisoryIds: [],
    cveIds: [],
    releasedAt: 0,
  };
  if (platform.kind === 'windows') {
    // Windows leaves an InstalledOther item's title, classification and severity empty, to stay within
    // Inventory's size limit (Patch Manager compliance states, footnote).
    return WINDOWS_EXTRAS.map((kb, i) => ({
      ...base,
      key: hash(familyKey, 0xe7a5, i),
      id: kb,
      title: '',
      supersededAt: Number.POSITIVE_INFINITY,
    }));
  }
  const arch = platform.kind === 'deb' ? 'amd64' : 'x86_64';
  return LINUX_EXTRAS.map((name, i) => ({
    ...base,
    key: hash(familyKey, 0xe7a5, i),
    id: `${name}.${arch}`,
    title: `${name}.${arch}:0:${1 + (i % 4)}.${i * 3}.${i + 1}-1${platform.kind === 'deb' ? '' : `.${platform.releaseTag}`}`,
    supersededAt: Number.POSITIVE_INFINITY,
  }));
}
