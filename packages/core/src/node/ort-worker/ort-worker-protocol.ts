import type { CreateSessionOptions, OnnxExecutionProvider } from '../../onnx/session.js';
import type { OnnxTensor } from '../../onnx/onnx-tensor.js';

/** What the thread that owns the ONNX Runtime sessions is asked to do. */
export type OrtWorkerRequest =
  | { readonly id: number; readonly op: 'create'; readonly model: Uint8Array; readonly options: CreateSessionOptions }
  | { readonly id: number; readonly op: 'run'; readonly session: number; readonly feeds: Record<string, OnnxTensor>; readonly outputNames: readonly string[] | undefined; readonly returnFeeds: boolean }
  | { readonly id: number; readonly op: 'release'; readonly session: number };

/** A session as created in the thread: its handle and what OnnxSession exposes. */
export interface CreatedSession {
  readonly session: number;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly executionProvider: OnnxExecutionProvider;
}

/** A run's outputs, and the feed buffers moved to the thread for it when the caller asked for them back. */
export interface RunAnswer {
  readonly outputs: Record<string, OnnxTensor>;
  readonly feeds: readonly ArrayBuffer[];
}

/** The thread's answer to request `id`: a value, or the error as its class name, code and message. */
export type OrtWorkerAnswer =
  | { readonly id: number; readonly ok: true; readonly value: CreatedSession | RunAnswer | null }
  | { readonly id: number; readonly ok: false; readonly name: string; readonly code: string | undefined; readonly message: string };

/**
 * The distinct whole buffers under tensors, to move to the other thread instead of copying them.
 * A view over part of a larger buffer is left out (copied): moving it would detach memory that is
 * not the tensor's.
 */
export function tensorBuffers(tensors: Iterable<OnnxTensor>): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const { data } of tensors) {
    if (data.buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength) buffers.add(data.buffer);
  }
  return [...buffers];
}
