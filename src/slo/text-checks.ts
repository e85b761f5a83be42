// Free text and label checks done when a spec is read, so `validate` passing means `generate` succeeds:
// label and annotation names must be Prometheus label names and may not take over the labels solida and
// Sloth use to identify series; no string may hold control characters (Prometheus's YAML parser rejects
// them) or lone UTF-16 surrogates (not encodable as UTF-8). Template syntax in free text is escaped at
// generation (src/prometheus/escape.ts), not refused.
import type { Problem } from '../util/errors.ts';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// Series identity labels the generated rules set themselves; a user label of the same name would be
// silently overwritten (recording rules) or would break the joins between recording rules and alerts.
const RESERVED_LABEL = /^(__|sloth_|solida_)|^(alertname)$/;
// C0 controls except tab and newline, DEL, C1 controls.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

type Add = (path: string, message: string, fix: string) => void;

export function badTextReason(s: string): string | null {
  const ctl = CONTROL.exec(s);
  if (ctl) return `contains the control character U+${ctl[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} at offset ${ctl.index}`;
  if (LONE_SURROGATE.test(s)) return 'contains an unpaired UTF-16 surrogate (not valid Unicode)';
  return null;
}

/** Every string anywhere in the config (keys too): no control characters, valid Unicode. */
function checkStrings(value: unknown, path: string, add: Add, depth = 0): void {
  if (depth > 64) return;
  if (typeof value === 'string') {
    const why = badTextReason(value);
    if (why) add(path, why, 'remove it (use plain text; \\n and \\t are fine)');
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkStrings(v, `${path}[${i}]`, add, depth + 1));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const why = badTextReason(k);
      if (why) add(path ? `${path}.${JSON.stringify(k)}` : JSON.stringify(k), `key ${why}`, 'rename the key');
      checkStrings(v, path ? `${path}.${k}` : k, add, depth + 1);
    }
  }
}

function checkLabelNames(map: unknown, path: string, add: Add, kind: 'label' | 'annotation'): void {
  if (!map || typeof map !== 'object') return;
  for (const name of Object.keys(map)) {
    if (!LABEL_NAME.test(name)) {
      add(`${path}.${name}`, `"${name}" is not a valid Prometheus ${kind} name`, 'use letters, digits and underscores, not starting with a digit');
    } else if (kind === 'label' && RESERVED_LABEL.test(name)) {
      add(`${path}.${name}`, `"${name}" is reserved (Prometheus, Sloth and solida set it on every generated series)`, 'rename the label');
    }
  }
}

interface LooseAlerting {
  labels?: unknown;
  annotations?: unknown;
  tiers?: Record<string, { labels?: unknown; annotations?: unknown } | undefined>;
}

/** Problems with free text and label names in a parsed (schema-valid) config. */
export function textProblems(config: { services?: { labels?: unknown }[]; slos?: { labels?: unknown; alerting?: LooseAlerting }[] }, file: string): Problem[] {
  const problems: Problem[] = [];
  const add: Add = (path, message, fix) => problems.push({ file, path, message, fix });
  checkStrings(config, '', add);
  config.services?.forEach((s, i) => checkLabelNames(s.labels, `services[${i}].labels`, add, 'label'));
  config.slos?.forEach((s, i) => {
    const p = `slos[${i}]`;
    checkLabelNames(s.labels, `${p}.labels`, add, 'label');
    const a = s.alerting;
    if (!a) return;
    checkLabelNames(a.labels, `${p}.alerting.labels`, add, 'label');
    checkLabelNames(a.annotations, `${p}.alerting.annotations`, add, 'annotation');
    for (const [name, t] of Object.entries(a.tiers ?? {})) {
      checkLabelNames(t?.labels, `${p}.alerting.tiers.${name}.labels`, add, 'label');
      checkLabelNames(t?.annotations, `${p}.alerting.tiers.${name}.annotations`, add, 'annotation');
    }
  });
  return problems;
}
