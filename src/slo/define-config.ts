// defineConfig on its own, with no runtime import: a config that imports only defineConfig from 'solida'
// gets this module in the config sandbox (import-config.ts) instead of the whole library (zod, yaml, the
// PromQL parser, the generators), which would otherwise be loaded a second time, in the worker.
import type { SolidaConfig } from './config.ts';

/** Types a solida.config.ts: the editor completes and checks every field. Returns its argument. */
export function defineConfig(config: SolidaConfig): SolidaConfig {
  return config;
}
