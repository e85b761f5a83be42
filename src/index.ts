// solida's library entry: author SLOs in TypeScript, load any spec, generate artifacts.
export { defineConfig } from './slo/config.ts';
export type { SolidaConfig, ServiceConfig, SloConfig, SliConfig, AlertingConfig, TierConfig } from './slo/config.ts';
export type { SolidaModel, Slo, Service, Sli, AlertTier } from './slo/model.ts';
export { loadModel, loadSpec } from './slo/load.ts';
export { explainModel, formatExplanation } from './slo/explain.ts';
export { generatePrometheusRules } from './prometheus/rules.ts';
