// Generates the workflows once per test file, through the CLI command, into a temp dir.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { parse } from 'yaml';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { registerWorkflowCommands } from '../../src/cli/commands/workflows.ts';

export const FILES = ['solida-load-gate.yml', 'solida-error-budget-report.yml', 'solida-game-day.yml'] as const;
export type WorkflowFile = (typeof FILES)[number];

export interface Generated {
  dir: string;
  text: Record<WorkflowFile, string>;
  // Workflow documents are free-form YAML; tests index into them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  doc: Record<WorkflowFile, any>;
  cleanup: () => Promise<void>;
}

/** Runs `solida generate workflows -c examples/solida.config.ts -o <tmp>` in-process (cwd = repo root). */
export async function generate(): Promise<Generated> {
  const dir = await mkdtemp(join(tmpdir(), 'solida-workflows-'));
  const program = new Command('solida').exitOverride();
  registerWorkflowCommands(program);
  const out = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'solida', 'generate', 'workflows', '-c', 'examples/solida.config.ts', '-o', dir]);
  } finally {
    process.stdout.write = out;
  }
  const text = {} as Record<WorkflowFile, string>;
  const doc = {} as Generated['doc'];
  for (const f of FILES) {
    text[f] = await readFile(join(dir, f), 'utf8');
    doc[f] = parse(text[f]);
  }
  return { dir, text, doc, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface ParsedWorkflow {
  name: string;
  errors: string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  events: Record<string, any> | null;
}

const PARSER = fileURLToPath(new URL('./parse-workflows.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

/**
 * GitHub's own workflow parser (the schema github.com and its VS Code extension use): errors and converted
 * triggers. Asynchronous on purpose: a synchronous child blocks the test worker, and a worker blocked for
 * a minute on a loaded machine fails the whole run with vitest's "Timeout calling onTaskUpdate".
 */
export async function parseWithGitHubParser(files: { name: string; content: string }[]): Promise<ParsedWorkflow[]> {
  const out = await new Promise<string>((resolve, reject) => {
    const child = execFile(process.execPath, [TSX, PARSER], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    child.stdin!.end(JSON.stringify(files));
  });
  return JSON.parse(out) as ParsedWorkflow[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function steps(doc: any): any[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return Object.values(doc.jobs).flatMap((j: any) => j.steps as any[]);
}
