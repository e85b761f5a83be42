// Sloth `prometheus/v1` specs → solida's authoring config. Sloth's defaults apply: 30-day period,
// page and ticket alerts with the workbook's tiers; Sloth's alert labels and annotations carry over.
import { z } from 'zod';
import type { SolidaConfig, SloConfig, TierConfig } from '../config.ts';

const alertOverrides = z.strictObject({
  disable: z.boolean().optional(),
  for: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const pluginChain = z.strictObject({ chain: z.array(z.strictObject({ id: z.string(), priority: z.number().optional(), config: z.unknown().optional() })) });

/** Sloth SLO plugins that solida implements natively (so the chain entry is understood, not dropped). */
export const NATIVE_SLOTH_PLUGINS = new Set(['sloth.dev/contrib/alert_for/v1']);

export const slothSchema = z.strictObject({
  version: z.literal('prometheus/v1'),
  service: z.string(),
  slo_plugins: pluginChain.optional(),
  labels: z.record(z.string(), z.string()).optional(),
  slos: z.array(
    z.strictObject({
      name: z.string(),
      objective: z.number().gt(0).lt(100),
      description: z.string().optional(),
      labels: z.record(z.string(), z.string()).optional(),
      plugins: pluginChain.optional(),
      sli: z.strictObject({
        events: z.strictObject({ error_query: z.string(), total_query: z.string() }).optional(),
        raw: z.strictObject({ error_ratio_query: z.string() }).optional(),
        plugin: z.unknown().optional(),
      }),
      alerting: z
        .strictObject({
          name: z.string().optional(),
          labels: z.record(z.string(), z.string()).optional(),
          annotations: z.record(z.string(), z.string()).optional(),
          page_alert: alertOverrides.optional(),
          ticket_alert: alertOverrides.optional(),
        })
        .optional(),
    }),
  ),
});

export type SlothSpec = z.infer<typeof slothSchema>;

export function isSlothDocument(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && (doc as { version?: unknown }).version === 'prometheus/v1';
}

export function slothToConfig(spec: SlothSpec): SolidaConfig {
  const slos: SloConfig[] = spec.slos.map((s) => {
    const a = s.alerting;
    const tier = (o: z.infer<typeof alertOverrides> | undefined): TierConfig => ({
      enabled: o?.disable ? false : undefined,
      for: o?.for,
      labels: o?.labels,
      annotations: o?.annotations,
    });
    const tiers: Record<string, TierConfig> = {
      'page-1h': tier(a?.page_alert),
      'page-6h': tier(a?.page_alert),
      'ticket-1d': tier(a?.ticket_alert),
      'ticket-3d': tier(a?.ticket_alert),
    };
    const sli: SloConfig['sli'] = s.sli.events
      ? { events: { errors: s.sli.events.error_query, total: s.sli.events.total_query } }
      : s.sli.raw
        ? { raw: { errorRatio: s.sli.raw.error_ratio_query } }
        : {};
    return {
      service: spec.service,
      name: s.name,
      description: s.description,
      objective: s.objective,
      window: '30d',
      sli,
      labels: { ...spec.labels, ...s.labels },
      alerting: { name: a?.name, labels: a?.labels, annotations: a?.annotations, tiers },
    };
  });
  return { services: [{ name: spec.service }], slos };
}
