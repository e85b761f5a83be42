// SQS queue (AWS/SQS): backlog widget (age of the oldest message, visible messages); no preset alarms yet.
import { graph, metricLine } from '../widgets.ts';
import type { AwsResourceMonitoring } from './resource.ts';

export const sqs: AwsResourceMonitoring = {
  presets: () => [],
  widgets(service, region) {
    const q = service.aws?.sqs;
    if (!q) return [];
    const dims = { QueueName: q.queueName };
    return [
      graph('SQS backlog', region, [
        metricLine({ namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', dimensions: dims }, { stat: 'Maximum', label: 'age of oldest (s)' }),
        metricLine({ namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: dims }, { stat: 'Maximum', label: 'visible messages', yAxis: 'right' }),
      ]),
    ];
  },
};
