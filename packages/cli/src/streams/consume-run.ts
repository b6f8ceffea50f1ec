import { Predictor } from '@cvf/core';
import { createOrtNodeRuntime, loadResolvedBundle, sharpImageDecoder } from '@cvf/core/node';
import { dicomInputDecoder } from '@cvf/medical';
import { CONSUME_DEFAULTS, type ConsumeOptions } from '../commands/consume.js';
import { openDevice } from '../commands/predict.js';
import { resolveModelArgument } from '../model-argument.js';
import { EXIT } from '../output.js';
import { runConsumeLoop, type MessageSource } from './consume-loop.js';
import { BatchPredictor, type ConsumeResult } from './consume-predict.js';
import { resultObject, type AnsweringModel } from './consume-result.js';
import { StreamMonitors } from './monitor.js';
import { serveStreamMetrics } from './monitor-server.js';
import { NatsStreamSource, type NatsSourceOptions } from './nats-source.js';
import { RedisStreamSource, type RedisSourceOptions } from './redis-source.js';

/** The bus `cvf consume` reads, as its options name it (see consumeBus). */
export type ConsumeBus =
  | ({ readonly kind: 'redis' } & Omit<RedisSourceOptions, 'model'>)
  | ({ readonly kind: 'nats' } & Omit<NatsSourceOptions, 'model' | 'maxAckPending'>);

/**
 * `cvf consume`: loads the model once, opens the bus, and predicts what arrives until SIGTERM or
 * SIGINT; then reads nothing more, writes and acknowledges the batches in flight, and returns 0.
 * Each result is printed once it is written and acknowledged.
 */
export async function runConsume(bundleArg: string, bus: ConsumeBus, options: ConsumeOptions): Promise<number> {
  const resolved = await resolveModelArgument(bundleArg, options.store);
  const bundle = await loadResolvedBundle(resolved);
  const { manifest } = bundle;
  const model: AnsweringModel = { name: resolved.registered?.name ?? manifest.name, version: resolved.registered?.version ?? manifest.version ?? null, configHash: manifest.configHash };
  const streamName = bus.kind === 'redis' ? bus.address.stream : bus.stream;
  const device = await openDevice(options.device, Boolean(options.allowSoftware));
  const monitors = new StreamMonitors({ device, window: options.driftWindow ?? (options.metricsPort === undefined ? 0 : CONSUME_DEFAULTS.driftWindowWithMetrics) });
  let predictor: Predictor | undefined;
  let source: MessageSource | undefined;
  let metrics: { url: string; close(): Promise<void> } | undefined;
  // From here a signal stops the consumer cleanly (a stop during start-up too); a second one ends it
  // at once — what it held is not acknowledged, so the bus delivers it again.
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    stop.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    predictor = await Predictor.load(bundle, { device, onnxRuntime: await createOrtNodeRuntime() });
    const batches = new BatchPredictor({
      predictor,
      decode: { device, decoder: sharpImageDecoder, dicom: dicomInputDecoder, ...(manifest.preprocess.window && { window: manifest.preprocess.window }), contract: manifest.input, allowContractMismatch: Boolean(options.allowContractMismatch) },
      payloads: { ...(options.refRoot !== undefined && { fileRoot: options.refRoot }), fetchTimeoutMs: options.fetchTimeout, maxDeliveries: options.maxDeliveries },
      ...(options.similar !== undefined && { similar: options.similar }),
      predictOptions: monitors.predictOptions,
      observer: monitors.stream(streamName, bundle),
    });
    if (options.metricsPort !== undefined) metrics = await serveStreamMetrics(monitors, options.metricsPort);
    source = bus.kind === 'redis' ? await RedisStreamSource.open({ ...bus, model }) : await NatsStreamSource.open({ ...bus, model, maxAckPending: options.batch * options.maxInFlight });
    const where = bus.kind === 'redis' ? `redis stream ${streamName} (group ${bus.group}, consumer ${bus.consumer}) → ${bus.outStream}` : `JetStream ${streamName} ${bus.subject} (durable ${bus.durable}) → ${bus.outSubject}`;
    process.stderr.write(`cvf consume: ${where}${metrics ? `, metrics at ${metrics.url}` : ''}; SIGTERM or Ctrl-C stops after the batches in flight\n`);
    const completed = await runConsumeLoop({
      source,
      predict: (messages) => batches.predict(messages),
      batch: options.batch,
      maxInFlight: options.maxInFlight,
      signal: stop.signal,
      onCompleted: (results) => results.forEach((result) => printResult(result, model, Boolean(options.json))),
    });
    if (options.json) process.stdout.write(`${JSON.stringify({ completed, stopped: true })}\n`);
    else process.stderr.write(`cvf consume: stopped after ${completed} messages\n`);
    return EXIT.ok;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await source?.close();
    await metrics?.close();
    await monitors.close();
    await predictor?.release();
    device.destroy();
  }
}

function printResult(result: ConsumeResult, model: AnsweringModel, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(resultObject(result, model))}\n`);
    return;
  }
  const name = result.id ?? `(message ${result.sourceId})`;
  if ('error' in result) process.stdout.write(`${name}: error [${result.error.code}] ${result.error.message}\n`);
  else process.stdout.write(`${name}: ${result.prediction.top.map((t) => `${t.label} ${(t.probability * 100).toFixed(1)}%`).join(', ')}  decision: ${result.prediction.decision.summary}\n`);
}
