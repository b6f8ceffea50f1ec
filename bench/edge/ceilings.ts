// What the HTTP numbers are compared with, in this process, with no HTTP, decoding or queueing:
// - raw ORT: an onnxruntime-node session of the bundle's composed graph (preprocessing → backbone
//   → PCA → head as one ONNX model), run on `batch` images at once — the ceiling of issue 12;
// - in-process Predictor: what the server runs per batch (the staged Predictor on a CPU Device,
//   with features and similar cases), for bundles whose extractor does not compose (HOG).
// Each is timed in a closed loop of runs on a batch of `batch` images: throughput is images per
// second, latency the time of one run (every image of a batch waits for all of it). Both run
// ONNX Runtime on the thread count `cvf serve` uses by default (ORT_THREADS), so the ceiling and
// the server compare one thread count with the same.
import { composedGraphInput, CpuDevice, imageTensor, Predictor, withSessionDefaults, type InputContract, type OnnxTensor } from '@cvf/core';
import { createOrtNodeRuntime, physicalCores, readBundleFolder } from '@cvf/core/node';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { percentile } from './http-load.js';

/** `cvf serve`'s default `--ort-threads`: one per physical core (undefined: ONNX Runtime's own default). */
export const ORT_THREADS = physicalCores();

export interface CeilingResult {
  readonly batch: number;
  readonly runs: number;
  readonly throughput: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Latencies (ms, in run order) of back-to-back runs for `seconds` (at least 3), after two unmeasured ones and `warmupSeconds` more of them. */
export async function runLatencies(run: () => Promise<unknown>, seconds: number, warmupSeconds = 0): Promise<number[]> {
  await run();
  await run();
  for (const until = performance.now() + warmupSeconds * 1000; performance.now() < until; ) await run();
  const latencies: number[] = [];
  const started = performance.now();
  while (performance.now() - started < seconds * 1000 || latencies.length < 3) {
    const t = performance.now();
    await run();
    latencies.push(performance.now() - t);
  }
  return latencies;
}

async function timeRuns(run: () => Promise<unknown>, batch: number, seconds: number): Promise<CeilingResult> {
  const latencies = await runLatencies(run, seconds);
  const elapsed = latencies.reduce((sum, ms) => sum + ms, 0) / 1000;
  latencies.sort((a, b) => a - b);
  return { batch, runs: latencies.length, throughput: (latencies.length * batch) / elapsed, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
}

function images(contract: Pick<InputContract, 'height' | 'width' | 'channels'>, pixels: Uint8Array, batch: number) {
  const { height, width, channels } = contract;
  return Array.from({ length: batch }, () => imageTensor('u8', { height, width, channels: channels as 1 | 3 }, pixels));
}

/** The composed graph (`model.onnx`) of a bundle folder in one raw ORT session: `run(batch)` runs it on `batch` images. */
export async function rawOrtSession(bundleDir: string, contract: Pick<InputContract, 'height' | 'width' | 'channels'>, pixels: Uint8Array): Promise<{ run(batch: number): Promise<unknown>; release(): Promise<void> }> {
  const runtime = await createOrtNodeRuntime();
  const session = await runtime.createSession(new Uint8Array(readFileSync(join(bundleDir, 'model.onnx'))), { executionProviders: ['cpu'], intraOpNumThreads: ORT_THREADS });
  const feeds = new Map<number, Record<string, OnnxTensor>>();
  return {
    run: (batch) => {
      if (!feeds.has(batch)) feeds.set(batch, { [session.inputNames[0]!]: composedGraphInput(images(contract, pixels, batch)) });
      return session.run(feeds.get(batch)!);
    },
    release: () => session.release(),
  };
}

/** The composed graph of a bundle folder in one raw ORT session, timed at each batch size. */
export async function rawOrtCeiling(bundleDir: string, contract: Pick<InputContract, 'height' | 'width' | 'channels'>, pixels: Uint8Array, batches: readonly number[], seconds: number): Promise<CeilingResult[]> {
  const raw = await rawOrtSession(bundleDir, contract, pixels);
  try {
    const results: CeilingResult[] = [];
    for (const batch of batches) results.push(await timeRuns(() => raw.run(batch), batch, seconds));
    return results;
  } finally {
    await raw.release();
  }
}

/** The bundle's Predictor on a CPU Device, as the server runs a batch, at each batch size. */
export async function predictorCeiling(bundleDir: string, contract: Pick<InputContract, 'height' | 'width' | 'channels'>, pixels: Uint8Array, batches: readonly number[], seconds: number): Promise<CeilingResult[]> {
  const device = new CpuDevice();
  const onnxRuntime = withSessionDefaults(await createOrtNodeRuntime(), { intraOpNumThreads: ORT_THREADS });
  const predictor = await Predictor.load(await readBundleFolder(bundleDir), { device, onnxRuntime });
  try {
    const results: CeilingResult[] = [];
    for (const batch of batches) {
      const batchImages = images(contract, pixels, batch);
      results.push(await timeRuns(() => predictor.predict(batchImages, { features: true }), batch, seconds));
    }
    return results;
  } finally {
    await predictor.release();
    device.destroy();
  }
}
