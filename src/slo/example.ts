// The example spec shipped in examples/: the default SLOs of `solida demo`, `solida lab up` and the local
// game day. Named here once so src/lab and src/gameday take a spec as input instead of finding one.
import { fileURLToPath } from 'node:url';

export const EXAMPLE_SPEC = fileURLToPath(new URL('../../examples/solida.config.ts', import.meta.url));
