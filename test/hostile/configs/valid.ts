// Valid: a minimal config with one SLO, written as a plain object.
export default {
  services: [{ name: "api" }],
  slos: [{ service: "api", name: "availability", objective: 99.9, sli: { golden: { signal: "availability" } } }],
};
