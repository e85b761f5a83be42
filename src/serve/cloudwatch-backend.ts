// The live view over CloudWatch GetMetricData (the budget report's source). CloudWatch alarms are not
// read here: the list marks the tiers whose burn-rate condition holds, computed from the same figures.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchSource } from '../budget/sources/cloudwatch.ts';
import type { ViewBackend } from './backend.ts';

export class CloudWatchBackend implements ViewBackend {
  readonly name: string;
  readonly budget: CloudWatchSource;

  constructor(client: CloudWatchClient, region: string | undefined) {
    this.name = `CloudWatch${region ? ` (${region})` : ''}`;
    this.budget = new CloudWatchSource(client);
  }

  async alerts(): Promise<null> {
    return null;
  }
}
