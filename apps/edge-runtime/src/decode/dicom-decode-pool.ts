import { CvfError, deviceImage, Tensor, type DecodedInput } from '@cvf/core';
import { Worker } from 'node:worker_threads';
import { HttpError } from '../http/http-error.js';
import type { DicomDecodeAnswer, DicomDecodeJob, DicomDecodeSettings } from './dicom-decode-worker.js';

interface Pending {
  resolve(answer: DicomDecodeAnswer): void;
  reject(error: unknown): void;
}

interface PoolWorker {
  worker: Worker;
  readonly pending: Map<number, Pending>;
}

/**
 * Worker threads that parse and decode DICOM files off the event loop (the codecs are
 * synchronous JavaScript and WebAssembly). A file goes to the worker with the fewest jobs; a
 * worker that dies fails its jobs (500) and is replaced. The result comes back as a CPU tensor,
 * which is what a CPU device preprocesses.
 */
export class DicomDecodePool {
  readonly #workers: PoolWorker[];
  #next = 0;
  #closed = false;

  readonly #size: number;

  constructor(size: number) {
    this.#size = size;
    this.#workers = [];
  }

  /** Starts the workers and resolves once each has loaded the codecs, so the first DICOM does not wait for that. */
  async start(): Promise<void> {
    const started: Promise<void>[] = [];
    while (this.#workers.length < this.#size) {
      const entry: PoolWorker = { worker: undefined as unknown as Worker, pending: new Map() };
      started.push(this.#spawn(entry));
      this.#workers.push(entry);
    }
    await Promise.all(started);
  }

  async decode(bytes: Uint8Array, settings: DicomDecodeSettings): Promise<{ input: DecodedInput; sopInstanceUid: string | undefined }> {
    if (this.#workers.length < this.#size) await this.start();
    const entry = this.#workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.#next++;
    const job: DicomDecodeJob = { id, bytes, ...settings };
    const answer = await new Promise<DicomDecodeAnswer>((resolve, reject) => {
      entry.pending.set(id, { resolve, reject });
      entry.worker.ref();
      entry.worker.postMessage(job);
    });
    if (!answer.ok) {
      if (answer.status !== undefined) throw new HttpError(answer.status, answer.code ?? 'INTERNAL', answer.message);
      if (answer.code !== undefined) throw new CvfError(answer.code, answer.message);
      throw new Error(`DICOM decode worker: ${answer.name}: ${answer.message}`);
    }
    const tensor = Tensor.cpu(answer.dtype, answer.shape, answer.data);
    return { input: answer.kind === 'device-image' ? deviceImage(tensor, answer.range) : tensor, sopInstanceUid: answer.sopInstanceUid };
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#workers.map(({ worker }) => worker.terminate()));
  }

  /** Starts a worker for `entry`; resolves when it says it is ready (or fails to start). */
  #spawn(entry: PoolWorker): Promise<void> {
    // From the sources (tests run TypeScript), the worker is TypeScript too, loaded through tsx's loader.
    const source = import.meta.url.endsWith('.ts');
    const url = new URL(`./dicom-decode-worker.${source ? 'ts' : 'js'}`, import.meta.url);
    const worker = source
      ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, execArgv: ['--conditions=source'] })
      : new Worker(url);
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    worker.on('message', (answer: DicomDecodeAnswer | { ready: true }) => {
      if ('ready' in answer) return;
      entry.pending.get(answer.id)?.resolve(answer);
      entry.pending.delete(answer.id);
      // An idle worker does not keep the process alive.
      if (entry.pending.size === 0) worker.unref();
    });
    const fail = (error: unknown) => {
      for (const { reject } of entry.pending.values()) reject(error);
      entry.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      fail(new Error(`DICOM decode worker exited with code ${code}`));
      if (!this.#closed) void this.#spawn(entry).catch(() => undefined);
    });
    worker.unref();
    entry.worker = worker;
    return ready;
  }
}
