#!/usr/bin/env node
// The CLI runs its start bundle, dist/patchboard.js, and the JavaScript compiled into each other package's lib/
// (`npm pack` and `npm run build` make both; bundle.config.mjs says why a bundle), so starting it costs no
// TypeScript compilation. In a checkout whose build is missing or older than a source file, it runs the
// TypeScript sources through tsx instead: an edit runs at once, and a stale build never runs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { join, sep } from 'node:path';
import { fileURLToPath, URL } from 'node:url';

// Node 22.1+ caches compiled code on disk between runs (a no-op where the directory cannot be written).
module.enableCompileCache?.();

// A reader that stops early (`patchboard report … | head`) closes the pipe: that is the end, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

/** The workspaces the CLI loads, beside this package in a checkout. */
const WORKSPACES = ['core', 'aws', 'generator', 'engine-duckdb', 'engine-athena', 'dashboard', 'cli'];
const PACKAGES = fileURLToPath(new URL('../../', import.meta.url));

const bundle = new URL('../dist/patchboard.js', import.meta.url);

/**
 * Whether the bundle is at least as new as every source file of the workspaces, and each has a compiled file at
 * least as new in its package's lib/.
 */
function buildIsCurrent() {
  if (!existsSync(bundle)) return false;
  const bundleTime = statSync(bundle).mtimeMs;
  for (const workspace of WORKSPACES) {
    const src = join(PACKAGES, workspace, 'src');
    const lib = join(PACKAGES, workspace, 'lib');
    // The browser client is built by Vite into dist/, not compiled into lib/.
    const client = join(src, 'client') + sep;
    for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
      const name = entry.name;
      if (!entry.isFile() || !name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
      const file = join(entry.parentPath ?? entry.path, name);
      if (file.startsWith(client)) continue;
      const compiled = join(lib, `${file.slice(src.length, -'.ts'.length)}.js`);
      const sourceTime = statSync(file).mtimeMs;
      if (bundleTime < sourceTime || !existsSync(compiled) || statSync(compiled).mtimeMs < sourceTime)
        return false;
    }
  }
  return true;
}

const sources = new URL('../src/main.ts', import.meta.url);
let main;
if (existsSync(sources) && !buildIsCurrent()) {
  const { register } = await import('tsx/esm/api');
  register();
  // The packages' `@patchboard/source` export condition points at their TypeScript sources. Hooks registered
  // later run first, so this one adds the condition before tsx resolves.
  module.register(
    'data:text/javascript,export function resolve(specifier, context, next) { return next(specifier, { ...context, conditions: [...context.conditions, "@patchboard/source"] }); }',
  );
  ({ main } = await import(sources.href));
} else {
  ({ main } = await import(bundle.href));
}
process.exitCode = await main(process.argv);
