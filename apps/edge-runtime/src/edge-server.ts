import { CpuDevice, CvfError, withSessionDefaults } from '@cvf/core';
import { createOrtNodeWorkerRuntime, createScanPool, physicalCores, searchThreads } from '@cvf/core/node';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DicomDecodePool } from './decode/dicom-decode-pool.js';
import { resolveEdgeServerOptions, type EdgeServerOptions } from './edge-server-options.js';
import { EdgeFeedback } from './feedback/edge-feedback.js';
import { feedbackRoutes } from './feedback/feedback-route.js';
import { BearerAuth } from './http/bearer-auth.js';
import { HttpError } from './http/http-error.js';
import { sendError } from './http/respond.js';
import { matchRoute, type RequestContext, type Route } from './http/route.js';
import { createLogger } from './logger.js';
import { EdgeMetrics } from './metrics.js';
import { ModelSlot } from './models/model-slot.js';
import { edgeDriftMonitor } from './monitoring/edge-drift-monitor.js';
import type { ServerState } from './server-state.js';
import { ResultStow } from './stow/result-stow.js';
import { serviceRoutes } from './service-routes.js';
import { fileRoutes } from './v1/file-routes.js';
import { v2Routes } from './v2/v2-routes.js';

export interface EdgeServer {
  /** http://host:port the server listens on. */
  readonly url: string;
  readonly metrics: EdgeMetrics;
  /** Every model loaded and warmed, and not draining. */
  ready(): boolean;
  /** The models served now, by name, with the version taking new requests. */
  models(): { name: string; version: string }[];
  /** Threads that search each model's case index (its name → count). */
  searchThreads(): Record<string, number>;
  /** ONNX Runtime threads per model run (EdgeServerOptions.ortThreads, 0 resolved); undefined: ONNX Runtime's own default. */
  readonly ortThreads: number | undefined;
  /** Looks every NAME@ALIAS model's alias up now and swaps in a moved one, retrying a version that failed to load (what SIGHUP does). */
  checkForUpdates(): Promise<void>;
  /** Drains: new requests are refused (503), requests in flight are answered, then models are released. */
  close(): Promise<void>;
}

const ROUTES: readonly Route<ServerState>[] = [...v2Routes, ...fileRoutes, ...feedbackRoutes, ...serviceRoutes];

/** A request id from the caller (x-request-id) when it is a plain token, else a new one. */
function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

/**
 * The edge runtime: loads and warms each model, then answers the Open Inference Protocol v2 and
 * the file routes on one HTTP server. Listens from the start (liveness answers at once);
 * readiness follows the models. Resolves once every model is ready.
 */
export async function createEdgeServer(input: EdgeServerOptions): Promise<EdgeServer> {
  const options = resolveEdgeServerOptions(input);
  const log = options.logger ?? createLogger();
  const metrics = new EdgeMetrics();
  const auth = new BearerAuth(options.apiKeys);
  const ownDevice = options.device === undefined;
  const device = options.device ?? new CpuDevice();
  const slots = new Map<string, ModelSlot>();
  const stow = options.stow === undefined ? undefined : new ResultStow({ url: options.stow, metrics, log, capture: options.stowCapture });
  const dicomPool = options.decodeWorkers > 0 && device.backend === 'cpu' ? new DicomDecodePool(Math.floor(options.decodeWorkers)) : undefined;
  // Off the request path: checks the last window of each model's predictions every window predictions.
  const drift = edgeDriftMonitor(options, { registry: metrics.registry, device, log, served: (name) => { const model = slots.get(name)?.current; return model && { version: model.version, bundle: model.predictor.bundle }; } });
  let loaded = false;
  let draining = false;
  let inFlight = 0;
  let allAnswered: (() => void) | undefined;
  const state: ServerState = {
    slots,
    get defaultModel() {
      return slots.keys().next().value;
    },
    device,
    metrics,
    stow,
    inferenceLog: drift ? drift.tap(options.inferenceLog) : options.inferenceLog,
    feedback: new EdgeFeedback({ store: options.store, registry: metrics.registry, logger: log, ...(options.monitor !== undefined && { monitor: options.monitor }) }),
    audit: options.audit,
    maxBodyBytes: options.maxBodyBytes,
    maxPixels: options.maxPixels,
    maxBatch: options.maxBatch,
    dicomPool,
    ready: () => loaded && !draining,
    loneRequest: () => options.inferenceThread === 'auto' && inFlight === 1,
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const id = requestId(request);
    response.setHeader('x-request-id', id);
    let label = 'unmatched';
    let errors: Route<ServerState>['errors'] = 'coded';
    let context: RequestContext | undefined;
    try {
      if (draining) {
        response.setHeader('connection', 'close');
        throw new HttpError(503, 'SHUTTING_DOWN', 'the server is shutting down; retry on another instance', { headers: { 'retry-after': '1' } });
      }
      const url = new URL(request.url ?? '/', 'http://localhost');
      let match;
      try {
        match = matchRoute(ROUTES, request.method ?? 'GET', url.pathname);
      } catch {
        throw new HttpError(400, 'PATH_INVALID', `the path ${JSON.stringify(url.pathname)} is not valid percent-encoding`);
      }
      if (url.pathname.startsWith('/v2')) errors = 'v2';
      if (match === null) throw new HttpError(404, 'NOT_FOUND', `no route ${request.method} ${url.pathname}; see /v2, /v1/models/{model}/predict, /healthz, /readyz, /metrics`);
      if ('allowed' in match) {
        throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${request.method} ${url.pathname}: use ${match.allowed.join(' or ')}`, { headers: { allow: match.allowed.join(', ') } });
      }
      label = match.route.label;
      errors = match.route.errors;
      if (match.route.auth) auth.check(request);
      context = { id, request, response, url, params: match.params };
      await match.route.handle(context, state);
    } catch (error) {
      // A body left unread (refused early, e.g. too large) is not read to its end: the connection closes after the answer.
      if (!request.complete && !response.headersSent) response.setHeader('connection', 'close');
      const status = sendError(response, error, errors);
      if (status >= 500 && !(error instanceof HttpError)) log.error({ reqId: id, route: label, err: error }, 'request failed');
    } finally {
      // Discard what the client still sends until the connection closes.
      if (!request.complete) request.resume();
      const status = response.statusCode;
      const model = context?.model ?? '';
      const version = context?.version ?? '';
      const seconds = (performance.now() - started) / 1000;
      metrics.requests.inc({ model, version, route: label, status: String(status) });
      metrics.requestDuration.observe({ model, route: label }, seconds);
      log.info({ reqId: id, method: request.method, route: label, status, latencyMs: Math.round(seconds * 1e4) / 10, model: model || undefined, version: version || undefined }, 'request');
    }
  }

  const server = createServer((request, response) => {
    inFlight++;
    handle(request, response)
      .catch((error: unknown) => log.error({ err: error }, 'request handler failed'))
      .finally(() => {
        if (--inFlight === 0) allAnswered?.();
      });
  });
  // A client's broken connection is its problem, never the process's.
  server.on('clientError', (error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    log.debug({ err: error }, 'client error');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;

  async function checkForUpdates(force: boolean): Promise<void> {
    await Promise.all(
      [...slots.values()].map((slot) =>
        slot.checkForUpdate(force).catch((error: unknown) => log.warn({ err: error, model: slot.name }, 'the alias moved, but the new version could not be served; the current one keeps serving')),
      ),
    );
  }

  let poll: NodeJS.Timeout | undefined;
  async function close(): Promise<void> {
    if (draining) return;
    draining = true;
    clearInterval(poll);
    log.info({ inFlight: inFlight }, 'draining');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    for (const slot of slots.values()) slot.current.flush();
    if (inFlight > 0) await new Promise<void>((resolve) => (allAnswered = resolve));
    server.closeAllConnections();
    await closed;
    // The SRs of answered predictions are still sent before the process goes.
    await stow?.drain();
    await drift?.close();
    for (const slot of slots.values()) await slot.close();
    await onnxRuntime?.close();
    await scanPool?.close();
    await dicomPool?.close();
    state.feedback.close();
    if (ownDevice) device.destroy();
    log.info('closed');
  }

  // Threads per ONNX Runtime run: one per physical core unless asked. ORT's own default on Linux,
  // half the logical CPUs, leaves half of a VM without SMT idle (docs/serving.md).
  const ortThreads = options.ortThreads > 0 ? options.ortThreads : physicalCores();
  // The models' ONNX sessions run in a thread of their own: onnxruntime-node's run is synchronous,
  // and on this event loop it would stop every request for the length of each inference — except
  // a lone request's, with inferenceThread 'auto': nothing waits behind it.
  let onnxRuntime: Awaited<ReturnType<typeof createOrtNodeWorkerRuntime>> | undefined;
  let scanPool: Awaited<ReturnType<typeof createScanPool>> | undefined;
  try {
    const runtime = withSessionDefaults(await createOrtNodeWorkerRuntime({ callingThreadCopies: options.inferenceThread === 'auto' }), { intraOpNumThreads: ortThreads });
    onnxRuntime = runtime;
    metrics.countOnnxRuns(() => runtime.runs());
    const threads = searchThreads(options.searchThreads);
    if (threads > 1) scanPool = await createScanPool(threads);
    const batching = { maxBatch: options.maxBatch, maxQueueDelayMs: options.maxQueueDelayMs, maxQueue: options.maxQueue, timeoutMs: options.requestTimeoutMs };
    const context = { device, onnxRuntime, batching, metrics, loneRequest: state.loneRequest, ...(options.publicKey !== undefined && { publicKey: options.publicKey }), ...(scanPool && { scanPool }) };
    for (const argument of options.models) {
      const slot = await ModelSlot.open(argument, options.store, context, log);
      if (slots.has(slot.name)) {
        await slot.close();
        throw new CvfError('SERVE_OPTIONS_INVALID', `two models are named "${slot.name}" (${slots.get(slot.name)!.argument} and ${argument}); each model needs its own name`);
      }
      slots.set(slot.name, slot);
    }
    await dicomPool?.start();
  } catch (error) {
    await close();
    throw error;
  }
  loaded = true;
  if (options.reloadIntervalMs > 0 && [...slots.values()].some((slot) => slot.followsAlias)) {
    poll = setInterval(() => void checkForUpdates(false), options.reloadIntervalMs);
    poll.unref();
  }
  log.info({ url, models: [...slots.values()].map((s) => ({ name: s.name, version: s.current.version })), ortThreads: ortThreads ?? 'onnxruntime default' }, 'ready');
  return {
    url,
    metrics,
    ready: state.ready,
    models: () => [...slots.values()].map((slot) => ({ name: slot.name, version: slot.current.version })),
    ortThreads,
    searchThreads: () => Object.fromEntries([...slots.values()].map((slot) => [slot.name, slot.current.predictor.searchThreads])),
    checkForUpdates: () => checkForUpdates(true),
    close,
  };
}
