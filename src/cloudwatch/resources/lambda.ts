// Lambda function (AWS/Lambda): invocations/errors/throttles and duration widgets; no preset alarms yet.
import { graph, metricLine } from '../widgets.ts';
import type { AwsResourceMonitoring } from './resource.ts';

export const lambda: AwsResourceMonitoring = {
  presets: () => [],
  widgets(service, region) {
    const fn = service.aws?.lambda;
    if (!fn) return [];
    const dims = { FunctionName: fn.functionName };
    const m = (metricName: string) => ({ namespace: 'AWS/Lambda', metricName, dimensions: dims });
    return [
      graph('Lambda invocations, errors, throttles', region, [
        metricLine(m('Invocations'), { stat: 'Sum', label: 'invocations' }),
        metricLine(m('Errors'), { stat: 'Sum', label: 'errors' }),
        metricLine(m('Throttles'), { stat: 'Sum', label: 'throttles' }),
      ]),
      graph('Lambda duration', region, [metricLine(m('Duration'), { stat: 'p99', label: 'p99 (ms)' })]),
    ];
  },
};
