// Splits a stream of byte chunks into lines without readline: each chunk's complete lines are decoded to
// one string at once (a chunk boundary can fall inside a multi-byte character, a line boundary cannot),
// and each line is handed on as an offset range in that string, so no per-line string is made unless
// a reader asks for one. Line numbers count every line, blank ones included, as an editor shows them.

const NL = 0x0a;
const CR = 0x0d;
const OPEN_BRACE = 0x7b;
const DECODE_WINDOW = 64 * 1024;

/** One line: text.slice(start, end) without its line break (and without a CR before it). */
export type LineVisitor = (text: string, start: number, end: number, lineNo: number) => void;

export class LineSplitter {
  /** Bytes of an unfinished line, copied: the source may reuse its chunk buffers. */
  private carry: Buffer[] = [];
  private lineNo = 0;

  constructor(private readonly visit: LineVisitor) {}

  /** Lines seen so far (blank ones included). */
  get lines(): number {
    return this.lineNo;
  }

  push(chunk: Buffer): void {
    let from = 0;
    if (this.carry.length > 0) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        this.carry.push(Buffer.from(chunk));
        return;
      }
      this.carry.push(chunk.subarray(0, nl));
      const line = Buffer.concat(this.carry).toString('utf8');
      this.carry = [];
      this.emit(line, 0, line.length);
      from = nl + 1;
    }
    // Decoded a window at a time: strings above V8's large-object size (~128 KiB) decode many times slower.
    while (from < chunk.length) {
      const windowEnd = Math.min(chunk.length, from + DECODE_WINDOW);
      let last = chunk.lastIndexOf(NL, windowEnd - 1);
      if (last < from) {
        last = chunk.indexOf(NL, windowEnd); // a line longer than the window: decoded whole
        if (last < 0) break;
      }
      this.emitAll(chunk.toString('utf8', from, last + 1));
      from = last + 1;
    }
    if (from < chunk.length) this.carry.push(Buffer.from(chunk.subarray(from)));
  }

  private emitAll(text: string): void {
    let start = 0;
    let nl = text.indexOf('\n');
    while (nl >= 0) {
      this.emit(text, start, nl);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
  }

  /** The last line, when the input does not end with a line break. */
  end(): void {
    if (this.carry.length === 0) return;
    const line = Buffer.concat(this.carry).toString('utf8');
    this.carry = [];
    this.emit(line, 0, line.length);
  }

  private emit(text: string, start: number, end: number): void {
    this.lineNo++;
    if (end > start && text.charCodeAt(end - 1) === CR) end--;
    if (end === start) return;
    // Blank lines (spaces, tabs) are skipped, not errors; a JSON line starts with '{' (the cheap test).
    if (text.charCodeAt(start) !== OPEN_BRACE && text.slice(start, end).trim() === '') return;
    this.visit(text, start, end, this.lineNo);
  }
}
