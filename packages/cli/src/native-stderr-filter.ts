/**
 * Dawn (the `webgpu` package) prints its diagnostics from native code straight to the process's
 * stderr — e.g. `Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from
 * 1000000 to 16 ...` on every start on lavapipe — where no JavaScript can intercept them. The
 * launcher (quiet-launch.ts) runs the command as a child and passes its stderr through this
 * filter, which drops those lines (and the `    at ...` lines that follow one) unless `--verbose`.
 */
const DAWN_LINE = /^Warning: /;
const CONTINUATION = /^ {4}at /;
const PREFIX = 'Warning: ';

export class NativeStderrFilter {
  #pending = '';
  #dropping = false;
  readonly #write: (text: string) => void;

  constructor(write: (text: string) => void) {
    this.#write = write;
  }

  /** Takes a chunk of the child's stderr; writes at once what is not a Dawn line. */
  push(chunk: string): void {
    this.#pending += chunk;
    let out = '';
    // Complete lines: kept or dropped whole. `\r` ends a progress-bar frame, so it ends a piece too.
    for (let end = this.#nextBreak(); end >= 0; end = this.#nextBreak()) {
      const piece = this.#pending.slice(0, end + 1);
      this.#pending = this.#pending.slice(end + 1);
      this.#dropping = DAWN_LINE.test(piece) || (this.#dropping && CONTINUATION.test(piece));
      if (!this.#dropping) out += piece;
    }
    // An unfinished piece is held only while it may still become a Dawn line; progress frames pass at once.
    if (this.#pending && !(PREFIX.startsWith(this.#pending) || this.#pending.startsWith(PREFIX) || (this.#dropping && ' '.repeat(4).startsWith(this.#pending.slice(0, 4))))) {
      this.#dropping = false;
      out += this.#pending;
      this.#pending = '';
    }
    if (out) this.#write(out);
  }

  /** The child ended: what is held is written, unless it is a Dawn line. */
  end(): void {
    if (this.#pending && !DAWN_LINE.test(this.#pending) && !(this.#dropping && CONTINUATION.test(this.#pending))) this.#write(this.#pending);
    this.#pending = '';
  }

  #nextBreak(): number {
    const n = this.#pending.indexOf('\n');
    const r = this.#pending.indexOf('\r');
    return n < 0 ? r : r < 0 ? n : Math.min(n, r);
  }
}
