// Number wording shared by every generator and report: binary noise removed (14.4 * 0.001 is
// 0.014400000000000001) and short forms for people. Report-specific wording (percentages, "no data")
// stays with its renderer; these are the primitives.

/** The number rounded to `digits` significant digits: a value, not text (thresholds, budgets). */
export function roundSignificant(n: number, digits: number): number {
  return Number(n.toPrecision(digits));
}

/** For people: integers as they are, others to 4 significant digits, never an exponent for integers. */
export function shortNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return String(roundSignificant(n, 4));
}
