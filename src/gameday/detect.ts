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

/**
 * SLO alerts firing now (any severity): the steady-state precondition of a game day. A fault injected
 * while an alert already fires cannot show detection, and may hide a real incident.
 */
export async function firingSloAlerts(prometheusUrl: string): Promise<string[]> {
  const res = await fetch(`${prometheusUrl}/api/v1/alerts`, { signal: AbortSignal.timeout(3000) });
  const body = (await res.json()) as AlertsResponse;
  return body.data.alerts
    .filter((a) => a.state === 'firing' && (a.labels.sloth_id !== undefined || a.labels.severity !== undefined))
    .map((a) => `${a.labels.alertname ?? '?'}${a.labels.sloth_id ? `{slo=${a.labels.sloth_id}` : '{'}${a.labels.severity ? `${a.labels.sloth_id ? ',' : ''}severity=${a.labels.severity}` : ''}}`)
    .filter((v, i, all) => all.indexOf(v) === i);
}
