#!/usr/bin/env node
// The CLI runs its TypeScript sources through tsx: no build step between a change and a run.
import { register } from 'tsx/esm/api';

// A reader that stops early (`patchboard report … | head`) closes the pipe: that is the end, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
