// The canonical form both plan/apply diffs compare (CloudWatch alarms and dashboards, Application Signals
// SLOs): what AWS returns and what solida wants must give the same text exactly when they mean the same.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/util/canonical-json.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops unset members and writes Dates as ISO text', () => {
    const got = canonicalJson({ b: 1, a: { d: [{ z: 1, y: undefined }], c: null }, t: new Date(Date.UTC(2026, 0, 2)) });
    expect(JSON.stringify(got)).toBe('{"a":{"d":[{"z":1}]},"b":1,"t":"2026-01-02T00:00:00.000Z"}');
  });

  it('keeps empty lists unless told they count as unset (as CloudWatch returns them)', () => {
    const alarm = { AlarmName: 'x', OKActions: [], Metrics: [{ Id: 'm', Dimensions: [] }] };
    expect(canonicalJson(alarm)).toEqual({ AlarmName: 'x', Metrics: [{ Dimensions: [], Id: 'm' }], OKActions: [] });
    expect(canonicalJson(alarm, { dropEmptyLists: true })).toEqual({ AlarmName: 'x', Metrics: [{ Id: 'm' }] });
    // A list itself is kept, even empty: only a member that is an empty list is unset.
    expect(canonicalJson([], { dropEmptyLists: true })).toEqual([]);
  });
});
