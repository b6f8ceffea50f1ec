/** One progress event of a long job (training, indexing, decoding a folder). */
export interface ProgressEvent {
  readonly stage: string;
  readonly done: number;
  readonly total: number;
  /** Seconds left, when the job can estimate it. */
  readonly etaSeconds?: number;
  readonly metrics?: Readonly<Record<string, number>>;
  readonly message?: string;
}

/**
 * Reports progress: a bar redrawn in place on a terminal, or one JSON line per event with
 * --json (so scripts and the studio can follow a run). Redraws are throttled; the final state
 * of each stage is always drawn.
 */
export class ProgressReporter {
  readonly #json: boolean;
  readonly #stream: NodeJS.WriteStream;
  readonly #interactive: boolean;
  #lastDraw = 0;
  #lastLogged = 0;
  #lastStage = '';

  constructor(options: { json: boolean; stream?: NodeJS.WriteStream }) {
    this.#json = options.json;
    this.#stream = options.stream ?? process.stderr;
    this.#interactive = Boolean(this.#stream.isTTY) && !this.#json;
  }

  update(event: ProgressEvent): void {
    if (this.#json) {
      process.stdout.write(`${JSON.stringify({ type: 'progress', ...event })}\n`);
      return;
    }
    const now = Date.now();
    const finished = event.done >= event.total;
    const newStage = event.stage !== this.#lastStage;
    if (!finished && !newStage && now - this.#lastDraw < 100) return;
    if (newStage && this.#lastStage && this.#interactive) this.#stream.write('\n');
    this.#lastDraw = now;
    this.#lastStage = event.stage;
    const line = formatProgress(event, this.#interactive ? (this.#stream.columns ?? 100) : 100);
    if (this.#interactive) this.#stream.write(`\r\x1b[2K${line}${finished ? '\n' : ''}`);
    else if (finished || newStage || now - this.#lastLogged >= 10_000) {
      // A log file gets a line per stage change and one every ten seconds, not a redraw per batch.
      this.#stream.write(`${line}\n`);
      this.#lastLogged = now;
    }
    if (finished) this.#lastStage = '';
  }
}

export function formatProgress(event: ProgressEvent, columns: number): string {
  const fraction = event.total > 0 ? Math.min(1, event.done / event.total) : 0;
  const metrics = Object.entries(event.metrics ?? {})
    .map(([k, v]) => `${k} ${Number.isInteger(v) || Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(4)}`)
    .join('  ');
  const eta = event.etaSeconds !== undefined && fraction < 1 ? `ETA ${formatDuration(event.etaSeconds)}` : '';
  const head = `${event.stage} ${event.done}/${event.total}`;
  const tail = [`${(fraction * 100).toFixed(0).padStart(3)}%`, eta, metrics, event.message ?? ''].filter(Boolean).join('  ');
  const width = Math.max(10, Math.min(40, columns - head.length - tail.length - 6));
  const filled = Math.round(fraction * width);
  return `${head} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${tail}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
