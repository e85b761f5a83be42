// The rule-file writer must produce YAML that any YAML parser reads back to exactly the same values.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderRuleGroups } from '../../src/prometheus/rules-yaml.ts';

describe('rule file YAML', () => {
  it('round-trips tricky strings through a real YAML parser', () => {
    const tricky = ['99.9', 'true', 'no', '', ' lead', 'a: b', '#x', 'say "hi"\nnext', '{{ $labels.x }}', "it's", '- dash', '@at', '`tick`', 'ünï', '0x1F', '1e3', 'null', '*ref', '&anchor', '!tag', '%pct', 'line\\back'];
    const groups = [{ name: 'g', interval: '30s', rules: [{ record: 'slo:x:ratio', expr: 'sum(rate(x{a="1"}[5m])) > 0', labels: Object.fromEntries(tricky.map((t, i) => [`l${i}`, t])) }] }];
    const back = parse(renderRuleGroups(groups));
    expect(back).toEqual({ groups });
  });
});
