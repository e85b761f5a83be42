// Time to validate + normalize and to generate Prometheus rules for many SLOs (goal: 10,000 in under 2 s).
// Prints absolute figures and the 10k/1k ratio measured in the same run (≈10 means linear scaling).
import { performance } from 'node:perf_hooks';
import { configSchema, type SolidaConfig } from '../src/slo/config.ts';
import { normalizeConfig } from '../src/slo/normalize.ts';
import { generatePrometheusRules } from '../src/prometheus/rules.ts';

function config(n: number): SolidaConfig {
  const services = Array.from({ length: Math.ceil(n / 10) }, (_, i) => ({ name: `svc-${i}` }));
  const slos = Array.from({ length: n }, (_, i) => ({
    service: `svc-${Math.floor(i / 10)}`,
    name: `slo-${i}`,
    objective: 99.9,
    sli: i % 2 === 0 ? { golden: { signal: 'availability' as const } } : { events: { errors: `http_requests_total{job="svc-${i}",code=~"5.."}`, total: `http_requests_total{job="svc-${i}"}` } },
  }));
  return { services, slos };
}

function measure(n: number): { normalizeMs: number; generateMs: number; bytes: number } {
  const input = config(n);
  const t0 = performance.now();
  const { model, problems } = normalizeConfig(configSchema.parse(input) as SolidaConfig, 'bench');
  if (problems.length) throw new Error(problems[0].message);
  const t1 = performance.now();
  const files = generatePrometheusRules(model);
  const t2 = performance.now();
  return { normalizeMs: t1 - t0, generateMs: t2 - t1, bytes: files.reduce((s, f) => s + f.content.length, 0) };
}

measure(200); // warm-up: JIT and module initialisation out of the figures
const small = measure(1000);
const large = measure(10000);
const total = large.normalizeMs + large.generateMs;
console.log(`1,000 SLOs:  validate+normalize ${small.normalizeMs.toFixed(0)} ms, generate ${small.generateMs.toFixed(0)} ms`);
console.log(`10,000 SLOs: validate+normalize ${large.normalizeMs.toFixed(0)} ms, generate ${large.generateMs.toFixed(0)} ms, ${(large.bytes / 1e6).toFixed(1)} MB of rules`);
console.log(`total for 10,000: ${(total / 1000).toFixed(2)} s (goal < 2 s) — ${total < 2000 ? 'met' : 'MISSED'}`);
console.log(`scaling 10k/1k: ${(total / (small.normalizeMs + small.generateMs)).toFixed(1)}x (10x = linear)`);
