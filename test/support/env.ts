// Tests that run solida in-process set environment variables (dummy AWS credentials, endpoints) on
// process.env itself; each must give the previous values back, or the next test file in the same worker
// inherits them. One way to do both, so no test restores by hand.

/** Sets each variable (undefined deletes it); returns the function that puts back what was there. */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  return () => apply(saved);
}
