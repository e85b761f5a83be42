// Where the live view reads from: the budget report's sources (so the view and `solida report` agree to
// the digit), plus what only some backends know: alert state and error-ratio series.
import type { Slo } from '../slo/model.ts';
import type { BudgetSource } from '../budget/source.ts';
import type { ChartPoint } from '../util/svg-chart.ts';
import type { AlertState } from './model.ts';

export interface ViewBackend {
  /** For people: "Prometheus at http://…". */
  name: string;
  budget: BudgetSource;
  /** Pending and firing alerts by SLO id; null when the backend has no alert state. */
  alerts(): Promise<Map<string, AlertState[]> | null>;
  /** Error ratio over a sliding window at each step; absent when the backend cannot chart it. */
  ratioSeries?(slo: Slo, windowSeconds: number, start: Date, end: Date, stepSeconds: number): Promise<ChartPoint[]>;
}
