import { isSoftwareAdapter, WebGpuUnavailableError, type Device } from '@cvf/core';
import { createNodeDevice, loadPipelineConfigFile, parseModelReference, readRegularFile, trackingStoreFolder } from '@cvf/core/node';
import { AuditLog } from '@cvf/medical/node';
import { createEdgeServer, createInferenceLog, createLogger, type InferenceLog } from '@cvf/edge-runtime';
import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, runAction } from '../output.js';
import { locateStore } from '../store-location.js';
import {
  byteSizeOption,
  collectOption,
  integerOption,
  millisecondsOption,
  pixelCountOption,
  readApiKeys,
  SERVE_DEFAULTS,
  SERVE_DEVICE_KINDS,
  SERVE_INFERENCE_THREADS,
  SERVE_LOG_LEVELS,
  type ServeOptions,
} from './serve-options.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve models over HTTP: the Open Inference Protocol v2 (KServe/Triton) and file uploads, with dynamic batching, hot reload of NAME@ALIAS models and Prometheus metrics; JSON logs on stdout')
    .argument('<models...>', 'bundle folders or .tar files, or registered models as NAME@ALIAS (followed when the alias moves) or NAME@VERSION')
    .addOption(new Option('--host <host>', 'interface to bind; any but loopback needs --api-key or --api-keys-file').default(SERVE_DEFAULTS.host))
    .addOption(new Option('--port <port>', 'port to listen on (0: any free port)').default(8080).argParser(integerOption(0)))
    .option('--store <dir|url>', 'tracking store (a folder or a postgres:// URL) of NAME@ALIAS models (default: $CVF_STORE, else the nearest .cvf/ here or above)')
    .option('--api-key <key>', 'a Bearer key clients must send (repeatable; at least 16 characters)', collectOption)
    .option('--api-keys-file <file>', 'a file of Bearer keys, one a line')
    .addOption(new Option('--max-body <size>', 'largest request body (413 past it)').default(SERVE_DEFAULTS.maxBodyBytes, '50MiB').argParser(byteSizeOption))
    .addOption(new Option('--max-pixels <n>', 'largest image by the pixels its header declares, all frames (413 past it)').default(SERVE_DEFAULTS.maxPixels, '64M').argParser(pixelCountOption))
    .addOption(new Option('--max-batch <n>', 'most images per inference batch').default(SERVE_DEFAULTS.maxBatch).argParser(integerOption(1)))
    .addOption(new Option('--max-queue-delay-ms <ms>', 'how long a request waits for others to join its batch').default(SERVE_DEFAULTS.maxQueueDelayMs).argParser(millisecondsOption))
    .addOption(new Option('--max-queue <n>', 'most requests waiting per model (503 with Retry-After past it)').default(SERVE_DEFAULTS.maxQueue).argParser(integerOption(1)))
    .addOption(new Option('--request-timeout-ms <ms>', 'a request not started after this long is answered 503').default(SERVE_DEFAULTS.requestTimeoutMs).argParser(integerOption(1)))
    .addOption(new Option('--reload-interval-ms <ms>', 'how often NAME@ALIAS models check their alias (0: only on SIGHUP)').default(SERVE_DEFAULTS.reloadIntervalMs).argParser(integerOption(0)))
    .addOption(new Option('--decode-workers <n>', 'worker threads that decode DICOM off the event loop (0: decode on it)').default(SERVE_DEFAULTS.decodeWorkers).argParser(integerOption(0)))
    .addOption(new Option('--threads <n>', "threads that search each model's flat case index together (0: one per core, at most 8; ONNX Runtime's threads already use the cores)").default(SERVE_DEFAULTS.searchThreads).argParser(integerOption(0)))
    .addOption(new Option('--inference-thread <where>', "where models run: worker (always a thread of their own, the event loop stays free) or auto (the same, but a request alone in the server runs on the event loop's thread: two thread crossings fewer, for a second copy of each model's session in memory)").choices(SERVE_INFERENCE_THREADS).default(SERVE_DEFAULTS.inferenceThread))
    .addOption(new Option('--ort-threads <n>', 'ONNX Runtime threads per model run (0: one per physical core this process may use)').default(SERVE_DEFAULTS.ortThreads).argParser(integerOption(0)))
    .addOption(new Option('--drift-window <n>', 'every n predictions of a model, check its last n for drift (mmd on the features + input on the images) and export cvf_drift_* gauges (0: no checks)').default(SERVE_DEFAULTS.driftWindow).argParser(integerOption(0)))
    .addOption(new Option('--device <kind>', 'where preprocessing and the extractor run: auto (WebGPU when a hardware adapter exists, else the CPU), cpu, or webgpu').choices(SERVE_DEVICE_KINDS).default('auto'))
    .option('--allow-software', 'let --device auto or webgpu use a software WebGPU adapter (lavapipe, SwiftShader)')
    .option('--public-key <file>', 'serve only bundles signed by this Ed25519 key (PEM; see cvf models sign)')
    .option('--no-inference-log', 'do not log features and outputs of predictions for drift monitoring')
    .option('--no-audit', "do not append each answered decision to the store's audit trail (<store>/audit; see cvf audit)")
    .option('--config <file>', 'pipeline YAML whose monitor section applies: the performance trigger on labels fed back to POST /v1/models/{model}/feedback (default: the section defaults, trigger off)')
    .option('--stow <url>', 'a DICOMweb root (e.g. http://pacs:8042/dicom-web): store the Structured Report of each answered DICOM prediction there with STOW-RS, in the source study, off the request path (failures are logged and counted in cvf_stow_failures_total)')
    .option('--stow-capture', 'with --stow: also store a Secondary Capture of the model input with the occlusion saliency of the decided class burnt in (about 225 model runs per DICOM, in the background)')
    .option('--inference-log-dir <dir>', 'folder of the inference log (default: <store>/inference-log)')
    .addOption(new Option('--log-level <level>', 'log level').choices(SERVE_LOG_LEVELS).default('info'))
    .action((models: string[], options: ServeOptions) => runAction(false, () => serve(models, options), EXIT.badInput));
}

/**
 * Runs the edge runtime until SIGTERM or SIGINT, which drain it (new requests refused, those in
 * flight answered) before the process exits 0. SIGHUP makes NAME@ALIAS models check their alias now.
 */
async function serve(models: string[], options: ServeOptions): Promise<number> {
  const logger = createLogger({ level: options.logLevel });
  const apiKeys = await readApiKeys(options);
  // Read before anything starts: a bad config is refused with its line and column, nothing opened.
  const monitor = options.config === undefined ? undefined : (await loadPipelineConfigFile(options.config)).monitor;
  const publicKey = options.publicKey === undefined ? undefined : new TextDecoder().decode(await readRegularFile(options.publicKey, { what: 'public key', maxBytes: 64 << 10 }));
  // NAME@ALIAS models need a store that exists (refused, saying where it looked); bundle paths only need a home for the inference log.
  const registered = models.some((m) => !existsSync(m) && parseModelReference(m) !== null);
  const store = locateStore({ flag: options.store, use: registered ? 'read' : 'create' }).root;
  const device = await openDevice(options);
  let inferenceLog: InferenceLog | undefined;
  let audit: AuditLog | undefined;
  // Signals that arrive while models load are kept and acted on once the server is up.
  let stop: (signal: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  const onStop = (signal: NodeJS.Signals) => stop(signal);
  process.on('SIGTERM', onStop);
  process.on('SIGINT', onStop);
  try {
    if (options.inferenceLog) {
      const dir = options.inferenceLogDir ?? join(trackingStoreFolder(store), 'inference-log');
      inferenceLog = createInferenceLog({ dir, onError: (error) => logger.warn({ err: error, dir }, 'inference log write failed; predictions go on') });
    }
    const server = await createEdgeServer({
      models,
      store,
      host: options.host,
      port: options.port,
      apiKeys,
      maxBodyBytes: options.maxBody,
      maxPixels: options.maxPixels,
      maxBatch: options.maxBatch,
      maxQueueDelayMs: options.maxQueueDelayMs,
      maxQueue: options.maxQueue,
      requestTimeoutMs: options.requestTimeoutMs,
      reloadIntervalMs: options.reloadIntervalMs,
      decodeWorkers: options.decodeWorkers,
      searchThreads: options.threads,
      inferenceThread: options.inferenceThread,
      ortThreads: options.ortThreads,
      driftWindow: options.driftWindow,
      device,
      logger,
      ...(publicKey !== undefined && { publicKey }),
      ...(inferenceLog && { inferenceLog }),
      ...(options.stow !== undefined && { stow: options.stow }),
      ...(options.stowCapture && { stowCapture: true }),
      ...(monitor !== undefined && { monitor }),
      ...(options.audit && { audit: (audit = await AuditLog.open(store)) }),
    });
    const onHangup = () => void server.checkForUpdates();
    process.on('SIGHUP', onHangup);
    const signal = await stopped;
    logger.info({ signal }, 'stopping: draining requests in flight');
    process.off('SIGHUP', onHangup);
    await server.close();
    return EXIT.ok;
  } finally {
    process.off('SIGTERM', onStop);
    process.off('SIGINT', onStop);
    await inferenceLog?.close();
    audit?.close();
    device.destroy();
  }
}

/** The Device of `--device`; a software adapter only with --allow-software (it is slower than the CPU path). */
async function openDevice(options: ServeOptions): Promise<Device> {
  const allowSoftware = Boolean(options.allowSoftware);
  const device = await createNodeDevice({ prefer: options.device, allowSoftwareAdapter: allowSoftware });
  if (options.device === 'webgpu' && !allowSoftware && device.adapter && isSoftwareAdapter(device.adapter)) {
    const name = device.adapter.description || device.adapter.architecture;
    device.destroy();
    throw new WebGpuUnavailableError(`the only adapter is a software one (${name}), slower than the CPU path; pass --allow-software to run on it anyway`);
  }
  return device;
}
