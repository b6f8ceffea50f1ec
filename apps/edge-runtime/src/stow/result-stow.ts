import { CvfError, type PlanarImage, type Prediction, type SaliencyMap } from '@cvf/core';
import { createResultObjects, DicomwebClient, parseDicom, reportContentOf, storeResultObjects } from '@cvf/medical';
import type { Logger } from 'pino';
import type { EdgeMetrics } from '../metrics.js';

/** One answered DICOM prediction whose SR (and, with `saliency`, its overlay capture) goes to the PACS. */
export interface StowJob {
  readonly dicom: Uint8Array;
  readonly prediction: Prediction;
  /** Computes the model input's saliency map for the capture, in the job's turn (it costs about 225 model runs). */
  readonly saliency?: () => Promise<{ image: PlanarImage; map: SaliencyMap }>;
  /** Called once the job is stored, has failed or was dropped. */
  readonly done?: () => void;
}

export interface ResultStowOptions {
  /** The DICOMweb root STOW-RS posts to, e.g. http://pacs:8042/dicom-web */
  readonly url: string;
  readonly metrics: EdgeMetrics;
  readonly log: Logger;
  /** Bytes of DICOM uploads waiting for their SR to be stored; past it a job is dropped (and counted as a failure). Default 256 MiB. */
  readonly maxPendingBytes?: number;
  /** How long one STOW-RS request may take before it counts as failed, so a hung PACS cannot hold the queue (or a shutdown) forever. Default 30 s. */
  readonly timeoutMs?: number;
  /** Also store each DICOM's overlay capture (jobs then carry `saliency`). Default false. */
  readonly capture?: boolean;
}

const MiB = 1024 * 1024;

/**
 * Sends the Structured Report of each answered DICOM prediction to a PACS (STOW-RS into the
 * source study), off the request path: `enqueue` returns at once and the jobs run one after
 * another in the background. A failure (unreachable PACS, refused instance, a source without a
 * study UID, a full queue) is logged and counted in `cvf_stow_failures_total`; it never fails the
 * request, which was answered already.
 */
export class ResultStow {
  readonly #client: DicomwebClient;
  readonly #metrics: EdgeMetrics;
  readonly #log: Logger;
  readonly #maxPendingBytes: number;
  /** Whether jobs carry the overlay capture (`stowJobs` makes them so). */
  readonly capture: boolean;
  #pendingBytes = 0;
  #tail: Promise<void> = Promise.resolve();

  constructor(options: ResultStowOptions) {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const timed: typeof fetch = (input, init) => globalThis.fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    this.#client = new DicomwebClient({ url: options.url, fetch: timed });
    this.#metrics = options.metrics;
    this.#log = options.log;
    this.#maxPendingBytes = options.maxPendingBytes ?? 256 * MiB;
    this.capture = options.capture ?? false;
  }

  get url(): string {
    return this.#client.url;
  }

  /** Queues the SRs of `jobs` (the DICOM predictions of one request) for `model`. */
  enqueue(model: string, jobs: readonly StowJob[]): void {
    for (const job of jobs) {
      if (this.#pendingBytes + job.dicom.length > this.#maxPendingBytes) {
        this.#failed(model, new CvfError('STOW_QUEUE_FULL', `${(this.#pendingBytes / MiB).toFixed(1)} MiB of uploads already wait for STOW-RS to ${this.url}; this result is dropped`));
        job.done?.();
        continue;
      }
      this.#pendingBytes += job.dicom.length;
      this.#tail = this.#tail.then(() => this.#store(model, job)).finally(() => (this.#pendingBytes -= job.dicom.length));
    }
  }

  /** Resolves once every queued job has been stored or has failed (the server's close waits for it). */
  drain(): Promise<void> {
    return this.#tail;
  }

  async #store(model: string, job: StowJob): Promise<void> {
    try {
      const saliency = job.saliency && (await job.saliency());
      const results = await createResultObjects({ source: parseDicom(job.dicom), ...reportContentOf(job.prediction), ...(saliency && { saliency }) });
      await storeResultObjects(this.#client, results);
      this.#metrics.stowed.inc({ model });
      this.#log.debug({ model, capture: Boolean(saliency) }, 'SR stored');
    } catch (error) {
      this.#failed(model, error);
    } finally {
      job.done?.();
    }
  }

  #failed(model: string, error: unknown): void {
    const code = error instanceof CvfError ? error.code : 'STOW_FAILED';
    this.#metrics.stowFailures.inc({ model, code });
    // The log names no instance: UIDs in the message (a refused SOP Instance, say) are masked.
    const message = (error instanceof Error ? error.message : String(error)).replace(/\b\d+(\.\d+){3,}\b/g, '<uid>');
    this.#log.warn({ model, code, message, url: this.url }, 'storing the SR of a prediction failed; the prediction was answered');
  }
}
