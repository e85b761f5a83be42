#!/usr/bin/env node
// The CLI is TypeScript run through tsx's loader, so `npx solida` works right after `npm ci`
// with no build step and no stale compiled output.
import { register } from 'tsx/esm/api';

register();
const { installProcessGuards } = await import('../src/cli/process-guards.ts');
installProcessGuards();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
