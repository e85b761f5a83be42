// A syntax error.
export default { services: [, slos: [] };
