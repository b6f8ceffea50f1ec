import type { InputWindow } from '@cvf/core';
import type { DisplayParams } from '@cvf/medical';
import type { DecodedFrame, DecodeRequest, DecodeResponse, DecodeResult, OpenedImageInfo } from './decode-protocol.js';

/** An error the decode worker reported, with the code and message of the original (a DicomError, an ImageError, ...). */
export class DecodeWorkerError extends Error {
  readonly code: string;
  constructor(name: string, code: string, message: string) {
    super(message);
    this.name = name;
    this.code = code;
  }
}

type Pending = { resolve(result: DecodeResult): void; reject(error: Error): void };
/** A request without its id (the client numbers requests). */
type RequestBody = DecodeRequest extends infer R ? (R extends DecodeRequest ? Omit<R, 'id'> : never) : never;

/** The main thread's side of the decode worker: one promise per request, answered in any order. */
export class DecodeClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  constructor() {
    this.#worker = new Worker(new URL('./dicom-decode.worker.ts', import.meta.url), { type: 'module', name: 'cvf-dicom-decode' });
    this.#worker.onmessage = (event: MessageEvent<DecodeResponse>) => {
      const response = event.data;
      const pending = this.#pending.get(response.id);
      if (!pending) return;
      this.#pending.delete(response.id);
      if (response.ok) pending.resolve(response.result);
      else pending.reject(new DecodeWorkerError(response.error.name, response.error.code, response.error.message));
    };
    this.#worker.onerror = (event) => {
      const error = new DecodeWorkerError('Error', 'VIEWER_WORKER_FAILED', `the decode worker failed: ${event.message}`);
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
  }

  /** Parses a file (its bytes are handed to the worker, not copied). */
  open(fileName: string, bytes: ArrayBuffer): Promise<OpenedImageInfo> {
    return this.#send({ type: 'open', fileName, bytes }, [bytes]) as Promise<OpenedImageInfo>;
  }

  frame(fileId: number, frame: number): Promise<DecodedFrame> {
    return this.#send({ type: 'frame', fileId, frame }) as Promise<DecodedFrame>;
  }

  /** The display transform of a model's `preprocess.window` for a grayscale DICOM frame; null for colour and raster images. */
  modelDisplay(fileId: number, frame: number, window: InputWindow | null): Promise<DisplayParams | null> {
    return this.#send({ type: 'model-display', fileId, frame, window }) as Promise<DisplayParams | null>;
  }

  terminate(): void {
    this.#worker.terminate();
  }

  #send(body: RequestBody, transfer: Transferable[] = []): Promise<DecodeResult> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...body, id }, transfer);
    });
  }
}
