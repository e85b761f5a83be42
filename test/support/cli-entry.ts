// The CLI in a child process for tests that need one (their own environment, a real exit code, signals):
// the current sources through tsx — never dist/, which may be older than the code under test. The same
// process guards as the installed command, so escaped rejections end as the user would see them.
import { exitWhenDone, installProcessGuards } from '../../src/cli/process-guards.ts';
import { main } from '../../src/cli/main.ts';

installProcessGuards();
process.exitCode = await main(process.argv.slice(2));
exitWhenDone();
