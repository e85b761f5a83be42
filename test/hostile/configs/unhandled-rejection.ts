// Leaves a rejected promise unhandled.
Promise.reject(new Error("boom from the config"));
export default { services: [], slos: [] };
