import { trainLineSchema, type TrainLine } from '../../src/api/schemas.js';

/**
 * Splits `cvf train --json` stdout into its JSON values: progress and the summary are one line
 * each; an error report is indented JSON over several lines. Text that is not JSON is ignored
 * (stdout belongs to the CLI, but a library may print).
 */
export class TrainOutputParser {
  #partial = '';
  #pending: string[] = [];

  /** Feeds a chunk of stdout; returns the lines it completed. */
  push(chunk: string): TrainLine[] {
    this.#partial += chunk;
    const lines = this.#partial.split('\n');
    this.#partial = lines.pop() ?? '';
    const out: TrainLine[] = [];
    for (const line of lines) {
      const value = this.#take(line);
      if (value) out.push(value);
    }
    return out;
  }

  /** The rest, once stdout ended. */
  end(): TrainLine[] {
    const rest = this.#partial;
    this.#partial = '';
    const value = rest ? this.#take(rest) : null;
    return value ? [value] : [];
  }

  #take(line: string): TrainLine | null {
    if (this.#pending.length === 0 && !line.startsWith('{')) return null;
    this.#pending.push(line);
    let value: unknown;
    try {
      value = JSON.parse(this.#pending.join('\n'));
    } catch {
      // An indented report ends with a '}' at column 0; past that, it was not JSON after all.
      if (line === '}') this.#pending = [];
      return null;
    }
    this.#pending = [];
    const parsed = trainLineSchema.safeParse(value);
    return parsed.success ? parsed.data : null;
  }
}
