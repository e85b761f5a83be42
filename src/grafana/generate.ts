// `solida generate grafana`: dashboard JSON files, each validated against Grafana's schema before any is
// written (a dashboard Grafana would reject is a bug here, reported as such, never a half-written set).
import type { SolidaModel } from '../slo/model.ts';
import { SolidaError } from '../util/errors.ts';
import { grafanaDashboards } from './dashboards.ts';
import { validateDashboard } from './validate.ts';

export function generateGrafana(model: SolidaModel): { path: string; content: string }[] {
  const files = grafanaDashboards(model);
  if (files.length === 1) throw new SolidaError('nothing to generate', 2, [{ file: model.source, message: 'no SLO has a Prometheus SLI (the dashboards read the Prometheus recording rules)', fix: 'add an SLO with an events, latency, raw or golden SLI' }]);
  const problems = files.flatMap((f) => validateDashboard(f.dashboard).map((p) => `${f.path}${p}`));
  if (problems.length) throw new SolidaError(`generated dashboards do not match Grafana's schema:\n${problems.slice(0, 20).join('\n')}`, 1);
  return files.map((f) => ({ path: f.path, content: `${JSON.stringify(f.dashboard, null, 2)}\n` }));
}
