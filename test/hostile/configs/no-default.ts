// No default export.
export const config = { services: [], slos: [] };
