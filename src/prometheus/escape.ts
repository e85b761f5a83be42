// Text that goes into Prometheus rule files. Alert annotations and alert label values are Go templates
// (Prometheus expands them when the alert fires), so free text must not be able to run template actions:
// `{{ query "up" }}` in a description would run a query, `{{ }}` would make the rule file invalid.
// In the spec's own annotations and labels, a short list of harmless value references commonly written
// there (`{{ $value }}`, `{{ $labels.x }}`) is kept as a template. An SLO's description is prose (also shown
// in reports and dashboards, where no alert value exists): every `{{` in it prints literally.

const SAFE_ACTION = /^\{\{-?\s*(\$value|\$labels\.[a-zA-Z_][a-zA-Z0-9_]*|\$externalLabels\.[a-zA-Z_][a-zA-Z0-9_]*|\$externalURL|(humanize|humanize1024|humanizePercentage|humanizeDuration) \$value|\$value \| (humanize|humanize1024|humanizePercentage|humanizeDuration)|"\{\{")\s*-?\}\}$/;

/** What an escaped `{{` becomes: a template action printing the two braces. */
const LITERAL_BRACES = '{{ "{{" }}';

/**
 * Free text for an annotation or alert label value: every `{{` prints literally unless it opens a safe
 * reference. Idempotent (an escaped `{{` is itself a safe action), so text escaped as prose can be
 * composed into an annotation that is escaped again.
 */
export function escapeTemplateText(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, open);
    const close = text.indexOf('}}', open + 2);
    const action = close === -1 ? null : text.slice(open, close + 2);
    if (action && SAFE_ACTION.test(action)) {
      out += action;
      i = close + 2;
    } else {
      // The braces print literally; the rest of the text follows as plain text.
      out += LITERAL_BRACES;
      i = open + 2;
    }
  }
  return out;
}

export function escapeTemplateValues(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, escapeTemplateText(v)]));
}

/** Prose: every `{{` prints literally, value references included. */
export function escapeTemplateProse(text: string): string {
  return text.replaceAll('{{', LITERAL_BRACES);
}
