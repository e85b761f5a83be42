// Plan and apply Application Signals SLOs under a name prefix, as `plan/apply cloudwatch` does for alarms:
// read what exists (ListServiceLevelObjectives, all pages; GetServiceLevelObjective; tags for ownership),
// diff, then create, update, and only with prune delete. An SLO under the prefix is changed or deleted only
// when it carries solida's tag managed-by=solida; others are listed as foreign and left alone.
// Every request is validated against application-signals-2024-04-15.json before it is sent.
import {
  ApplicationSignalsClient,
  CreateServiceLevelObjectiveCommand,
  DeleteServiceLevelObjectiveCommand,
  GetServiceLevelObjectiveCommand,
  ListServiceLevelObjectivesCommand,
  ListTagsForResourceCommand,
  UpdateServiceLevelObjectiveCommand,
  type CreateServiceLevelObjectiveInput,
  type MetricDataQuery,
  type ServiceLevelObjective,
} from '@aws-sdk/client-application-signals';
import { SolidaError } from '../util/errors.ts';
import { canonicalJson, type Json } from '../util/canonical-json.ts';
import { assertValidRequest } from '../aws-models/smithy.ts';
import { isManagedBySolida } from '../cloudwatch/alarms.ts';
import type { ApplicationSignalsArtifacts } from '../cloudwatch/application-signals.ts';
import { pages } from './pages.ts';

export type SloAction = 'create' | 'update' | 'delete' | 'unchanged';

export interface SloChange {
  name: string;
  action: SloAction;
  /** Fields that differ (updates only). */
  fields?: string[];
}

export interface ApplicationSignalsPlan {
  prefix: string;
  changes: SloChange[];
  /** SLOs under the prefix solida does not own: never changed. */
  foreign: string[];
  desired: ApplicationSignalsArtifacts;
  /** ARN of each existing SLO by name (Update/Delete take the ARN or name). */
  arns: Map<string, string>;
}

export interface SloApplyResult {
  sent: { operation: string; name: string }[];
  keptWithoutPrune: string[];
}

async function send<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new SolidaError(`Application Signals ${what} failed: ${(err as Error).message}`, 1);
  }
}

// ---------- normalization ----------

// An empty list counts as unset: a metric without dimensions is sent as `Dimensions: []`, and a service
// that returns it without the member must not show as a change on every plan.
const queries = (q: MetricDataQuery[] | undefined) => canonicalJson((q ?? []).map((x) => ({ ...x, ReturnData: x.ReturnData ?? true })), { dropEmptyLists: true });

/** The fields solida sets, in one shape for the create request and for what GetServiceLevelObjective returns. */
export function normalizeSlo(x: CreateServiceLevelObjectiveInput | ServiceLevelObjective): Record<string, Json> {
  const metric = 'RequestBasedSliConfig' in x && x.RequestBasedSliConfig
    ? x.RequestBasedSliConfig.RequestBasedSliMetricConfig
    : (x as ServiceLevelObjective).RequestBasedSli?.RequestBasedSliMetric;
  const monitored = metric?.MonitoredRequestCountMetric as { GoodCountMetric?: MetricDataQuery[]; BadCountMetric?: MetricDataQuery[] } | undefined;
  return {
    Description: x.Description ?? null,
    TotalRequestCountMetric: queries(metric?.TotalRequestCountMetric),
    BadCountMetric: queries(monitored?.BadCountMetric),
    GoodCountMetric: queries(monitored?.GoodCountMetric),
    // The service fills WarningThreshold (50 %) when none is given: solida does not set it.
    Interval: canonicalJson(x.Goal?.Interval),
    AttainmentGoal: x.Goal?.AttainmentGoal ?? null,
    BurnRateConfigurations: canonicalJson([...(x.BurnRateConfigurations ?? [])].map((b) => b.LookBackWindowMinutes).sort((a, b) => (a ?? 0) - (b ?? 0))),
  };
}

// ---------- plan ----------

async function listUnderPrefix(client: ApplicationSignalsClient, namePrefix: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const sloPages = pages((NextToken) => {
    const input = { MaxResults: 50, NextToken };
    assertValidRequest('application-signals', 'ListServiceLevelObjectives', input);
    return send('ListServiceLevelObjectives', () => client.send(new ListServiceLevelObjectivesCommand(input)));
  });
  for await (const page of sloPages) for (const s of page.SloSummaries ?? []) if (s.Name?.startsWith(namePrefix) && s.Arn) found.set(s.Name, s.Arn);
  return found;
}

async function owned(client: ApplicationSignalsClient, arn: string): Promise<boolean> {
  const input = { ResourceArn: arn };
  assertValidRequest('application-signals', 'ListTagsForResource', input);
  const tags = await send(`ListTagsForResource ${arn}`, () => client.send(new ListTagsForResourceCommand(input)));
  return isManagedBySolida(tags.Tags);
}

export async function planApplicationSignals(client: ApplicationSignalsClient, desired: ApplicationSignalsArtifacts): Promise<ApplicationSignalsPlan> {
  for (const r of desired.requests) assertValidRequest('application-signals', 'CreateServiceLevelObjective', r, `SLO ${r.Name}`);
  const existing = await listUnderPrefix(client, `${desired.prefix}-`);
  const changes: SloChange[] = [];
  const foreign: string[] = [];
  const mine = new Map<string, boolean>();
  for (const [name, arn] of existing) mine.set(name, await owned(client, arn));

  for (const want of desired.requests) {
    const name = want.Name!;
    const arn = existing.get(name);
    if (!arn) {
      changes.push({ name, action: 'create' });
      continue;
    }
    if (!mine.get(name)) {
      foreign.push(name);
      continue;
    }
    const input = { Id: arn };
    assertValidRequest('application-signals', 'GetServiceLevelObjective', input);
    const got = await send(`GetServiceLevelObjective ${name}`, () => client.send(new GetServiceLevelObjectiveCommand(input)));
    if (!got.Slo) throw new SolidaError(`Application Signals returned no SLO for ${name}`, 1);
    const have = normalizeSlo(got.Slo);
    const wantN = normalizeSlo(want);
    const fields = Object.keys(wantN).filter((k) => JSON.stringify(have[k]) !== JSON.stringify(wantN[k]));
    changes.push(fields.length ? { name, action: 'update', fields } : { name, action: 'unchanged' });
  }
  const wanted = new Set(desired.requests.map((r) => r.Name));
  for (const [name] of existing) {
    if (wanted.has(name)) continue;
    if (mine.get(name)) changes.push({ name, action: 'delete' });
    else foreign.push(name);
  }
  return { prefix: desired.prefix, changes, foreign, desired, arns: existing };
}

// ---------- apply ----------

export async function applyApplicationSignals(client: ApplicationSignalsClient, plan: ApplicationSignalsPlan, opts: { prune: boolean }): Promise<SloApplyResult> {
  const result: SloApplyResult = { sent: [], keptWithoutPrune: [] };
  const wanted = new Map(plan.desired.requests.map((r) => [r.Name!, r]));
  for (const c of plan.changes) {
    const want = wanted.get(c.name);
    if (c.action === 'create' && want) {
      assertValidRequest('application-signals', 'CreateServiceLevelObjective', want, `SLO ${c.name}`);
      await send(`CreateServiceLevelObjective ${c.name}`, () => client.send(new CreateServiceLevelObjectiveCommand(want)));
      result.sent.push({ operation: 'CreateServiceLevelObjective', name: c.name });
    } else if (c.action === 'update' && want) {
      // Tags and Name are not part of an update: ownership tags were set at create.
      const input = { Id: plan.arns.get(c.name)!, Description: want.Description, RequestBasedSliConfig: want.RequestBasedSliConfig, Goal: want.Goal, BurnRateConfigurations: want.BurnRateConfigurations };
      assertValidRequest('application-signals', 'UpdateServiceLevelObjective', input, `SLO ${c.name}`);
      await send(`UpdateServiceLevelObjective ${c.name}`, () => client.send(new UpdateServiceLevelObjectiveCommand(input)));
      result.sent.push({ operation: 'UpdateServiceLevelObjective', name: c.name });
    } else if (c.action === 'delete') {
      if (!opts.prune) {
        result.keptWithoutPrune.push(c.name);
        continue;
      }
      const input = { Id: plan.arns.get(c.name)! };
      assertValidRequest('application-signals', 'DeleteServiceLevelObjective', input, `SLO ${c.name}`);
      await send(`DeleteServiceLevelObjective ${c.name}`, () => client.send(new DeleteServiceLevelObjectiveCommand(input)));
      result.sent.push({ operation: 'DeleteServiceLevelObjective', name: c.name });
    }
  }
  return result;
}

const SYMBOL: Record<SloAction, string> = { create: '+', update: '~', delete: '-', unchanged: '=' };

export function formatSloPlan(plan: ApplicationSignalsPlan, opts: { prune: boolean; showUnchanged?: boolean }): string {
  const lines: string[] = [];
  const count = (a: SloAction) => plan.changes.filter((c) => c.action === a).length;
  for (const c of plan.changes) {
    if (c.action === 'unchanged' && !opts.showUnchanged) continue;
    const extra = c.fields ? ` (${c.fields.join(', ')})` : c.action === 'delete' && !opts.prune ? ' (kept: run with --prune to delete)' : '';
    lines.push(`  ${SYMBOL[c.action]} slo ${c.name}${extra}`);
  }
  for (const f of plan.foreign) lines.push(`  ! ${f}: under the prefix but not managed by solida; left alone`);
  lines.push(`Plan: ${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete${opts.prune ? '' : ' (only with --prune)'}, ${count('unchanged')} unchanged.`);
  return lines.join('\n');
}
