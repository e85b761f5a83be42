// The official OTLP trace schema (opentelemetry-proto, test/fixtures/otlp-proto) loaded with
// protobufjs: decodes what solida sends, independently of solida's encoder and of the SDK's.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import protobuf from 'protobufjs';

const protoRoot = fileURLToPath(new URL('../fixtures/otlp-proto/', import.meta.url));

let root: protobuf.Root | undefined;

function schema(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  // Imports in the .proto files are relative to the repository root of opentelemetry-proto.
  r.resolvePath = (_origin, target) => join(protoRoot, target);
  r.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto', { keepCase: true });
  return (root = r);
}

export interface DecodedAnyValue {
  string_value?: string;
  bool_value?: boolean;
  int_value?: string;
  double_value?: number;
  array_value?: { values?: DecodedAnyValue[] };
  kvlist_value?: { values?: DecodedKeyValue[] };
  bytes_value?: string;
}
export interface DecodedKeyValue {
  key: string;
  value?: DecodedAnyValue;
}
export interface DecodedSpan {
  trace_id: string;
  span_id: string;
  trace_state?: string;
  parent_span_id?: string;
  flags?: number;
  name: string;
  kind?: number;
  start_time_unix_nano: string;
  end_time_unix_nano: string;
  attributes?: DecodedKeyValue[];
  dropped_attributes_count?: number;
  events?: Array<{ time_unix_nano: string; name: string; attributes?: DecodedKeyValue[]; dropped_attributes_count?: number }>;
  dropped_events_count?: number;
  links?: Array<{
    trace_id: string;
    span_id: string;
    trace_state?: string;
    attributes?: DecodedKeyValue[];
    dropped_attributes_count?: number;
    flags?: number;
  }>;
  dropped_links_count?: number;
  status?: { message?: string; code?: number };
}
export interface DecodedRequest {
  resource_spans?: Array<{
    resource?: { attributes?: DecodedKeyValue[]; dropped_attributes_count?: number };
    scope_spans?: Array<{
      scope?: { name: string; version?: string; attributes?: DecodedKeyValue[]; dropped_attributes_count?: number };
      spans?: DecodedSpan[];
      schema_url?: string;
    }>;
    schema_url?: string;
  }>;
}

/** Decodes an ExportTraceServiceRequest: ids and bytes as hex, 64-bit integers as decimal strings. */
export function decodeTraceRequest(body: Uint8Array): DecodedRequest {
  const type = schema().lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
  const message = type.decode(body);
  const obj = type.toObject(message, { longs: String, enums: Number, bytes: Array, defaults: false, arrays: true });
  return hexBytes(obj) as DecodedRequest;
}

// protobufjs gives bytes as arrays of numbers (with `bytes: Array`): hex strings compare readably.
function hexBytes(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) {
    return key.endsWith('_id') || key === 'bytes_value' ? Buffer.from(v as number[]).toString('hex') : v.map((x) => hexBytes(x));
  }
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hexBytes(x, k)]));
  return v;
}
