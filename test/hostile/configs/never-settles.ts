// A top-level await that never settles.
await new Promise(() => {});
export default { services: [], slos: [] };
