import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Where `npm run build` puts the client (vite.config.ts): dist/ beside this package's package.json. Found by
 * the package's name rather than beside this file, because the CLI's start bundle carries this code elsewhere.
 */
export const CLIENT_DIRECTORY = join(
  dirname(createRequire(import.meta.url).resolve('@patchboard/dashboard/package.json')),
  'dist',
);
