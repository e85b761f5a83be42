// Everything solida would send to CloudWatch for a model, checked against the API model and
// CloudWatch's documented rules before anyone writes or sends it.
import type { PutCompositeAlarmInput, PutDashboardInput, PutMetricAlarmInput } from '@aws-sdk/client-cloudwatch';
import type { SolidaModel } from '../slo/model.ts';
import type { CloudWatchOptions } from './options.ts';
import { SolidaError, type Problem } from '../util/errors.ts';
import { generateCloudWatchAlarms } from './alarms.ts';
import { generateCloudWatchDashboards } from './dashboards.ts';
import { validateRequest } from '../aws-models/smithy.ts';
import { checkCompositeAlarms, checkDashboard, checkMetricAlarm } from './constraints.ts';

export interface CloudWatchArtifacts {
  prefix: string;
  metricAlarms: PutMetricAlarmInput[];
  compositeAlarms: PutCompositeAlarmInput[];
  dashboards: PutDashboardInput[];
  notes: string[];
}

export function generateCloudWatch(model: SolidaModel, options: CloudWatchOptions): CloudWatchArtifacts {
  const alarms = generateCloudWatchAlarms(model, options);
  const dashboards = generateCloudWatchDashboards(model, options, alarms);
  const artifacts: CloudWatchArtifacts = {
    prefix: options.prefix,
    metricAlarms: alarms.metricAlarms,
    compositeAlarms: alarms.compositeAlarms,
    dashboards: dashboards.dashboards,
    notes: [...alarms.notes, ...dashboards.notes],
  };
  const problems = checkCloudWatchArtifacts(artifacts, options.maxEvaluationSeconds);
  if (problems.length > 0) {
    throw new SolidaError(`the CloudWatch resources generated from ${model.source} would be rejected by CloudWatch`, 2, problems);
  }
  return artifacts;
}

/** Every problem with the artifacts: API model, CloudWatch rules, unique names under the prefix. */
export function checkCloudWatchArtifacts(a: CloudWatchArtifacts, maxEvaluationSeconds: number): Problem[] {
  const problems: Problem[] = [];
  const withName = (name: string | undefined, ps: Problem[]) => ps.map((p) => ({ ...p, path: p.path?.startsWith(`${name}:`) ? p.path : `${name}: ${p.path}` }));
  const names = new Map<string, string>();
  const own = (kind: string, name: string | undefined) => {
    if (!name) return;
    if (!name.startsWith(`${a.prefix}-`)) problems.push({ path: name, message: `${kind} name is outside the prefix "${a.prefix}-"` });
    const seen = names.get(`${kind === 'dashboard' ? 'd' : 'a'}:${name}`);
    if (seen) problems.push({ path: name, message: `two ${kind}s share this name`, fix: 'rename an SLO, tier or service so names differ' });
    names.set(`${kind === 'dashboard' ? 'd' : 'a'}:${name}`, kind);
  };
  for (const m of a.metricAlarms) {
    own('alarm', m.AlarmName);
    problems.push(...withName(m.AlarmName, validateRequest('cloudwatch', 'PutMetricAlarm', m)));
    problems.push(...checkMetricAlarm(m, maxEvaluationSeconds));
  }
  for (const c of a.compositeAlarms) {
    own('alarm', c.AlarmName);
    problems.push(...withName(c.AlarmName, validateRequest('cloudwatch', 'PutCompositeAlarm', c)));
  }
  problems.push(...checkCompositeAlarms(a.compositeAlarms, new Set(a.metricAlarms.map((m) => m.AlarmName!))));
  for (const d of a.dashboards) {
    own('dashboard', d.DashboardName);
    problems.push(...withName(d.DashboardName, validateRequest('cloudwatch', 'PutDashboard', d)));
    problems.push(...checkDashboard(d));
  }
  return problems;
}
