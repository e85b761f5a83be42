// What a metrics backend must answer for a budget report: event counts over an exact window ending at
// an instant, and per-step event counts for the burn-down chart.
import type { Slo } from '../slo/model.ts';
import type { EventCounts } from './arithmetic.ts';

export interface StepCounts extends EventCounts {
  /** End of the step (ms since epoch). */
  t: number;
}

export interface BudgetSource {
  /** Whether this source can read the SLO's SLI (a Prometheus source cannot read a CloudWatch SLI). */
  supports(slo: Slo): boolean;
  /** Events over (at - windowSeconds, at]; null when the total is absent or zero. */
  events(slo: Slo, windowSeconds: number, at: Date): Promise<EventCounts | null>;
  /**
   * Events of many SLOs over the same window, in a few queries instead of two per SLO (a refresh of a
   * thousand SLOs). Optional; an SLO left out of the answer is read with `events`, and an Error in the
   * answer is that SLO's failure alone.
   */
  eventsMany?(slos: Slo[], windowSeconds: number, at: Date): Promise<Map<string, EventCounts | null | Error>>;
  /** Events per step of `stepSeconds` ending at start+step, …, end; steps without data are left out. */
  steps(slo: Slo, start: Date, end: Date, stepSeconds: number): Promise<StepCounts[]>;
}
