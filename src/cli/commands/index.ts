// Every top-level command: its one-line summary for `solida --help`, and the modules that register it.
// main() loads only the modules of the command being run, so `solida validate` never loads the AWS SDK,
// OpenTelemetry or the lab. test/cli/conventions.test.ts checks this table against what the modules register.
import type { Command } from 'commander';

export type Register = (program: Command) => void;

export interface CommandEntry {
  name: string;
  /** Positional arguments as shown in the root help, e.g. '<scenario>'. */
  args?: string;
  summary: string;
  modules: Array<() => Promise<Register>>;
}

const slo = async () => (await import('./slo.ts')).registerSloCommands;
const cloudwatch = async () => (await import('./cloudwatch.ts')).registerCloudWatchCommands as Register;
const applicationSignals = async () => (await import('./application-signals.ts')).registerApplicationSignalsCommands as Register;
const fis = async () => (await import('./fis.ts')).registerFisCommands;
const gameday = async () => (await import('./fis.ts')).registerAwsGamedayCommand;
const runbook = async () => (await import('./runbook.ts')).registerRunbookCommands;
const gate = async () => (await import('./gate.ts')).registerGateCommands;
const lab = async () => (await import('./lab.ts')).registerLabCommands;
const report = async () => (await import('./report.ts')).registerReportCommands as Register;
const workflows = async () => (await import('./workflows.ts')).registerWorkflowCommands;
const demo = async () => (await import('./demo.ts')).registerDemoCommand;
const serve = async () => (await import('./serve.ts')).registerServeCommand;
const grafana = async () => (await import('./grafana.ts')).registerGrafanaCommand;
const init = async () => (await import('./init.ts')).registerInitCommand;

export const COMMANDS: CommandEntry[] = [
  { name: 'init', summary: 'write a commented solida.config.ts for a service', modules: [init] },
  { name: 'validate', summary: 'validate a spec (TypeScript, solida YAML, Sloth, OpenSLO); --explain shows the burn-rate math', modules: [slo] },
  {
    name: 'generate',
    summary: 'generate Prometheus rules, CloudWatch, Application Signals SLOs, FIS, k6 scripts, Grafana dashboards or CI workflows',
    modules: [slo, cloudwatch, applicationSignals, fis, gate, workflows, grafana],
  },
  { name: 'export', summary: 'write the SLOs in another spec format (OpenSLO)', modules: [slo] },
  { name: 'plan', summary: 'show what apply would change in AWS', modules: [cloudwatch, applicationSignals] },
  { name: 'apply', summary: 'make AWS match the generated resources (asks first)', modules: [cloudwatch, applicationSignals] },
  { name: 'gameday', args: '<scenario>', summary: 'run a DR game day (lab or AWS FIS) and measure RTO/RPO', modules: [gameday] },
  { name: 'runbook', summary: 'DR runbooks: list, show, run with a journal', modules: [runbook] },
  { name: 'lab', summary: 'the local region lab: up, status, down, logs', modules: [lab] },
  { name: 'gate', summary: 'pass/fail a build on load-test results against the SLOs', modules: [gate] },
  { name: 'report', summary: 'error-budget report per SLO (Markdown, JSON, HTML)', modules: [report] },
  { name: 'serve', summary: 'live SLO web view (list + detail) over Prometheus or CloudWatch, on 127.0.0.1', modules: [serve] },
  { name: 'demo', summary: 'end-to-end run on the embedded example, ending with a game day', modules: [demo] },
];
