// Types of the generated validator next to it (written by scripts/generate-config-validator.ts).
/** True only for a value zod's configSchema accepts and returns unchanged. */
export declare function validate(value: unknown): boolean;
export default validate;
