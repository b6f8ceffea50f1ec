import { HttpError } from '../http/http-error.js';

export interface BatchingOptions {
  /** Most rows (images) one inference runs on. A request with more rows is refused (400). */
  readonly maxBatch: number;
  /** How long the oldest queued request may wait for others to join its batch, in ms. */
  readonly maxQueueDelayMs: number;
  /** Most requests waiting; one more is answered 503 with Retry-After. */
  readonly maxQueue: number;
  /** A request still queued after this many ms is answered 503 (it never started). */
  readonly timeoutMs: number;
}

export interface BatchObserver {
  onBatch?(rows: number): void;
  onQueueDepth?(depth: number): void;
}

/** What a request gets back: its outputs, and how long it queued and ran. */
export interface BatchResult<O> {
  readonly outputs: O[];
  readonly queueMs: number;
  readonly runMs: number;
  readonly batchRows: number;
}

interface Job<I, O> {
  readonly inputs: readonly I[];
  readonly enqueuedAt: number;
  readonly resolve: (result: BatchResult<O>) => void;
  readonly reject: (error: unknown) => void;
  timeout: NodeJS.Timeout | undefined;
}

/**
 * Dynamic batching with Triton's semantics: requests queue; a batch is dispatched as soon as the
 * queued rows reach `maxBatch`, or when the oldest request has waited `maxQueueDelayMs`; whole
 * requests are joined, in order, up to `maxBatch` rows. One batch runs at a time (one inference
 * per model session); the next is formed when it finishes.
 *
 * One departure from Triton: when the traffic is sequential — the last batch was one request and
 * none arrived while it ran — a lone request on the idle model runs at once. Its client sends the
 * next request only after this answer, so waiting for company adds the delay to every request and
 * batches nothing. A request arriving while a batch runs ends that until a batch of one runs alone.
 */
export class DynamicBatcher<I, O> {
  readonly #run: (inputs: I[]) => Promise<O[]>;
  readonly #options: BatchingOptions;
  readonly #observer: BatchObserver;
  readonly #queue: Job<I, O>[] = [];
  #running = false;
  /** Set on shutdown: queued requests run without waiting for their batch to fill. */
  #flushing = false;
  #delayTimer: NodeJS.Timeout | undefined;
  /** The last batch was one request and nothing arrived while it ran (false until a batch has run). */
  #sequential = false;
  #arrivedWhileRunning = false;
  #idleWaiters: (() => void)[] = [];

  constructor(run: (inputs: I[]) => Promise<O[]>, options: BatchingOptions, observer: BatchObserver = {}) {
    this.#run = run;
    this.#options = options;
    this.#observer = observer;
  }

  /** Requests waiting (not counting the batch that runs). */
  get depth(): number {
    return this.#queue.length;
  }

  submit(inputs: readonly I[]): Promise<BatchResult<O>> {
    const { maxBatch, maxQueue, timeoutMs } = this.#options;
    if (inputs.length === 0) return Promise.resolve({ outputs: [], queueMs: 0, runMs: 0, batchRows: 0 });
    if (inputs.length > maxBatch) {
      return Promise.reject(new HttpError(400, 'BATCH_TOO_LARGE', `${inputs.length} images in one request exceed the largest batch, ${maxBatch} (--max-batch)`));
    }
    if (this.#queue.length >= maxQueue) {
      return Promise.reject(new HttpError(503, 'QUEUE_FULL', `the queue holds ${maxQueue} requests (--max-queue); retry shortly`, { headers: { 'retry-after': '1' } }));
    }
    return new Promise((resolve, reject) => {
      const job: Job<I, O> = { inputs, enqueuedAt: performance.now(), resolve, reject, timeout: undefined };
      job.timeout = setTimeout(() => this.#expire(job), timeoutMs);
      if (this.#running) this.#arrivedWhileRunning = true;
      this.#queue.push(job);
      this.#observer.onQueueDepth?.(this.#queue.length);
      this.#schedule();
    });
  }

  /** Stops waiting for batches to fill: everything queued runs as soon as the model is free (shutdown). */
  flush(): void {
    this.#flushing = true;
    this.#schedule();
  }

  /** Resolves once nothing is queued or running (used before a replaced model is released). */
  idle(): Promise<void> {
    if (!this.#running && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #expire(job: Job<I, O>): void {
    const at = this.#queue.indexOf(job);
    if (at < 0) return;
    this.#queue.splice(at, 1);
    this.#observer.onQueueDepth?.(this.#queue.length);
    job.reject(new HttpError(503, 'QUEUE_TIMEOUT', `the request waited ${this.#options.timeoutMs} ms in the queue without starting (--request-timeout-ms); retry shortly`, { headers: { 'retry-after': '1' } }));
    this.#notifyIdle();
  }

  #schedule(): void {
    if (this.#running || this.#queue.length === 0) return;
    const rows = this.#queue.reduce((sum, job) => sum + job.inputs.length, 0);
    const waited = performance.now() - this.#queue[0]!.enqueuedAt;
    const lone = this.#sequential && this.#queue.length === 1;
    if (this.#flushing || lone || rows >= this.#options.maxBatch || waited >= this.#options.maxQueueDelayMs) {
      clearTimeout(this.#delayTimer);
      this.#delayTimer = undefined;
      void this.#dispatch();
    } else if (!this.#delayTimer) {
      this.#delayTimer = setTimeout(() => {
        this.#delayTimer = undefined;
        this.#schedule();
      }, this.#options.maxQueueDelayMs - waited);
    }
  }

  async #dispatch(): Promise<void> {
    const jobs: Job<I, O>[] = [];
    let rows = 0;
    while (this.#queue.length > 0 && rows + this.#queue[0]!.inputs.length <= this.#options.maxBatch) {
      const job = this.#queue.shift()!;
      clearTimeout(job.timeout);
      jobs.push(job);
      rows += job.inputs.length;
    }
    this.#observer.onQueueDepth?.(this.#queue.length);
    this.#observer.onBatch?.(rows);
    this.#running = true;
    this.#arrivedWhileRunning = false;
    const started = performance.now();
    try {
      const outputs = await this.#run(jobs.flatMap((job) => job.inputs));
      const runMs = performance.now() - started;
      let at = 0;
      for (const job of jobs) {
        job.resolve({ outputs: outputs.slice(at, at + job.inputs.length), queueMs: started - job.enqueuedAt, runMs, batchRows: rows });
        at += job.inputs.length;
      }
    } catch (error) {
      for (const job of jobs) job.reject(error);
    } finally {
      this.#running = false;
      this.#sequential = jobs.length === 1 && !this.#arrivedWhileRunning;
      this.#notifyIdle();
      this.#schedule();
    }
  }

  #notifyIdle(): void {
    if (this.#running || this.#queue.length > 0) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
