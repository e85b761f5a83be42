// Plan and apply CloudWatch resources under a name prefix, like `terraform plan/apply` for solida's
// alarms and dashboards. Reads what exists (DescribeAlarms, ListDashboards + GetDashboard, all pages),
// diffs normalized definitions, then writes in dependency order: metric alarms, composites (children
// first), dashboards; and only with prune, deletes: composites before the alarms they reference.
// Nothing outside `<prefix>-` is read or written; a resource under the prefix is deleted only when
// it carries solida's ownership mark (tag managed-by=solida; for dashboards, a fingerprint of name and body,
// src/cloudwatch/ownership.ts). A dashboard solida cannot prove it wrote is overwritten only with `adopt`.
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DeleteDashboardsCommand,
  DescribeAlarmsCommand,
  GetDashboardCommand,
  ListDashboardsCommand,
  ListTagsForResourceCommand,
  PutCompositeAlarmCommand,
  PutDashboardCommand,
  PutMetricAlarmCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type CompositeAlarm,
  type DescribeAlarmsCommandInput,
  type ListDashboardsCommandInput,
  type MetricAlarm,
  type MetricDataQuery,
  type PutCompositeAlarmInput,
  type PutMetricAlarmInput,
  type Tag,
} from '@aws-sdk/client-cloudwatch';
import { SolidaError } from '../util/errors.ts';
import { canonicalJson, type Json } from '../util/canonical-json.ts';
import type { CloudWatchArtifacts } from '../cloudwatch/generate.ts';
import { assertValidRequest } from '../aws-models/smithy.ts';
import { parseAlarmRule, ruleAlarms } from '../cloudwatch/composite-rule.ts';
import { isManagedBySolida } from '../cloudwatch/alarms.ts';
import { provesOwnership } from '../cloudwatch/ownership.ts';
import { pages } from './pages.ts';

export type ResourceKind = 'metric-alarm' | 'composite-alarm' | 'dashboard';
export type Action = 'create' | 'update' | 'delete' | 'unchanged';

export interface PlanChange {
  kind: ResourceKind;
  name: string;
  action: Action;
  /** Top-level fields that differ (updates only); `Tags` when only TagResource/UntagResource can fix it. */
  fields?: string[];
  /** Tag drift on an existing alarm: PutMetricAlarm/PutCompositeAlarm ignore Tags on update. */
  tags?: TagChange;
  /** A delete that makes room for a create under the same name (kind change): done first, even without prune. */
  replaced?: boolean;
  /**
   * Composite alarms solida does not manage (or will still reference it after apply) whose AlarmRule
   * names this alarm: CloudWatch refuses to delete it while they do, so apply refuses first.
   */
  blockedBy?: string[];
}

export interface TagChange {
  arn: string;
  /** Tags to add or whose value changes (TagResource). */
  set: Tag[];
  /** Keys to remove (UntagResource). */
  remove: string[];
}

export interface CloudWatchPlan {
  prefix: string;
  changes: PlanChange[];
  /** Resources under the prefix that solida does not own: never changed. */
  foreign: string[];
  /** Wanted dashboards whose name is taken by one solida cannot prove it wrote: apply refuses unless adopting. */
  dashboardConflicts: string[];
  /** Dashboards taken over (adopt): written although solida did not write what is there now. */
  adopted: string[];
  desired: CloudWatchArtifacts;
  /** Existing composite rules, to delete parents before children. */
  existingComposites: Map<string, string[]>;
}

// ---------- normalization: the same shape for what exists and what is wanted ----------

/** Sorted keys, no undefined, no empty lists: two equal definitions give the same text. */
const canonical = (value: unknown): Json => canonicalJson(value, { dropEmptyLists: true });

const sortDims = (d?: { Name?: string; Value?: string }[]) =>
  d && [...d].sort((a, b) => (a.Name ?? '').localeCompare(b.Name ?? '')).map((x) => ({ Name: x.Name, Value: x.Value }));

function normalizeQuery(q: MetricDataQuery) {
  return {
    Id: q.Id,
    Expression: q.Expression,
    Label: q.Label,
    ReturnData: q.ReturnData ?? true,
    Period: q.Period,
    AccountId: q.AccountId,
    MetricStat: q.MetricStat && {
      Metric: { Namespace: q.MetricStat.Metric?.Namespace, MetricName: q.MetricStat.Metric?.MetricName, Dimensions: sortDims(q.MetricStat.Metric?.Dimensions) },
      Period: q.MetricStat.Period,
      Stat: q.MetricStat.Stat,
      Unit: q.MetricStat.Unit,
    },
  };
}

export function normalizeMetricAlarm(a: PutMetricAlarmInput | MetricAlarm): Record<string, Json> {
  return canonical({
    AlarmDescription: a.AlarmDescription,
    ActionsEnabled: a.ActionsEnabled ?? true,
    OKActions: a.OKActions,
    AlarmActions: a.AlarmActions,
    InsufficientDataActions: a.InsufficientDataActions,
    MetricName: a.MetricName,
    Namespace: a.Namespace,
    Statistic: a.Statistic,
    ExtendedStatistic: a.ExtendedStatistic,
    Dimensions: sortDims(a.Dimensions),
    Period: a.Period,
    Unit: a.Unit,
    EvaluationPeriods: a.EvaluationPeriods,
    DatapointsToAlarm: a.DatapointsToAlarm ?? a.EvaluationPeriods,
    Threshold: a.Threshold,
    ComparisonOperator: a.ComparisonOperator,
    TreatMissingData: a.TreatMissingData ?? 'missing',
    EvaluateLowSampleCountPercentile: a.EvaluateLowSampleCountPercentile,
    Metrics: a.Metrics?.map(normalizeQuery),
    ThresholdMetricId: a.ThresholdMetricId,
  }) as Record<string, Json>;
}

export function normalizeCompositeAlarm(a: PutCompositeAlarmInput | CompositeAlarm): Record<string, Json> {
  return canonical({
    AlarmDescription: a.AlarmDescription,
    AlarmRule: a.AlarmRule,
    ActionsEnabled: a.ActionsEnabled ?? true,
    AlarmActions: a.AlarmActions,
    OKActions: a.OKActions,
    InsufficientDataActions: a.InsufficientDataActions,
    ActionsSuppressor: a.ActionsSuppressor,
    ActionsSuppressorWaitPeriod: a.ActionsSuppressorWaitPeriod,
    ActionsSuppressorExtensionPeriod: a.ActionsSuppressorExtensionPeriod,
  }) as Record<string, Json>;
}

export function normalizeDashboardBody(body: string | undefined): Record<string, Json> {
  try {
    return { body: canonical(JSON.parse(body ?? '{}')) };
  } catch {
    return { body: body ?? '' };
  }
}

function changedFields(a: Record<string, Json>, b: Record<string, Json>): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

// ---------- reading what exists ----------

interface Existing {
  metric: Map<string, MetricAlarm>;
  composite: Map<string, CompositeAlarm>;
  dashboards: Map<string, string>;
}

async function send<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof SolidaError) throw err;
    throw new SolidaError(`CloudWatch ${what} failed: ${describeSdkError(err)}`, 1);
  }
}

/**
 * One line for an SDK error. An answer that is not CloudWatch's (an emulator without the operation, a proxy's
 * error page) surfaces as a multi-line deserialization error about "<!doctype": say what happened instead.
 */
function describeSdkError(err: unknown): string {
  const e = err as Error & { $metadata?: { httpStatusCode?: number }; $response?: unknown };
  const status = e.$metadata?.httpStatusCode;
  if (/Deserialization error/.test(e.message ?? '')) {
    return `the endpoint answered${status ? ` HTTP ${status}` : ''} with something that is not a CloudWatch response (an emulator that lacks this operation?)`;
  }
  return String(e.message ?? err).split('\n')[0];
}

async function readExisting(client: CloudWatchClient, prefix: string): Promise<Existing> {
  const namePrefix = `${prefix}-`;
  const metric = new Map<string, MetricAlarm>();
  const composite = new Map<string, CompositeAlarm>();
  const alarmPages = pages((NextToken) => {
    const input: DescribeAlarmsCommandInput = { AlarmNamePrefix: namePrefix, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, NextToken };
    assertValidRequest('cloudwatch', 'DescribeAlarms', input);
    return send('DescribeAlarms', () => client.send(new DescribeAlarmsCommand(input)));
  });
  for await (const page of alarmPages) {
    for (const a of page.MetricAlarms ?? []) if (a.AlarmName?.startsWith(namePrefix)) metric.set(a.AlarmName, a);
    for (const a of page.CompositeAlarms ?? []) if (a.AlarmName?.startsWith(namePrefix)) composite.set(a.AlarmName, a);
  }

  const dashboards = new Map<string, string>();
  const names: string[] = [];
  const dashboardPages = pages((NextToken) => {
    const input: ListDashboardsCommandInput = { DashboardNamePrefix: namePrefix, NextToken };
    assertValidRequest('cloudwatch', 'ListDashboards', input);
    return send('ListDashboards', () => client.send(new ListDashboardsCommand(input)));
  });
  for await (const page of dashboardPages) for (const e of page.DashboardEntries ?? []) if (e.DashboardName?.startsWith(namePrefix)) names.push(e.DashboardName);
  for (const name of names) {
    const input = { DashboardName: name };
    assertValidRequest('cloudwatch', 'GetDashboard', input);
    const d = await send(`GetDashboard ${name}`, () => client.send(new GetDashboardCommand(input)));
    dashboards.set(name, d.DashboardBody ?? '');
  }
  return { metric, composite, dashboards };
}

async function readTags(client: CloudWatchClient, arn: string | undefined): Promise<Tag[]> {
  if (!arn) return [];
  const input = { ResourceARN: arn };
  assertValidRequest('cloudwatch', 'ListTagsForResource', input);
  const tags = await send(`ListTagsForResource ${arn}`, () => client.send(new ListTagsForResourceCommand(input)));
  return tags.Tags ?? [];
}

/** Keys starting with `aws:` are reserved for AWS and cannot be removed by callers. */
export function diffTags(arn: string, have: Tag[], want: Tag[] | undefined): TagChange | undefined {
  const current = new Map(have.map((t) => [t.Key!, t.Value ?? '']));
  const wanted = new Map((want ?? []).map((t) => [t.Key!, t.Value ?? '']));
  const set = [...wanted].filter(([k, v]) => current.get(k) !== v).sort(([a], [b]) => a.localeCompare(b)).map(([Key, Value]) => ({ Key, Value }));
  const remove = [...current.keys()].filter((k) => !wanted.has(k) && !k.startsWith('aws:')).sort();
  return set.length || remove.length ? { arn, set, remove } : undefined;
}

// ---------- plan ----------

/**
 * adopt: take over dashboards solida cannot prove it wrote. skipComposites: composite alarms are neither
 * written nor deleted (existing ones are left as they are, and still block deleting what they reference) —
 * for an endpoint without PutCompositeAlarm, such as moto.
 */
export async function planCloudWatch(client: CloudWatchClient, desired: CloudWatchArtifacts, opts: { adopt?: boolean; skipComposites?: boolean } = {}): Promise<CloudWatchPlan> {
  if (opts.skipComposites) desired = { ...desired, compositeAlarms: [] };
  const existing = await readExisting(client, desired.prefix);
  const changes: PlanChange[] = [];
  const foreign: string[] = [];
  const dashboardConflicts: string[] = [];
  const adopted: string[] = [];

  const wantMetric = new Map(desired.metricAlarms.map((a) => [a.AlarmName!, a]));
  const wantComposite = new Map(desired.compositeAlarms.map((a) => [a.AlarmName!, a]));
  const wantDashboards = new Map(desired.dashboards.map((d) => [d.DashboardName!, d.DashboardBody!]));
  const wantedKind = (name: string): ResourceKind | undefined => (wantMetric.has(name) ? 'metric-alarm' : wantComposite.has(name) ? 'composite-alarm' : undefined);
  const existingKind = (name: string): ResourceKind => (existing.metric.has(name) ? 'metric-alarm' : 'composite-alarm');

  const existingComposites = new Map<string, string[]>();
  for (const [name, c] of existing.composite) {
    try {
      existingComposites.set(name, ruleAlarms(parseAlarmRule(c.AlarmRule ?? '')));
    } catch {
      existingComposites.set(name, []);
    }
  }

  // Tags of every existing alarm, read once: they tell ownership and tag drift.
  const existingAlarms = [...existing.metric, ...existing.composite] as [string, MetricAlarm | CompositeAlarm][];
  const tags = new Map<string, Tag[]>();
  // One at a time: a burst of reads could run into CloudWatch's per-account request-rate quotas.
  for (const [name, a] of existingAlarms) tags.set(name, await readTags(client, a.AlarmArn));
  const owned = (name: string) => isManagedBySolida(tags.get(name));

  // AWS keeps one alarm per name, so a kind change (metric ↔ composite) is delete + create, and the delete
  // must come first. Composites still referencing a replaced alarm block its deletion: they go too.
  const replaced = new Set(existingAlarms.map(([n]) => n).filter((n) => owned(n) && wantedKind(n) && wantedKind(n) !== existingKind(n)));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [parent, refs] of existingComposites) {
      if (replaced.has(parent) || !owned(parent) || !refs.some((r) => replaced.has(r))) continue;
      replaced.add(parent);
      grew = true;
    }
  }
  for (const name of replaced) changes.push({ kind: existingKind(name), name, action: 'delete', replaced: true });

  const diffAlarms = <D extends { Tags?: Tag[] }, E extends { AlarmArn?: string }>(kind: ResourceKind, want: Map<string, D>, have: Map<string, E>, norm: (x: D | E) => Record<string, Json>) => {
    for (const [name, d] of want) {
      const e = have.get(name);
      const held = existing.metric.has(name) || existing.composite.has(name);
      if (held && !owned(name)) foreign.push(name);
      else if (replaced.has(name) || !e) changes.push({ kind, name, action: 'create' });
      else {
        const fields = changedFields(norm(e), norm(d));
        const tagChange = diffTags(e.AlarmArn!, tags.get(name) ?? [], d.Tags);
        if (tagChange) fields.push('Tags');
        changes.push(fields.length ? { kind, name, action: 'update', fields, ...(tagChange ? { tags: tagChange } : {}) } : { kind, name, action: 'unchanged' });
      }
    }
  };
  diffAlarms('metric-alarm', wantMetric, existing.metric, (x) => normalizeMetricAlarm(x as MetricAlarm));
  diffAlarms('composite-alarm', wantComposite, existing.composite, (x) => normalizeCompositeAlarm(x as CompositeAlarm));
  for (const [name, d] of wantDashboards) {
    const e = existing.dashboards.get(name);
    if (e === undefined) changes.push({ kind: 'dashboard', name, action: 'create' });
    else if (!provesOwnership(name, e) && !opts.adopt) {
      foreign.push(name);
      dashboardConflicts.push(name);
    } else {
      if (!provesOwnership(name, e)) adopted.push(name);
      const fields = changedFields(normalizeDashboardBody(e), normalizeDashboardBody(d));
      changes.push(fields.length ? { kind: 'dashboard', name, action: 'update', fields } : { kind: 'dashboard', name, action: 'unchanged' });
    }
  }

  for (const [name] of existingAlarms) {
    if (wantedKind(name) || replaced.has(name)) continue;
    if (opts.skipComposites && existing.composite.has(name)) continue;
    if (owned(name)) changes.push({ kind: existingKind(name), name, action: 'delete' });
    else foreign.push(name);
  }
  for (const [name, body] of existing.dashboards) {
    if (wantDashboards.has(name)) continue;
    if (provesOwnership(name, body)) changes.push({ kind: 'dashboard', name, action: 'delete' });
    else foreign.push(name);
  }
  await findDeleteBlockers(client, changes, wantComposite);
  return { prefix: desired.prefix, changes, foreign, dashboardConflicts, adopted, desired, existingComposites };
}

/**
 * Asks CloudWatch which composites reference each alarm to be deleted (any name, not only under the
 * prefix: a team's own composite may watch solida's alarms). A parent blocks the delete unless it is
 * deleted too, or is solida's and its wanted rule (written before the deletes) no longer names it.
 */
async function findDeleteBlockers(client: CloudWatchClient, changes: PlanChange[], wantComposite: Map<string, PutCompositeAlarmInput>): Promise<void> {
  const deleted = new Set(changes.filter((c) => c.action === 'delete' && c.kind !== 'dashboard').map((c) => c.name));
  const replaced = new Set(changes.filter((c) => c.replaced).map((c) => c.name));
  for (const change of changes) {
    if (change.action !== 'delete' || change.kind === 'dashboard') continue;
    const blockers: string[] = [];
    for (const parent of await parentsOf(client, change.name)) {
      if (deleted.has(parent) && !wantComposite.has(parent)) continue;
      if (replaced.has(parent)) continue; // deleted before, recreated after
      const wanted = wantComposite.get(parent);
      if (wanted && !ruleAlarms(parseAlarmRule(wanted.AlarmRule ?? '')).includes(change.name)) continue;
      blockers.push(parent);
    }
    if (blockers.length) change.blockedBy = blockers.sort();
  }
}

async function parentsOf(client: CloudWatchClient, alarm: string): Promise<string[]> {
  const parents: string[] = [];
  const parentPages = pages((NextToken) => {
    // With ParentsOfAlarmName, CloudWatch accepts only MaxRecords and NextToken besides it.
    const input: DescribeAlarmsCommandInput = { ParentsOfAlarmName: alarm, MaxRecords: 100, NextToken };
    assertValidRequest('cloudwatch', 'DescribeAlarms', input);
    return send(`DescribeAlarms (parents of ${alarm})`, () => client.send(new DescribeAlarmsCommand(input)));
  });
  for await (const page of parentPages) for (const a of [...(page.CompositeAlarms ?? []), ...(page.MetricAlarms ?? [])]) if (a.AlarmName) parents.push(a.AlarmName);
  return parents;
}

/** Composite names ordered so every composite comes after the composites it references. */
function childrenFirst(names: string[], refs: (name: string) => string[]): string[] {
  const set = new Set(names);
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const r of refs(n)) if (set.has(r)) visit(r);
    out.push(n);
  };
  for (const n of names) visit(n);
  return out;
}

// ---------- apply ----------

export interface ApplyResult {
  /** Requests sent, in order: operation and resource names. */
  sent: { operation: string; names: string[] }[];
  /** Deletions the plan holds that were not made because prune was off. */
  keptWithoutPrune: string[];
}

export async function applyCloudWatch(client: CloudWatchClient, plan: CloudWatchPlan, opts: { prune: boolean }): Promise<ApplyResult> {
  // Same rule as alarms: what solida did not make is not overwritten, unless taken over on purpose.
  if (plan.dashboardConflicts?.length) {
    throw new SolidaError(`refusing to overwrite ${plan.dashboardConflicts.length} dashboard(s) solida did not write (nothing was sent)`, 2, plan.dashboardConflicts.map((name) => ({
      path: name,
      message: 'the name is taken by a dashboard without a matching solida fingerprint (made by someone else, or edited in the console)',
      fix: 'choose another --prefix, delete or rename that dashboard, or pass --adopt to take it over',
    })));
  }
  // A delete CloudWatch would refuse half-way: refuse before sending anything.
  const blocked = plan.changes.filter((c) => c.blockedBy?.length && (c.replaced || opts.prune));
  if (blocked.length) {
    throw new SolidaError(
      `cannot apply: ${blocked.length === 1 ? 'an alarm' : `${blocked.length} alarms`} to delete ${blocked.length === 1 ? 'is' : 'are'} still referenced by composite alarms`,
      2,
      blocked.map((c) => ({
        path: c.name,
        message: `referenced by ${c.blockedBy!.join(', ')} (composite alarm${c.blockedBy!.length > 1 ? 's' : ''} solida does not manage)`,
        fix: c.replaced
          ? `remove ${c.name} from their AlarmRule (it changes kind and must be deleted first), apply, then add it back`
          : `remove ${c.name} from their AlarmRule, or apply without --prune to keep it`,
      })),
    );
  }
  const result: ApplyResult = { sent: [], keptWithoutPrune: [] };
  // Tag-only updates need no Put: PutMetricAlarm/PutCompositeAlarm would ignore the tags anyway.
  const needsPut = (c: PlanChange) => c.action === 'create' || (c.action === 'update' && (c.fields ?? []).some((f) => f !== 'Tags'));
  const write = (kind: ResourceKind) => new Set(plan.changes.filter((c) => c.kind === kind && needsPut(c)).map((c) => c.name));

  await deleteAlarmsParentsFirst(client, plan, plan.changes.filter((c) => c.action === 'delete' && c.replaced), result);

  const metricWrites = write('metric-alarm');
  for (const a of plan.desired.metricAlarms.filter((x) => metricWrites.has(x.AlarmName!))) {
    assertValidRequest('cloudwatch', 'PutMetricAlarm', a, `alarm ${a.AlarmName}`);
    await send(`PutMetricAlarm ${a.AlarmName}`, () => client.send(new PutMetricAlarmCommand(a)));
    result.sent.push({ operation: 'PutMetricAlarm', names: [a.AlarmName!] });
  }

  const compositeWrites = write('composite-alarm');
  const wanted = new Map(plan.desired.compositeAlarms.map((c) => [c.AlarmName!, c]));
  const order = childrenFirst([...wanted.keys()], (n) => ruleAlarms(parseAlarmRule(wanted.get(n)!.AlarmRule!)));
  for (const name of order.filter((n) => compositeWrites.has(n))) {
    const c = wanted.get(name)!;
    assertValidRequest('cloudwatch', 'PutCompositeAlarm', c, `composite alarm ${name}`);
    await send(`PutCompositeAlarm ${name}`, () => client.send(new PutCompositeAlarmCommand(c)));
    result.sent.push({ operation: 'PutCompositeAlarm', names: [name] });
  }

  for (const c of plan.changes) if (c.tags) await applyTags(client, c.name, c.tags, result);

  const dashboardWrites = write('dashboard');
  for (const d of plan.desired.dashboards.filter((x) => dashboardWrites.has(x.DashboardName!))) {
    assertValidRequest('cloudwatch', 'PutDashboard', d, `dashboard ${d.DashboardName}`);
    await send(`PutDashboard ${d.DashboardName}`, () => client.send(new PutDashboardCommand(d)));
    result.sent.push({ operation: 'PutDashboard', names: [d.DashboardName!] });
  }

  const deletes = plan.changes.filter((c) => c.action === 'delete' && !c.replaced);
  if (!opts.prune) {
    result.keptWithoutPrune = deletes.map((c) => c.name);
    return result;
  }
  await deleteAlarmsParentsFirst(client, plan, deletes, result);
  const dashboards = deletes.filter((c) => c.kind === 'dashboard').map((c) => c.name);
  for (let i = 0; i < dashboards.length; i += 100) {
    const input = { DashboardNames: dashboards.slice(i, i + 100) };
    assertValidRequest('cloudwatch', 'DeleteDashboards', input);
    await send('DeleteDashboards', () => client.send(new DeleteDashboardsCommand(input)));
    result.sent.push({ operation: 'DeleteDashboards', names: input.DashboardNames });
  }
  return result;
}

async function applyTags(client: CloudWatchClient, name: string, change: TagChange, result: ApplyResult): Promise<void> {
  if (change.set.length) {
    const input = { ResourceARN: change.arn, Tags: change.set };
    assertValidRequest('cloudwatch', 'TagResource', input, `tags of ${name}`);
    await send(`TagResource ${name}`, () => client.send(new TagResourceCommand(input)));
    result.sent.push({ operation: 'TagResource', names: [name] });
  }
  if (change.remove.length) {
    const input = { ResourceARN: change.arn, TagKeys: change.remove };
    assertValidRequest('cloudwatch', 'UntagResource', input, `tags of ${name}`);
    await send(`UntagResource ${name}`, () => client.send(new UntagResourceCommand(input)));
    result.sent.push({ operation: 'UntagResource', names: [name] });
  }
}

/** Composites before the alarms they reference (reverse of children-first), then metric alarms. */
async function deleteAlarmsParentsFirst(client: CloudWatchClient, plan: CloudWatchPlan, deletes: PlanChange[], result: ApplyResult): Promise<void> {
  const composites = deletes.filter((c) => c.kind === 'composite-alarm').map((c) => c.name);
  const parentsFirst = childrenFirst(composites, (n) => plan.existingComposites.get(n) ?? []).reverse();
  for (const name of parentsFirst) await deleteAlarms(client, [name], result);
  await deleteAlarms(client, deletes.filter((c) => c.kind === 'metric-alarm').map((c) => c.name), result);
}

async function deleteAlarms(client: CloudWatchClient, names: string[], result: ApplyResult): Promise<void> {
  for (let i = 0; i < names.length; i += 100) {
    const input = { AlarmNames: names.slice(i, i + 100) };
    assertValidRequest('cloudwatch', 'DeleteAlarms', input);
    await send('DeleteAlarms', () => client.send(new DeleteAlarmsCommand(input)));
    result.sent.push({ operation: 'DeleteAlarms', names: input.AlarmNames });
  }
}

// ---------- output ----------

const SYMBOL: Record<Action, string> = { create: '+', update: '~', delete: '-', unchanged: '=' };

export function formatPlan(plan: CloudWatchPlan, opts: { prune: boolean; showUnchanged?: boolean }): string {
  const lines: string[] = [];
  const count = (a: Action) => plan.changes.filter((c) => c.action === a && !c.replaced).length;
  const replacements = plan.changes.filter((c) => c.replaced).length;
  for (const c of plan.changes) {
    if (c.action === 'unchanged' && !opts.showUnchanged) continue;
    const extra = c.fields
      ? ` (${c.fields.map((f) => (f === 'Tags' && c.tags ? `Tags: ${formatTags(c.tags)}` : f)).join(', ')})`
      : c.replaced
        ? ' (replaced: the alarm changes kind under the same name)'
        : c.action === 'delete' && !opts.prune ? ' (kept: run with --prune to delete)' : '';
    const blocked = c.blockedBy?.length ? ` (blocked: referenced by ${c.blockedBy.join(', ')}; CloudWatch refuses the delete until their AlarmRule drops it)` : '';
    lines.push(`  ${SYMBOL[c.action]} ${c.kind} ${c.name}${extra}${blocked}`);
  }
  for (const f of plan.foreign) {
    lines.push(plan.dashboardConflicts?.includes(f)
      ? `  ! ${f}: dashboard solida did not write (or edited since) has a name solida wants; apply refuses (use --adopt to take it over)`
      : `  ! ${f}: under the prefix but not managed by solida; left alone`);
  }
  for (const a of plan.adopted ?? []) lines.push(`  ~ ${a}: adopted (--adopt): solida's version replaces it`);
  const replacing = replacements ? `, ${replacements} to replace (delete, then create)` : '';
  lines.push(`Plan: ${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete${opts.prune ? '' : ' (only with --prune)'}${replacing}, ${count('unchanged')} unchanged.`);
  return lines.join('\n');
}

const formatTags = (t: TagChange) => [...t.set.map((x) => `+${x.Key}=${x.Value}`), ...t.remove.map((k) => `-${k}`)].join(' ');
