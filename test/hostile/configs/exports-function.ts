// Exports a function, not data.
export default { services: [], slos: [], hook: () => 1 };
