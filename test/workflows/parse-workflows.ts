// Runs GitHub's workflow parser outside vitest: the package imports its JSON schema without an import
// attribute, which Node's loader (vitest externalizes node_modules) refuses; tsx's loader accepts it.
// stdin: [{ name, content }]; stdout: [{ name, errors, events }].
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const files = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { name: string; content: string }[];
const out = [];
for (const f of files) {
  const parsed = parseWorkflow({ name: f.name, content: f.content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  const template = parsed.value && errors.length === 0 ? await convertWorkflowTemplate(parsed.context, parsed.value) : undefined;
  out.push({ name: f.name, errors: [...errors, ...(template?.errors ?? []).map((e) => e.Message)], events: template?.events ?? null });
}
process.stdout.write(JSON.stringify(out));
