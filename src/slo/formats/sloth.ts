// Sloth specs → solida's authoring config, in every form Sloth reads: `version: prometheus/v1` YAML,
// the Kubernetes `sloth.slok.dev/v1` PrometheusServiceLevel (camelCase fields), several of them as
// `---` documents, and an `AlertWindows` document for custom SLO periods and tiers. Sloth's defaults
// apply: a 30-day period with the SRE workbook's windows, page and ticket alerts; its plugin chain is
// honoured where it changes the output and accepted where it is a no-op.
import { z } from 'zod';
import type { SloConfig, TierConfig } from '../config.ts';
import type { SloSource, SlothAlertSettings } from '../model.ts';
import { normalizeWindowPlaceholder } from '../promql.ts';
import { type Doc, type ReadResult, PathMap, Problems, join, labelMap } from './common.ts';

export const SLOTH_K8S_API = 'sloth.slok.dev/v1';

const pluginChain = z.strictObject({
  overridePrevious: z.boolean().optional(),
  chain: z.array(z.strictObject({ id: z.string(), priority: z.number().optional(), config: z.unknown().optional() })).optional(),
});

// `for` is not in Sloth's spec; solida has long read it (with sloth.dev/contrib/alert_for/v1) as the
// tier's Prometheus `for:`, so it stays accepted.
const alertOverrides = z.strictObject({
  disable: z.boolean().optional(),
  for: z.string().optional(),
  labels: labelMap.optional(),
  annotations: labelMap.optional(),
});

function slothSchemas(k8s: boolean) {
  const key = (snake: string, camel: string) => (k8s ? camel : snake);
  const slo = z.strictObject({
    name: z.string(),
    objective: z.number().gt(0).max(100),
    description: z.string().optional(),
    labels: labelMap.optional(),
    plugins: pluginChain.optional(),
    sli: z.strictObject({
      events: z.strictObject({ [key('error_query', 'errorQuery')]: z.string(), [key('total_query', 'totalQuery')]: z.string() }).optional(),
      raw: z.strictObject({ [key('error_ratio_query', 'errorRatioQuery')]: z.string() }).optional(),
      plugin: z.strictObject({ id: z.string(), options: z.record(z.string(), z.unknown()).optional() }).optional(),
    }),
    alerting: z
      .strictObject({
        name: z.string().optional(),
        labels: labelMap.optional(),
        annotations: labelMap.optional(),
        [key('page_alert', 'pageAlert')]: alertOverrides.optional(),
        [key('ticket_alert', 'ticketAlert')]: alertOverrides.optional(),
      })
      .optional(),
  });
  const body = {
    service: z.string(),
    labels: labelMap.optional(),
    [key('slo_plugins', 'sloPlugins')]: pluginChain.optional(),
    slos: z.array(slo),
  };
  return k8s
    ? z.strictObject({
        apiVersion: z.literal(SLOTH_K8S_API),
        kind: z.literal('PrometheusServiceLevel'),
        metadata: z.looseObject({ name: z.string(), namespace: z.string().optional(), labels: labelMap.optional(), annotations: labelMap.optional() }),
        spec: z.strictObject(body),
        status: z.unknown().optional(),
      })
    : z.strictObject({ version: z.literal('prometheus/v1'), ...body });
}

const prometheusV1 = slothSchemas(false);
const prometheusServiceLevel = slothSchemas(true);
type SlothSloSpec = {
  name: string;
  objective: number;
  description?: string;
  labels?: Record<string, string>;
  plugins?: z.infer<typeof pluginChain>;
  sli: { events?: Record<string, string>; raw?: Record<string, string>; plugin?: { id: string; options?: Record<string, unknown> } };
  alerting?: Record<string, unknown>;
};

const window = z.strictObject({ errorBudgetPercent: z.number().positive().max(100), shortWindow: z.string(), longWindow: z.string() });
const alertWindowsSchema = z.strictObject({
  apiVersion: z.literal(SLOTH_K8S_API),
  kind: z.literal('AlertWindows'),
  metadata: z.unknown().optional(),
  spec: z.strictObject({
    sloPeriod: z.string(),
    page: z.strictObject({ quick: window, slow: window }),
    ticket: z.strictObject({ quick: window, slow: window }),
  }),
});
type AlertWindows = z.infer<typeof alertWindowsSchema>['spec'];

/** Sloth's default plugin chain: these are what solida generates anyway. */
const CORE = {
  sli: 'sloth.dev/core/sli_rules/v1',
  metadata: 'sloth.dev/core/metadata_rules/v1',
  alerts: 'sloth.dev/core/alert_rules/v1',
  validate: 'sloth.dev/core/validate/v1',
} as const;
/** Plugins that change nothing in the output (debug logging, no-op), and Sloth's validators. */
const NO_OPS = new Set(['sloth.dev/core/debug/v1', 'sloth.dev/core/noop/v1', CORE.validate, 'sloth.dev/contrib/validate_victoria_metrics/v1']);
/**
 * Plugins solida implements natively: alert_for (the tiers' `for:`), info_labels (extra
 * sloth_slo_info labels), denominator_corrected_rules (solida's long windows already divide summed
 * errors by summed events, which is what that plugin corrects Sloth's averages to).
 */
export const NATIVE_SLOTH_PLUGINS = new Set(['sloth.dev/contrib/alert_for/v1', 'sloth.dev/contrib/info_labels/v1', 'sloth.dev/contrib/denominator_corrected_rules/v1']);
const REFUSED: Record<string, string> = {
  'sloth.dev/contrib/rule_intervals/v1': 'remove it; solida evaluates every SLO group at one interval (evaluationInterval in a solida spec)',
  'sloth.dev/contrib/remove_labels/v1': 'remove it; solida keeps the SLO labels on every rule (they identify the SLO in dashboards)',
  'sloth.dev/contrib/error_budget_exhausted_alert/v1': 'remove it; solida reports an exhausted budget in `solida budget` and its page/ticket tiers alert on the burn',
};

interface SlothBody {
  service: string;
  labels?: Record<string, string>;
  plugins?: z.infer<typeof pluginChain>;
  slos: SlothSloSpec[];
}

export function isSlothDocument(doc: unknown): boolean {
  if (typeof doc !== 'object' || doc === null) return false;
  const d = doc as { version?: unknown; apiVersion?: unknown };
  return d.version === 'prometheus/v1' || d.apiVersion === SLOTH_K8S_API;
}

/** Reads every Sloth document of a file (they share the file's AlertWindows, if it has one). */
export function readSloth(docs: Doc[], file: string): ReadResult {
  const problems = new Problems(file);
  const paths = new PathMap();
  const result: ReadResult = { format: 'sloth', recognised: '', config: { services: [], slos: [] }, sources: [], paths, problems: problems.list };
  const kinds = new Set<string>();

  let windows: { spec: AlertWindows; at: string } | undefined;
  for (const doc of docs.filter((d) => (d.value as { kind?: unknown }).kind === 'AlertWindows')) {
    kinds.add(`${SLOTH_K8S_API} AlertWindows`);
    const parsed = alertWindowsSchema.safeParse(doc.value, { reportInput: true });
    if (!parsed.success) problems.zod(parsed.error, alertWindowsSchema, doc.at);
    else if (windows) problems.add(join(doc.at, 'kind'), `a second AlertWindows document (the first is ${windows.at || 'above'})`, 'keep one AlertWindows per file: all its SLOs share the period');
    else windows = { spec: parsed.data.spec, at: doc.at };
  }

  for (const doc of docs) {
    const v = doc.value as { version?: unknown; apiVersion?: unknown; kind?: unknown };
    if (v.kind === 'AlertWindows') continue;
    const k8s = v.apiVersion === SLOTH_K8S_API;
    if (k8s && v.kind !== 'PrometheusServiceLevel') {
      problems.add(join(doc.at, 'kind'), `Sloth ${SLOTH_K8S_API} kind "${String(v.kind)}" is not read`, 'solida reads Sloth PrometheusServiceLevel and AlertWindows documents');
      continue;
    }
    kinds.add(k8s ? `${SLOTH_K8S_API} PrometheusServiceLevel` : 'prometheus/v1');
    const schema = k8s ? prometheusServiceLevel : prometheusV1;
    const parsed = schema.safeParse(doc.value, { reportInput: true });
    if (!parsed.success) {
      problems.zod(parsed.error, schema, doc.at);
      continue;
    }
    const data = parsed.data as Record<string, unknown>;
    const specAt = k8s ? join(doc.at, 'spec') : doc.at;
    const spec = (k8s ? data.spec : data) as Record<string, unknown>;
    const body: SlothBody = {
      service: spec.service as string,
      labels: spec.labels as Record<string, string> | undefined,
      plugins: spec[k8s ? 'sloPlugins' : 'slo_plugins'] as SlothBody['plugins'],
      slos: spec.slos as SlothBody['slos'],
    };
    const meta = k8s ? (data.metadata as { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }) : undefined;
    const source: Omit<SloSource, 'sloth'> = k8s
      ? { format: 'sloth', spec: SLOTH_K8S_API, mode: 'cli-gen-k8s', kubernetes: { name: meta!.name, namespace: meta!.namespace, labels: meta!.labels ?? {}, annotations: meta!.annotations ?? {} } }
      : { format: 'sloth', spec: 'prometheus/v1', mode: 'cli-gen-prom' };
    convert(body, k8s, specAt, source, windows, result, problems);
  }
  result.recognised = `Sloth ${[...kinds].join(' + ') || 'spec'}`;
  return result;
}

function convert(body: SlothBody, k8s: boolean, at: string, source: Omit<SloSource, 'sloth'>, windows: { spec: AlertWindows; at: string } | undefined, out: ReadResult, problems: Problems): void {
  const key = (snake: string, camel: string) => (k8s ? camel : snake);
  const { config, paths, sources } = out;
  const serviceIndex = config.services.findIndex((s) => s.name === body.service);
  if (serviceIndex === -1) {
    paths.set(`services[${config.services.length}].name`, join(at, 'service'));
    config.services.push({ name: body.service });
  }
  const servicePlugins = chainOf(body.plugins, join(at, key('slo_plugins', 'sloPlugins')), { sli: true, metadata: true, alerts: true }, problems);

  body.slos.forEach((s, i) => {
    const sloAt = join(at, `slos[${i}]`);
    const index = config.slos.length;
    const cp = `slos[${index}]`;
    const plugins = chainOf(s.plugins, join(sloAt, 'plugins'), servicePlugins.rules, problems);
    const infoLabels = { ...servicePlugins.infoLabels, ...plugins.infoLabels };

    let sli: SloConfig['sli'] = {};
    const events = s.sli.events;
    const raw = s.sli.raw;
    if (s.sli.plugin) {
      problems.add(join(sloAt, 'sli.plugin.id'), `Sloth SLI plugin "${s.sli.plugin.id}" is Go code run by Sloth; solida cannot run it`, 'write the SLI as events (error_query and total_query) or raw (error_ratio_query) — the queries the plugin would have produced');
    } else if (events) {
      const errorKey = key('error_query', 'errorQuery');
      const totalKey = key('total_query', 'totalQuery');
      sli = { events: { errors: normalizeWindowPlaceholder(events[errorKey]), total: normalizeWindowPlaceholder(events[totalKey]) } };
      paths.set(`${cp}.sli.events.errors`, join(sloAt, `sli.events.${errorKey}`));
      paths.set(`${cp}.sli.events.total`, join(sloAt, `sli.events.${totalKey}`));
      paths.set(`${cp}.sli.events`, join(sloAt, 'sli.events'));
    } else if (raw) {
      const rawKey = key('error_ratio_query', 'errorRatioQuery');
      sli = { raw: { errorRatio: normalizeWindowPlaceholder(raw[rawKey]) } };
      paths.set(`${cp}.sli.raw.errorRatio`, join(sloAt, `sli.raw.${rawKey}`));
    } else {
      problems.add(join(sloAt, 'sli'), 'no SLI given', 'add sli.events (error_query, total_query) or sli.raw (error_ratio_query)');
    }
    paths.set(`${cp}.sli`, join(sloAt, 'sli'));

    const a = s.alerting;
    const page = a?.[key('page_alert', 'pageAlert')] as z.infer<typeof alertOverrides> | undefined;
    const ticket = a?.[key('ticket_alert', 'ticketAlert')] as z.infer<typeof alertOverrides> | undefined;
    const alertsOn = plugins.rules.alerts;
    const settings: SlothAlertSettings = {
      ...(a?.name ? { alertName: a.name as string } : {}),
      pageDisabled: page?.disable === true || !alertsOn,
      ticketDisabled: ticket?.disable === true || !alertsOn,
      rules: plugins.rules,
      infoLabels,
      ...(windows ? { alertWindowsPeriod: windows.spec.sloPeriod } : {}),
    };
    if (!a?.name && !(settings.pageDisabled && settings.ticketDisabled)) {
      // Sloth itself refuses this: both alerts are named after alerting.name.
      problems.add(join(sloAt, 'alerting.name'), 'is required while page or ticket alerts are enabled (Sloth names both alerts with it)', 'add alerting.name, e.g. MyServiceHighErrorRate, or disable both alerts');
    }
    const tier = (o: z.infer<typeof alertOverrides> | undefined, disabled: boolean): TierConfig => ({
      ...(disabled ? { enabled: false } : {}),
      ...(o?.for !== undefined ? { for: o.for } : {}),
      ...(o?.labels ? { labels: o.labels } : {}),
      ...(o?.annotations ? { annotations: o.annotations } : {}),
    });
    const pageAt = join(sloAt, `alerting.${key('page_alert', 'pageAlert')}`);
    const ticketAt = join(sloAt, `alerting.${key('ticket_alert', 'ticketAlert')}`);
    const tiers: Record<string, TierConfig> = {};
    let window: SloConfig['window'] = '30d';
    if (windows) {
      window = windows.spec.sloPeriod;
      paths.set(`${cp}.window`, join(windows.at, 'spec.sloPeriod'));
      const named = new Set<string>();
      for (const [severity, o, disabled, overridesAt] of [['page', page, settings.pageDisabled, pageAt], ['ticket', ticket, settings.ticketDisabled, ticketAt]] as const) {
        for (const speed of ['quick', 'slow'] as const) {
          const w = windows.spec[severity][speed];
          let name = `${severity}-${w.longWindow}`;
          if (named.has(name)) name = `${name}-${speed}`;
          named.add(name);
          tiers[name] = { ...tier(o, disabled), severity, budgetConsumed: w.errorBudgetPercent, longWindow: w.longWindow, shortWindow: w.shortWindow };
          paths.set(`${cp}.alerting.tiers.${name}.for`, join(overridesAt, 'for'));
          paths.set(`${cp}.alerting.tiers.${name}`, join(windows.at, `spec.${severity}.${speed}`));
        }
      }
    } else {
      for (const name of ['page-1h', 'page-6h']) {
        tiers[name] = tier(page, settings.pageDisabled);
        paths.set(`${cp}.alerting.tiers.${name}`, pageAt);
      }
      for (const name of ['ticket-1d', 'ticket-3d']) {
        tiers[name] = tier(ticket, settings.ticketDisabled);
        paths.set(`${cp}.alerting.tiers.${name}`, ticketAt);
      }
    }
    paths.set(`${cp}.alerting.name`, join(sloAt, 'alerting.name'));
    paths.set(`${cp}.alerting`, join(sloAt, 'alerting'));
    paths.set(`${cp}.name`, join(sloAt, 'name'));
    paths.set(`${cp}.objective`, join(sloAt, 'objective'));
    paths.set(`${cp}.service`, join(at, 'service'));
    paths.set(`${cp}.labels`, join(sloAt, 'labels'));
    paths.set(cp, sloAt);

    config.slos.push({
      service: body.service,
      name: s.name,
      ...(s.description ? { description: s.description } : {}),
      objective: s.objective,
      window,
      sli,
      labels: { ...body.labels, ...s.labels },
      alerting: {
        ...(a?.name ? { name: a.name as string } : {}),
        ...(a?.labels ? { labels: a.labels as Record<string, string> } : {}),
        ...(a?.annotations ? { annotations: a.annotations as Record<string, string> } : {}),
        ...(windows ? { defaultTiers: false } : {}),
        tiers,
        // Sloth has no no-data alert; solida adds one, except when the Sloth spec turned alerting off.
        ...(settings.pageDisabled && settings.ticketDisabled ? { noData: { enabled: false } } : {}),
      },
    });
    sources.push({ ...source, sloth: settings });
  });
}

interface ChainEffect {
  rules: SlothAlertSettings['rules'];
  infoLabels: Record<string, string>;
}

/**
 * A plugin chain's effect on what is generated. `overridePrevious: true` replaces everything before it
 * (Sloth's default chain and the service's plugins), so a chain without alert_rules means no alerts.
 */
function chainOf(plugins: z.infer<typeof pluginChain> | undefined, at: string, previous: SlothAlertSettings['rules'], problems: Problems): ChainEffect {
  const chain = plugins?.chain ?? [];
  const ids = new Set(chain.map((p) => p.id));
  const rules = plugins?.overridePrevious
    ? { sli: ids.has(CORE.sli), metadata: ids.has(CORE.metadata), alerts: ids.has(CORE.alerts) }
    : { ...previous };
  if (plugins?.overridePrevious && !rules.sli) problems.add(join(at, 'chain'), `overridePrevious drops ${CORE.sli}: no SLI rules, so no ratios, budget or alerts`, `add - id: ${CORE.sli} to the chain (or remove overridePrevious)`);
  const infoLabels: Record<string, string> = {};
  chain.forEach((p, j) => {
    const path = join(at, `chain[${j}]`);
    if (Object.values(CORE).includes(p.id as never) || NO_OPS.has(p.id)) return;
    if (p.id === 'sloth.dev/contrib/info_labels/v1') {
      const cfg = labelMap.optional().safeParse((p.config as { labels?: unknown } | undefined)?.labels);
      if (!cfg.success) problems.add(join(path, 'config.labels'), 'is not a map of label values', 'write labels as name: value pairs');
      else Object.assign(infoLabels, cfg.data);
      if ((p.config as { metricName?: unknown } | undefined)?.metricName !== undefined) problems.add(join(path, 'config.metricName'), 'a renamed info metric is not supported', 'remove metricName; solida writes sloth_slo_info, which Sloth\'s dashboards read');
      return;
    }
    if (NATIVE_SLOTH_PLUGINS.has(p.id)) return;
    const fix = REFUSED[p.id];
    if (fix) problems.add(join(path, 'id'), `Sloth SLO plugin ${p.id} is not supported`, fix);
    else problems.add(join(path, 'id'), `Sloth SLO plugin ${p.id} is not supported`, `remove it; solida implements ${[...Object.values(CORE), ...NO_OPS, ...NATIVE_SLOTH_PLUGINS].join(', ')}`);
  });
  return { rules, infoLabels };
}
