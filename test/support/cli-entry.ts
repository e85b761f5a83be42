// The CLI in a child process for tests that need one (their own environment, a real exit code, signals):
// the current sources through tsx — never dist/, which may be older than the code under test.
import { main } from '../../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
