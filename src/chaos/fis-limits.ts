// AWS FIS service quotas (Service Quotas, fis: L-0BFE6B67 actions per template, L-872EC72B stop conditions
// per template, L-6C1E4427 experiment duration, action duration, L-EB051440 parallel actions) and the
// ISO 8601 durations FIS actions take. A template over a quota is rejected by CreateExperimentTemplate or
// StartExperiment, so solida checks before anything is sent.
import type { CreateExperimentTemplateCommandInput } from '@aws-sdk/client-fis';
import type { Problem } from '../util/errors.ts';

export const FIS_QUOTAS = {
  actionsPerTemplate: 20,
  stopConditionsPerTemplate: 5,
  experimentHours: 12,
  actionHours: 12,
  parallelActions: 10,
  /** The API model's ResourceArnList limit (also "Resources per experiment target"). */
  resourceArnsPerTarget: 5,
} as const;

/** Actions take durations from one minute to 12 hours. */
export const MIN_ACTION_SECONDS = 60;
export const MAX_ACTION_SECONDS = FIS_QUOTAS.actionHours * 3600;

/** PT1H30M style text for whole seconds. */
export function isoDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${rest || s === 0 ? `${rest}S` : ''}`;
}

/** Seconds of a PT…H…M…S duration, or undefined when `text` is not one. */
export function parseIsoDuration(text: string): number | undefined {
  const m = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(text);
  if (!m || text === 'PT') return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

type ActionMap = NonNullable<CreateExperimentTemplateCommandInput['actions']>;

/** Seconds an action lasts (its `duration` parameter; actions without one take ~0 s, e.g. stop-task). */
export function actionSeconds(action: ActionMap[string]): number {
  const d = action.parameters?.duration;
  return d === undefined ? 0 : (parseIsoDuration(d) ?? 0);
}

/** The longest chain of startAfter dependencies, in seconds: the experiment's planned duration. */
export function plannedExperimentSeconds(actions: ActionMap): number {
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const finish = (name: string): number => {
    const cached = memo.get(name);
    if (cached !== undefined) return cached;
    if (visiting.has(name)) return Number.POSITIVE_INFINITY; // a cycle never ends; reported separately
    visiting.add(name);
    const action = actions[name];
    const start = Math.max(0, ...(action?.startAfter ?? []).map(finish));
    visiting.delete(name);
    const end = start + (action ? actionSeconds(action) : 0);
    memo.set(name, end);
    return end;
  };
  return Math.max(0, ...Object.keys(actions).map(finish));
}

/** Problems with a template against the FIS quotas and the action/startAfter structure. */
export function checkFisQuotas(template: Pick<CreateExperimentTemplateCommandInput, 'actions' | 'stopConditions' | 'targets'>): Problem[] {
  const problems: Problem[] = [];
  const actions = template.actions ?? {};
  const names = Object.keys(actions);
  if (names.length === 0) problems.push({ path: 'actions', message: 'a template needs at least one action' });
  if (names.length > FIS_QUOTAS.actionsPerTemplate) {
    problems.push({
      path: 'actions',
      message: `${names.length} actions, FIS allows ${FIS_QUOTAS.actionsPerTemplate} per template`,
      fix: 'split the services into several experiments (--service)',
    });
  }
  const stops = template.stopConditions ?? [];
  if (stops.length > FIS_QUOTAS.stopConditionsPerTemplate) {
    problems.push({
      path: 'stopConditions',
      message: `${stops.length} stop conditions, FIS allows ${FIS_QUOTAS.stopConditionsPerTemplate} per template`,
      fix: 'combine the page alarms into one CloudWatch composite alarm and use it as the stop condition',
    });
  }
  const roots = names.filter((n) => !(actions[n].startAfter?.length));
  if (roots.length > FIS_QUOTAS.parallelActions) {
    problems.push({
      path: 'actions',
      message: `${roots.length} actions start together, FIS runs at most ${FIS_QUOTAS.parallelActions} in parallel`,
      fix: 'chain some actions with startAfter or split the experiment',
    });
  }
  for (const name of names) {
    const action = actions[name];
    for (const dep of action.startAfter ?? []) {
      if (!(dep in actions)) problems.push({ path: `actions.${name}.startAfter`, message: `unknown action '${dep}'` });
    }
    for (const [key, target] of Object.entries(action.targets ?? {})) {
      if (!template.targets || !(target in template.targets)) {
        problems.push({ path: `actions.${name}.targets.${key}`, message: `unknown target '${target}'` });
      }
    }
    const d = action.parameters?.duration;
    if (d !== undefined) {
      const s = parseIsoDuration(d);
      if (s === undefined) problems.push({ path: `actions.${name}.parameters.duration`, message: `'${d}' is not an ISO 8601 duration such as PT10M` });
      else if (s < MIN_ACTION_SECONDS || s > MAX_ACTION_SECONDS) {
        problems.push({ path: `actions.${name}.parameters.duration`, message: `${d} is outside FIS's 1 minute to ${FIS_QUOTAS.actionHours} hours` });
      }
    }
  }
  const planned = plannedExperimentSeconds(actions);
  if (!Number.isFinite(planned)) problems.push({ path: 'actions', message: 'startAfter dependencies form a cycle' });
  else if (planned > FIS_QUOTAS.experimentHours * 3600) {
    problems.push({ path: 'actions', message: `the experiment would last ${isoDuration(planned)}, FIS allows ${FIS_QUOTAS.experimentHours} hours` });
  }
  for (const [name, target] of Object.entries(template.targets ?? {})) {
    if ((target.resourceArns?.length ?? 0) > FIS_QUOTAS.resourceArnsPerTarget) {
      problems.push({
        path: `targets.${name}.resourceArns`,
        message: `${target.resourceArns!.length} ARNs, FIS takes at most ${FIS_QUOTAS.resourceArnsPerTarget} per target`,
        fix: 'select the resources by tags instead of ARNs',
      });
    }
  }
  return problems;
}
