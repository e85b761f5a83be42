// Colour for the words a person scans for — PASS, FAIL, warnings, errors — and nothing else. Applied to
// the output stream as a whole (main() wraps the io), so every command gets the same rule without
// formatting code knowing about terminals. Only on a TTY, never with NO_COLOR (https://no-color.org).
const GREEN = '\u001b[32m';
const RED = '\u001b[31m';
const YELLOW = '\u001b[33m';
const RESET = '\u001b[39m';

const RULES: Array<[RegExp, string]> = [
  [/\b(PASS(?:ED)?)\b/g, GREEN],
  [/\b(FAIL(?:ED)?)\b/g, RED],
  [/^(error:)/gm, RED],
  [/^(warning:|note:)/gm, YELLOW],
];

export function colourize(text: string): string {
  let out = text;
  for (const [re, colour] of RULES) out = out.replace(re, `${colour}$1${RESET}`);
  return out;
}

export function colouredWriter(write: (text: string) => void): (text: string) => void {
  return (text) => write(colourize(text));
}
