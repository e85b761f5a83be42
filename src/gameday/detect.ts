// Time to detect: the lab's Prometheus evaluates the generated burn-rate rules, and this watcher polls its
// alerts API for page-severity alerts. The detection moment is when Prometheus made the alert active
// (its activeAt; page alerts have no `for:`, so active is firing), not when we happened to poll.

export interface PageAlert {
  name: string;
  labels: Record<string, string>;
  /** Epoch ms Prometheus made it active. */
  activeAt: number;
}

export interface AlertWatcher {
  /** Page alerts seen firing so far (first sighting of each). */
  readonly seen: PageAlert[];
  /** Last poll error, if the API did not answer. */
  readonly lastError: string | null;
  stop(): Promise<void>;
}

interface AlertsResponse {
  data: { alerts: { labels: Record<string, string>; state: string; activeAt?: string }[] };
}

export function watchPageAlerts(prometheusUrl: string, intervalMs = 1000): AlertWatcher {
  const seen = new Map<string, PageAlert>();
  let lastError: string | null = null;
  let stopped = false;
  const poll = async () => {
    try {
      const res = await fetch(`${prometheusUrl}/api/v1/alerts`, { signal: AbortSignal.timeout(2000) });
      const body = (await res.json()) as AlertsResponse;
      for (const a of body.data.alerts) {
        if (a.state !== 'firing' || a.labels.severity !== 'page') continue;
        const key = JSON.stringify(Object.entries(a.labels).sort());
        const activeAt = a.activeAt ? Date.parse(a.activeAt) : Date.now();
        if (!seen.has(key)) seen.set(key, { name: a.labels.alertname ?? '?', labels: a.labels, activeAt });
      }
      lastError = null;
    } catch (err) {
      lastError = (err as Error).message;
    }
  };
  const loop = (async () => {
    while (!stopped) {
      await poll();
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    get seen() {
      return [...seen.values()];
    },
    get lastError() {
      return lastError;
    },
    stop: async () => {
      stopped = true;
      await loop;
      await poll();
    },
  };
}

export interface Detection {
  seconds: number | null;
  alert: string | null;
  note: string | null;
}

/** The first page alert that became active at or after the fault; alerts already active before it do not count. */
export function timeToDetect(alerts: PageAlert[], faultAt: number): Detection {
  const after = alerts.filter((a) => a.activeAt >= faultAt).sort((a, b) => a.activeAt - b.activeAt);
  const before = alerts.filter((a) => a.activeAt < faultAt);
  if (after.length === 0) {
    const note = before.length
      ? `page alert(s) already firing before the fault (${before.map((a) => a.name).join(', ')}); no new one after it`
      : 'no page alert fired during the run';
    return { seconds: null, alert: null, note };
  }
  return { seconds: (after[0].activeAt - faultAt) / 1000, alert: after[0].name, note: null };
}

interface RulesResponse {
  data: { groups: { name: string; interval: number; lastEvaluation: string; rules: { type: string; labels?: Record<string, string> }[] }[] };
}

/** An SLO alert rule: generated ones carry a severity, Sloth's a sloth_id. */
const isSloLabels = (labels: Record<string, string> | undefined) => labels?.sloth_id !== undefined || labels?.severity !== undefined;
/** Prometheus reports a group it has not evaluated yet with Go's zero time. */
const neverEvaluated = (lastEvaluation: string) => !(Date.parse(lastEvaluation) > 0);

export interface SteadyState {
  /** False: the precondition could not be judged (the notes say why); the fault then proves less. */
  checked: boolean;
  firing: string[];
  notes: string[];
}

/**
 * The steady-state precondition of a game day: no SLO alert firing (any severity). A fault injected while
 * an alert already fires cannot show detection, and may hide a real incident.
 *
 * "Nothing firing" means something only once the alert rules exist and have been evaluated: a Prometheus
 * without SLO rules, or one started a moment ago whose groups have not run yet (a group's first
 * evaluation comes up to one interval after start), shows no alerts whatever the traffic. So this waits
 * for the first evaluation of every group holding SLO alerts (up to two of its intervals, at least 15 s), and says so
 * when it cannot judge.
 */
export async function checkSteadyState(prometheusUrl: string, opts: { maxWaitMs?: number } = {}): Promise<SteadyState> {
  // Not on the clock (the fault waits for it), so a Prometheus slowed by a loaded machine gets time and
  // retries: giving up here would inject the fault unchecked.
  const answerBy = Date.now() + 30_000;
  const get = async <T>(path: string): Promise<T> => {
    for (;;) {
      try {
        return (await (await fetch(`${prometheusUrl}${path}`, { signal: AbortSignal.timeout(10_000) })).json()) as T;
      } catch (err) {
        if (Date.now() >= answerBy) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const notes: string[] = [];
  let deadline: number | null = null;
  for (;;) {
    const groups = (await get<RulesResponse>('/api/v1/rules')).data.groups;
    const alertGroups = groups.filter((g) => g.rules.some((r) => r.type === 'alerting' && isSloLabels(r.labels)));
    if (alertGroups.length === 0) {
      return { checked: false, firing: [], notes: ['steady state not checked: Prometheus has no SLO alert rules loaded (was the lab started without an SLO spec?)'] };
    }
    const pending = alertGroups.filter((g) => neverEvaluated(g.lastEvaluation));
    deadline ??= Date.now() + (opts.maxWaitMs ?? Math.min(130_000, Math.max(15_000, 2000 * Math.max(...alertGroups.map((g) => g.interval)) + 2000)));
    if (pending.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    if (pending.length > 0) {
      return { checked: false, firing: [], notes: [`steady state not checked: SLO alert group(s) not evaluated yet: ${pending.map((g) => g.name).join(', ')}`] };
    }
    // Recording groups on a slow cycle (long windows, 10-minute tiles) may not have run yet on a fresh
    // Prometheus: alerts reading their records cannot fire until they do. Said, not hidden.
    const slow = groups.filter((g) => !alertGroups.includes(g) && neverEvaluated(g.lastEvaluation));
    if (slow.length > 0) notes.push(`steady state judged before the first evaluation of ${slow.map((g) => `${g.name} (every ${g.interval}s)`).join(', ')}: alerts reading those records could not fire yet`);
    break;
  }
  const body = await get<AlertsResponse>('/api/v1/alerts');
  const firing = body.data.alerts
    .filter((a) => a.state === 'firing' && isSloLabels(a.labels))
    .map((a) => `${a.labels.alertname ?? '?'}${a.labels.sloth_id ? `{slo=${a.labels.sloth_id}` : '{'}${a.labels.severity ? `${a.labels.sloth_id ? ',' : ''}severity=${a.labels.severity}` : ''}}`)
    .filter((v, i, all) => all.indexOf(v) === i);
  return { checked: true, firing, notes };
}
