#!/usr/bin/env node
// The CLI runs its TypeScript sources through tsx: no build step between a change and a run.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
