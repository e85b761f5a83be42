// The file extensions loadSpec runs as code (a config module) rather than reads as YAML; .cjs and .cts
// too, which were once read as YAML. Its own module, free of imports, so the CLI can name the default
// config files and its --config help without loading the loader.
export const SCRIPT_EXTENSIONS: readonly string[] = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
