/**
 * The patch catalogue as `patchboard collect` writes it from DescribeAvailablePatches: one line per *version* of
 * each patch (a Linux package has as many rows as releases), with its release date, CVEs and advisories, in the
 * custom inventory type `Custom:PatchboardCatalogue` (`…/resourcetype=PatchCatalogue/catalogue.json`, one object
 * per account and Region). Fields as collect's `catalogueRecord`: KBId is what a node's item names (`name.arch`
 * on Linux, the KB number on Windows), Version is `epoch:version-release`, absent on Windows.
 */
import type { Catalogue, Patch } from './catalogue.js';
import { isoSeconds } from './clock.js';

export const CATALOGUE_TYPE = 'Custom:PatchboardCatalogue';
export const CATALOGUE_RESOURCE_TYPE = 'PatchCatalogue';
export const CATALOGUE_NODE = 'catalogue';

/** The product DescribeAvailablePatches files a platform's patches under. */
const PRODUCTS: Record<string, string> = {
  AL2: 'AmazonLinux2',
  AL2023: 'AmazonLinux2023',
  UBUNTU2204: 'Ubuntu22.04',
  UBUNTU2404: 'Ubuntu24.04',
  DEBIAN12: 'Debian12',
  OL9: 'OracleLinux9.4',
  SLES15: 'Suse15.5',
  RHEL9: 'RedhatEnterpriseLinux9.4',
  WIN2019: 'WindowsServer2019',
  WIN2022: 'WindowsServer2022',
};

function catalogueLine(catalogue: Catalogue, patch: Patch, captureTime: number): Record<string, unknown> {
  const platform = catalogue.platform;
  const line: Record<string, unknown> = {
    KBId: patch.id,
    Id: patch.id,
    Title: patch.title,
    Product: PRODUCTS[platform.family] ?? platform.family,
    Classification: patch.classification,
    Severity: patch.severity,
    ReleaseDate: isoSeconds(patch.releasedAt),
    CVEIds: patch.cveIds.join(','),
    AdvisoryIds: patch.advisoryIds.join(','),
  };
  if (platform.kind !== 'windows') {
    // The item's Title is `name.arch:<version>`; the catalogue states the version with its epoch.
    const version = patch.title.slice(patch.id.length + 1);
    line.Version = platform.kind === 'deb' ? `0:${version}` : version;
  }
  line.captureTime = isoSeconds(captureTime);
  line.schemaVersion = '1.0';
  return line;
}

/** Every released version of every platform's patches, released by `at`, as JSON lines. */
export function catalogueText(catalogues: Iterable<Catalogue>, at: number): string {
  const lines: string[] = [];
  for (const catalogue of catalogues) {
    for (const patch of catalogue.patches) {
      if (patch.releasedAt <= at) lines.push(JSON.stringify(catalogueLine(catalogue, patch, at)));
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
