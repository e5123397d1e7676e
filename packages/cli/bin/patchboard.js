#!/usr/bin/env node
// Installed, the CLI runs the JavaScript compiled into lib/ (`npm pack` builds it). In a checkout, where the
// TypeScript sources sit beside this file, it runs them through tsx: no build step between a change and a run.
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

// A reader that stops early (`patchboard report … | head`) closes the pipe: that is the end, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const sources = new URL('../src/main.ts', import.meta.url);
let main;
if (existsSync(sources)) {
  const [{ register }, { register: registerHooks }] = await Promise.all([
    import('tsx/esm/api'),
    import('node:module'),
  ]);
  register();
  // The packages' `@patchboard/source` export condition points at their TypeScript sources. Hooks registered
  // later run first, so this one adds the condition before tsx resolves.
  registerHooks(
    'data:text/javascript,export function resolve(specifier, context, next) { return next(specifier, { ...context, conditions: [...context.conditions, "@patchboard/source"] }); }',
  );
  ({ main } = await import(sources.href));
} else {
  ({ main } = await import('../lib/main.js'));
}
process.exitCode = await main(process.argv);
