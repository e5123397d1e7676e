import { readFileSync } from 'node:fs';

/** Patchboard's version, as manifests and the dashboard report it. */
export const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
