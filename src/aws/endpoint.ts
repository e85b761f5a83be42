// Where AWS requests go. The SDK already honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>
// (e.g. AWS_ENDPOINT_URL_CLOUDWATCH, AWS_ENDPOINT_URL_RDS) from the environment and the shared config;
// `--endpoint-url` is the explicit override on top, so solida can be pointed at LocalStack, moto or a
// VPC endpoint per command. Every AWS client solida builds takes its configuration from here.
import { SolidaError } from '../util/errors.ts';

export interface AwsTarget {
  region?: string;
  /** --endpoint-url: wins over AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>. */
  endpointUrl?: string;
}

export const ENDPOINT_URL_HELP = 'send AWS requests to this URL (LocalStack, moto, a VPC endpoint); default: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, then AWS';

/** Checks --endpoint-url before any request: a typo must not become a DNS error halfway through an apply. */
export function parseEndpointUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SolidaError(`invalid --endpoint-url '${text}'`, 2, [{ path: '--endpoint-url', message: 'not a URL', fix: 'e.g. --endpoint-url http://127.0.0.1:5000' }]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SolidaError(`invalid --endpoint-url '${text}'`, 2, [{ path: '--endpoint-url', message: `scheme ${url.protocol} is not http or https`, fix: 'e.g. --endpoint-url https://monitoring.eu-west-1.amazonaws.com' }]);
  }
  return text;
}

/** Client configuration: region when known, endpoint only when given (so the SDK's own settings apply otherwise). */
export function clientConfig(target: AwsTarget): { region?: string; endpoint?: string } {
  return {
    ...(target.region ? { region: target.region } : {}),
    ...(target.endpointUrl ? { endpoint: parseEndpointUrl(target.endpointUrl) } : {}),
  };
}
