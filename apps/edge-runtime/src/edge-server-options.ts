import { CvfError, type Device, type MonitorConfig } from '@cvf/core';
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import type { AuditLog } from '@cvf/medical/node';
import type { InferenceLog } from './inference-log.js';

export interface EdgeServerOptions {
  /** Models to serve: bundle folders, `.tar` bundles, or NAME@ALIAS / NAME@VERSION in `store`. */
  readonly models: readonly string[];
  /** Tracking store of registered models, fed-back labels and drift events: a folder or a postgres:// URL. Default `.cvf`. */
  readonly store?: string;
  /** Interface to bind. Default 127.0.0.1; any other than loopback needs `apiKeys`. */
  readonly host?: string;
  /** Default 0: any free port (see `EdgeServer.url`). */
  readonly port?: number;
  /** Bearer keys; when given, every route but the health probes needs one. */
  readonly apiKeys?: readonly string[];
  /** Largest request body. Default 50 MiB (413 past it). */
  readonly maxBodyBytes?: number;
  /** Largest image, by the pixels its header declares (all frames of a DICOM). Default 64 Mpx (413 past it). */
  readonly maxPixels?: number;
  /** Most images per inference batch. Default 32. */
  readonly maxBatch?: number;
  /** How long a request may wait for others to join its batch. Default 2 ms. */
  readonly maxQueueDelayMs?: number;
  /** Most requests waiting per model (503 with Retry-After past it). Default 256. */
  readonly maxQueue?: number;
  /** A request that has not started after this long is answered 503. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** How often NAME@ALIAS models look their alias up. Default 5 s; 0: only on `checkForUpdates()` (SIGHUP). */
  readonly reloadIntervalMs?: number;
  /** Worker threads that decode DICOM uploads off the event loop (CPU device only); 0 decodes on it. Default 1. */
  readonly decodeWorkers?: number;
  /** Threads that search each model's flat case index together (0: one per core, at most 8). Default 1: ONNX Runtime's threads already use the cores. */
  readonly searchThreads?: number;
  /**
   * Where the models' ONNX Runtime sessions run. 'worker': always on a thread of their own, so the
   * event loop goes on reading and answering requests meanwhile. 'auto': the same, but a request
   * that is the only one in the server runs on the event loop's thread (nothing waits behind it),
   * which saves two thread crossings per answer — sequential traffic's latency, and its p99 most
   * (bench/edge) — for the memory of a second copy of each session. Default 'auto'.
   */
  readonly inferenceThread?: 'auto' | 'worker';
  /**
   * ONNX Runtime threads per model run (intra-op). 0: one per physical core this process may use
   * (physicalCores); where that cannot be read, ONNX Runtime's own default. Default 0.
   */
  readonly ortThreads?: number;
  /** Where preprocessing and the extractor run. Default: a CPU device. */
  readonly device?: Device;
  /** Serve only bundles signed by this Ed25519 public key (PEM). */
  readonly publicKey?: string;
  /** Where each prediction's features and outputs go, for drift monitoring. Default: nowhere. */
  readonly inferenceLog?: InferenceLog;
  /** Every this many predictions of a model, check its last this many for drift (mmd + input) and update the cvf_drift_* gauges. Default 0: no checks. */
  readonly driftWindow?: number;
  /** The store's hash-chained audit trail: each answered decision of v1 and v2 appends a record before it is sent. Default: none. */
  readonly audit?: AuditLog;
  /** A DICOMweb root (e.g. http://pacs:8042/dicom-web): each answered DICOM prediction's SR is stored there with STOW-RS, off the request path. Default: none. */
  readonly stow?: string;
  /** With `stow`: also store a Secondary Capture of the model input with the decided class's occlusion saliency burnt in (about 225 model runs per DICOM, in the background). Default false. */
  readonly stowCapture?: boolean;
  /** JSON logger (pino). Default: info level to stdout. */
  readonly logger?: Logger;
  /** The pipeline config's `monitor` section: the performance trigger on fed-back labels, retraining on it. Default: the section's defaults. */
  readonly monitor?: MonitorConfig;
}

export type ResolvedEdgeServerOptions = Required<Omit<EdgeServerOptions, 'device' | 'publicKey' | 'inferenceLog' | 'stow' | 'audit' | 'logger' | 'monitor'>> &
  Pick<EdgeServerOptions, 'device' | 'publicKey' | 'inferenceLog' | 'stow' | 'audit' | 'logger' | 'monitor'>;

const MiB = 1024 * 1024;

export const EDGE_SERVER_DEFAULTS = {
  store: '.cvf',
  host: '127.0.0.1',
  port: 0,
  maxBodyBytes: 50 * MiB,
  maxPixels: 64 * 1000 * 1000,
  maxBatch: 32,
  maxQueueDelayMs: 2,
  maxQueue: 256,
  requestTimeoutMs: 30_000,
  reloadIntervalMs: 5_000,
  decodeWorkers: 1,
  searchThreads: 1,
  inferenceThread: 'auto',
  ortThreads: 0,
  driftWindow: 0,
  stowCapture: false,
} as const;

/** Options with their defaults, checked: limits are positive, and a public interface needs API keys. */
export function resolveEdgeServerOptions(options: EdgeServerOptions): ResolvedEdgeServerOptions {
  const resolved = { ...EDGE_SERVER_DEFAULTS, apiKeys: [], ...withoutUndefined(options) } as ResolvedEdgeServerOptions;
  if (resolved.models.length === 0) throw new CvfError('SERVE_OPTIONS_INVALID', 'no model to serve; name at least one bundle folder, .tar file or NAME@ALIAS');
  for (const key of ['maxBodyBytes', 'maxPixels', 'maxBatch', 'maxQueue', 'requestTimeoutMs'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) throw new CvfError('SERVE_OPTIONS_INVALID', `${key} ${resolved[key]} must be a positive integer`);
  }
  if (!Number.isInteger(resolved.driftWindow) || resolved.driftWindow < 0 || resolved.driftWindow === 1) {
    throw new CvfError('SERVE_OPTIONS_INVALID', `driftWindow ${resolved.driftWindow} must be 0 (no drift checks) or a whole number of predictions ≥ 2`);
  }
  for (const key of ['maxQueueDelayMs', 'reloadIntervalMs', 'port', 'decodeWorkers'] as const) {
    if (!Number.isFinite(resolved[key]) || resolved[key] < 0) throw new CvfError('SERVE_OPTIONS_INVALID', `${key} ${resolved[key]} must be a number ≥ 0`);
  }
  if (!Number.isInteger(resolved.ortThreads) || resolved.ortThreads < 0) throw new CvfError('SERVE_OPTIONS_INVALID', `ortThreads ${resolved.ortThreads} must be a whole number ≥ 0 (0: one per physical core)`);
  if (!Number.isInteger(resolved.searchThreads) || resolved.searchThreads < 0) throw new CvfError('SERVE_OPTIONS_INVALID', `searchThreads ${resolved.searchThreads} must be a whole number ≥ 0 (0: one per core)`);
  if (resolved.inferenceThread !== 'auto' && resolved.inferenceThread !== 'worker') throw new CvfError('SERVE_OPTIONS_INVALID', `inferenceThread "${String(resolved.inferenceThread)}" must be auto or worker`);
  if (resolved.stowCapture && resolved.stow === undefined) throw new CvfError('SERVE_OPTIONS_INVALID', 'stowCapture needs stow: the capture goes to the PACS with the SR (--stow URL --stow-capture)');
  if (resolved.apiKeys.some((key) => key.length < 16 || /\s/.test(key))) {
    throw new CvfError('SERVE_OPTIONS_INVALID', 'an API key must be at least 16 characters without whitespace');
  }
  if (!isLoopback(resolved.host) && resolved.apiKeys.length === 0) {
    throw new CvfError('SERVE_INSECURE', `refusing to serve on ${resolved.host} without credentials: a non-loopback host needs --api-key or --api-keys-file (or bind 127.0.0.1, ::1 or localhost)`);
  }
  return resolved;
}

/** Whether `host` only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '[::1]';
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
