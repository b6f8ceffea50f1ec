import type { Device } from '@cvf/core';
import type { DicomDecodePool } from './decode/dicom-decode-pool.js';
import type { EdgeFeedback } from './feedback/edge-feedback.js';
import { HttpError } from './http/http-error.js';
import type { AuditLog } from '@cvf/medical/node';
import type { InferenceLog } from './inference-log.js';
import type { EdgeMetrics } from './metrics.js';
import type { ModelSlot } from './models/model-slot.js';
import type { ResultStow } from './stow/result-stow.js';
import type { ServedModel } from './models/served-model.js';

/** What the route handlers share: the models, limits, metrics and sinks of one server. */
export interface ServerState {
  readonly slots: ReadonlyMap<string, ModelSlot>;
  /** The model `/v1/predict` serves: the first one given. */
  readonly defaultModel: string | undefined;
  readonly device: Device;
  readonly metrics: EdgeMetrics;
  readonly inferenceLog: InferenceLog | undefined;
  /** Where the SRs of answered DICOM predictions go (`--stow`), when anywhere. */
  readonly stow: ResultStow | undefined;
  /** The audit trail every answered decision is appended to, when there is one. */
  readonly audit: AuditLog | undefined;
  /** What answered predictions said, and the labels fed back for them. */
  readonly feedback: EdgeFeedback;
  readonly maxBodyBytes: number;
  readonly maxPixels: number;
  readonly maxBatch: number;
  readonly dicomPool: DicomDecodePool | undefined;
  /** Every model loaded and warmed, and not draining. */
  ready(): boolean;
  /**
   * The request asking is the only one the server holds, and `inferenceThread` is 'auto': its
   * model run and audit sync may block the event loop, since no other request waits behind them.
   */
  loneRequest(): boolean;
}

/** The slot serving `name` (404 naming the models served otherwise). */
export function slotOf(state: ServerState, name: string): ModelSlot {
  const slot = state.slots.get(name);
  if (!slot) throw new HttpError(404, 'MODEL_NOT_FOUND', `no model "${name}"; models served: ${[...state.slots.keys()].join(', ') || 'none yet'}`);
  return slot;
}

/** The current version of `name`, which must be `version` when one is named (404 otherwise). */
export function modelVersionOf(state: ServerState, name: string, version: string | undefined): ServedModel {
  const model = slotOf(state, name).current;
  if (version !== undefined && version !== model.version) {
    throw new HttpError(404, 'MODEL_VERSION_NOT_FOUND', `model "${name}" has no version "${version}" being served; it serves version ${model.version}`);
  }
  return model;
}
