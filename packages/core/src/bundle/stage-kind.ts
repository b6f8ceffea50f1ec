import type { Device } from '../compute/device.js';
import type { FastMatmul } from '../compute/fast-matmul/fast-matmul.js';
import type { ScanPool } from '../index/threads/scan-pool.js';
import type { OnnxRuntime } from '../onnx/session.js';

/** What loading a stage may need from where it runs. */
export interface StageContext {
  readonly device: Device;
  readonly onnxRuntime?: OnnxRuntime;
  readonly fastMatmul?: FastMatmul;
  /** Threads that search a flat case index together (Node: createScanPool of @cvf/core/node); one thread without. */
  readonly scanPool?: ScanPool;
}

/** A stage as the manifest records it: its kind, its parameters, and its files by role. */
export interface StageRecord {
  readonly kind: string;
  readonly params: object;
  readonly files: Readonly<Record<string, string>>;
}

/** The bytes of each of a stage's files, by the role the manifest gives them. */
export type StageFiles<S extends StageRecord> = { readonly [Role in keyof S['files']]: Uint8Array };

/** A stage ready to go into a bundle: its manifest record and the files it names. */
export interface SavedStage<S extends StageRecord> {
  readonly stage: S;
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/** Pairs a stage record with its files, each stored under the name the record gives it. */
export function savedStage<S extends StageRecord>(stage: S, bytes: StageFiles<S>): SavedStage<S> {
  const files = new Map<string, Uint8Array>();
  for (const [role, path] of Object.entries(stage.files)) files.set(path, (bytes as Readonly<Record<string, Uint8Array>>)[role]!);
  return { stage, files };
}
