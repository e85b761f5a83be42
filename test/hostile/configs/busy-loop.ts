// A busy loop: never yields.
for (;;) {}
export default { services: [], slos: [] };
