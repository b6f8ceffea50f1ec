import type { CreateSessionOptions, OnnxExecutionProvider } from '../../onnx/session.js';
import type { OnnxTensor } from '../../onnx/onnx-tensor.js';

/** What the thread that owns the ONNX Runtime sessions is asked to do. */
export type OrtWorkerRequest =
  | { readonly id: number; readonly op: 'create'; readonly model: Uint8Array; readonly options: CreateSessionOptions }
  | { readonly id: number; readonly op: 'run'; readonly session: number; readonly feeds: Record<string, OnnxTensor>; readonly outputNames: readonly string[] | undefined }
  | { readonly id: number; readonly op: 'release'; readonly session: number };

/** A session as created in the thread: its handle and what OnnxSession exposes. */
export interface CreatedSession {
  readonly session: number;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly executionProvider: OnnxExecutionProvider;
}

/** The thread's answer to request `id`: a value, or the error as its class name, code and message. */
export type OrtWorkerAnswer =
  | { readonly id: number; readonly ok: true; readonly value: CreatedSession | Record<string, OnnxTensor> | null }
  | { readonly id: number; readonly ok: false; readonly name: string; readonly code: string | undefined; readonly message: string };
