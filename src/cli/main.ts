// The `solida` command. Each subcommand lives in src/cli/commands/ and registers itself on the program.
import { Command, CommanderError } from 'commander';
import { SolidaError, formatError } from '../util/errors.ts';
import { describeThrown } from './process-guards.ts';
import { registerSloCommands } from './commands/slo.ts';
import { registerCloudWatchCommands } from './commands/cloudwatch.ts';
import { registerApplicationSignalsCommands } from './commands/application-signals.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerGateCommands } from './commands/gate.ts';
import { registerLabCommands } from './commands/lab.ts';
import { registerReportCommands } from './commands/report.ts';
import { registerWorkflowCommands } from './commands/workflows.ts';
import { registerRunbookCommands } from './commands/runbook.ts';
import { registerAwsGamedayCommand, registerFisCommands } from './commands/fis.ts';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('solida')
    .description('Reliability as code: SLOs, burn-rate alerts, CloudWatch, DR game days')
    .exitOverride()
    .showHelpAfterError();
  registerSloCommands(program);
  registerCloudWatchCommands(program);
  registerApplicationSignalsCommands(program);
  registerFisCommands(program);
  registerRunbookCommands(program);
  registerAwsGamedayCommand(program);
  registerGateCommands(program);
  registerLabCommands(program);
  registerReportCommands(program);
  registerWorkflowCommands(program);
  registerDemoCommand(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof SolidaError) {
      process.stderr.write(`${formatError(err)}\n`);
      return err.exitCode;
    }
    process.stderr.write(`internal error: ${describeThrown(err)}\n`);
    if (process.env.SOLIDA_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
