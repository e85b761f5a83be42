// The io of the CLI run in progress, for the few places below main() that talk to a person (prompts).
// Commands registered without main() (tests that build their own program) get the process's streams.
import { processIo, type CliIo } from './io.ts';

let current: CliIo | undefined;

export function cliIo(): CliIo {
  return (current ??= processIo());
}

/** Makes `io` current; returns the function that restores the previous one. */
export function useCliIo(io: CliIo): () => void {
  const previous = current;
  current = io;
  return () => {
    current = previous;
  };
}
