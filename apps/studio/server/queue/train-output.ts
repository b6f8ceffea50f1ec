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
    // A complete one-line value stands alone, even after an unfinished block that was not JSON.
    const alone = line.startsWith('{') ? parseJson(line) : undefined;
    if (alone !== undefined) {
      this.#pending = [];
      return asTrainLine(alone);
    }
    if (this.#pending.length === 0 && line !== '{') return null;
    this.#pending.push(line);
    const value = parseJson(this.#pending.join('\n'));
    // An indented report ends with a '}' at column 0; past that (or a bound), it was not JSON after all.
    if (value !== undefined || line === '}' || this.#pending.length > MAX_REPORT_LINES) this.#pending = [];
    return value === undefined ? null : asTrainLine(value);
  }
}

/** An error report lists config issues (a few lines each): far fewer lines than this. */
const MAX_REPORT_LINES = 20_000;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function asTrainLine(value: unknown): TrainLine | null {
  const parsed = trainLineSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
