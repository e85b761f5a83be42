// CloudFront distribution (AWS/CloudFront, published in us-east-1 with Region=Global): requests and
// error-rate widget; no preset alarms yet.
import { graph, metricLine } from '../widgets.ts';
import type { AwsResourceMonitoring } from './resource.ts';

export const CLOUDFRONT_REGION = 'us-east-1';

export const cloudfront: AwsResourceMonitoring = {
  presets: () => [],
  widgets(service) {
    const cf = service.aws?.cloudfront;
    if (!cf) return [];
    const dims = { DistributionId: cf.distributionId, Region: 'Global' };
    const m = (metricName: string) => ({ namespace: 'AWS/CloudFront', metricName, dimensions: dims });
    return [
      graph('CloudFront requests and error rates', CLOUDFRONT_REGION, [
        metricLine(m('Requests'), { stat: 'Sum', label: 'requests' }),
        metricLine(m('4xxErrorRate'), { stat: 'Average', label: '4xx %', yAxis: 'right' }),
        metricLine(m('5xxErrorRate'), { stat: 'Average', label: '5xx %', yAxis: 'right' }),
      ]),
    ];
  },
};
