// Ends the process while it is being loaded.
process.exit(0);
export default { services: [], slos: [] };
