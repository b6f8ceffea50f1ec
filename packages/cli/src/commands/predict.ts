import {
  CvfError,
  decodeInput,
  disposeDecodedInput,
  findStage,
  isSoftwareAdapter,
  Predictor,
  WebGpuUnavailableError,
  type DecodedInput,
  type DecodeInputOptions,
  type Device,
  type Prediction,
} from '@cvf/core';
import { createNodeDevice, createOrtNodeRuntime, createOrtNodeWorkerRuntime, createScanPool, loadResolvedBundle, readRegularFile, searchThreads, sharpImageDecoder } from '@cvf/core/node';
import { DicomwebClient, dicomInputDecoder } from '@cvf/medical';
import { Command, Option } from 'commander';
import { resolveModelArgument } from '../model-argument.js';
import { EXIT, printJson, runAction } from '../output.js';
import { nonNegativeIntegerOption, positiveIntegerOption } from '../option-parsers.js';
import { splitStreamInputs } from '../streams/video-inputs.js';
import { predictStreams } from '../streams/video-streams.js';
import { expandPredictInputs, type PredictInput } from './predict-inputs.js';
import { auditPredictions, openPredictAudit } from './predict-audit.js';
import { writePredictionResults, type ResultsTarget, type WrittenResults } from './predict-results.js';

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('classify PNG, JPEG, WebP or DICOM files with a bundle, with the most similar training cases, and videos (.mp4, .webm, .avi, .mkv, .mov, decoded by ffmpeg) and DICOM cines frame by frame, with the segments where the label holds; a file that fails is reported and the rest go on (exit code 1)')
    .argument('<bundle>', 'a bundle folder or .tar file, or a registered model as NAME@ALIAS or NAME@VERSION (e.g. fashion-mnist@production)')
    .argument('<inputs...>', 'images to classify, or folders of them (.png, .jpg, .jpeg, .webp, .dcm, .dicom and extension-less files), and video files; videos and cines are predicted after the images')
    .option('-r, --recursive', 'read folders with their subfolders')
    .option('--similar <k>', 'similar cases per file; 0 leaves them out (default: the bundle index k)', nonNegativeIntegerOption)
    .option('--store <dir|url>', 'tracking store (a folder or a postgres:// URL) for NAME@ALIAS (default: $CVF_STORE, else the nearest .cvf/ here or above)')
    .addOption(new Option('--device <kind>', 'where preprocessing and the extractor run: auto (WebGPU when a hardware adapter exists, else the CPU), cpu, or webgpu').choices(DEVICE_KINDS).default('auto'))
    .option('--allow-software', 'let --device auto or webgpu use a software WebGPU adapter (lavapipe, SwiftShader): correct, but slower than the CPU path')
    .option('--public-key <file>', 'serve the bundle only if it carries a valid Ed25519 signature by this key (PEM; see cvf models sign)')
    .option('--allow-contract-mismatch', "predict files that do not meet the model's input contract (modality, photometric interpretation, bits, size, body part) instead of refusing them; their results are marked")
    .option('--no-audit', 'do not append the decisions to the store\'s audit trail (by default they are, when a store is found; see cvf audit)')
    .option('--sr <dir>', 'for each DICOM file, write a DICOM Structured Report of its decision and a Secondary Capture of the image with its saliency overlay into <dir> (UID.sr.dcm, UID.sc.dcm), in the source study')
    .option('--stow <url>', 'for each DICOM file, store the same Structured Report and Secondary Capture in the PACS at this DICOMweb root with STOW-RS, in the source study (e.g. http://pacs:8042/dicom-web)')
    .option('--sr-deidentify', 'de-identify the patient/study the --sr and --stow objects copy (Basic Profile, key $CVF_DEID_SECRET as in cvf dicom deid, so they reference its de-identified copies)')
    .option('--every <n>', 'videos and cines: predict every Nth frame', positiveIntegerOption, 1)
    .option('--batch <n>', 'videos and cines: frames predicted together', positiveIntegerOption, 16)
    .option('--drift-window <n>', 'videos and cines: every n predicted frames, check the last n for drift against the bundle\'s training reference (default 100 with --metrics-port, else 0: no checks)', nonNegativeIntegerOption)
    .option('--metrics-port <port>', 'videos and cines: serve Prometheus metrics (cvf_stream_* frames, frames/s, latency; cvf_drift_* by stream) at http://127.0.0.1:<port>/metrics while they run (0: a free port, printed)', nonNegativeIntegerOption)
    .option('--threads <n>', "threads that search a flat case index together (0: one per core, at most 8; default: the bundle's index.threads, else 1, since a chunk of 32 files rarely pays for more)", nonNegativeIntegerOption)
    .option('--json', 'print JSON')
    .action((bundleArg: string, inputs: string[], options: PredictOptions) =>
      runAction(Boolean(options.json), async () => {
        if (options.srDeidentify && options.sr === undefined && options.stow === undefined) throw new CvfError('USAGE_INVALID', '--sr-deidentify de-identifies what --sr writes or --stow stores; give --sr <dir> or --stow <url> too');
        const publicKey = options.publicKey === undefined ? undefined : new TextDecoder().decode(await readRegularFile(options.publicKey, { what: 'public key', maxBytes: 64 << 10 }));
        const resolved = await resolveModelArgument(bundleArg, options.store);
        const bundle = await loadResolvedBundle(resolved, publicKey === undefined ? {} : { publicKey });
        // The audit names the model as the registry does: a registered bundle's manifest carries no version.
        const auditedModel = { name: resolved.registered?.name ?? bundle.manifest.name, version: resolved.registered?.version ?? bundle.manifest.version, configHash: bundle.manifest.configHash };
        const audit = await openPredictAudit(options.store, options.audit !== false);
        const { streams, images: files } = await splitStreamInputs(await expandPredictInputs(inputs, { recursive: Boolean(options.recursive) }));
        const device = await openDevice(options.device, Boolean(options.allowSoftware));
        const secret = process.env.CVF_DEID_SECRET;
        const results: ResultsTarget | undefined =
          options.sr === undefined && options.stow === undefined
            ? undefined
            : {
                ...(options.sr !== undefined && { dir: options.sr }),
                ...(options.stow !== undefined && { stow: new DicomwebClient({ url: options.stow }) }),
                ...(options.srDeidentify && { deidentify: secret === undefined ? {} : { secret } }),
              };
        let predictor: Predictor | undefined;
        // With videos or cines, ONNX Runtime runs on a worker thread: its runs are synchronous native
        // code, and on this thread they would stop the reading of ffmpeg's pipe while each batch runs.
        const workerRuntime = streams.length > 0 ? await createOrtNodeWorkerRuntime() : undefined;
        const onnxRuntime = workerRuntime ?? (await createOrtNodeRuntime());
        const indexParams = findStage(bundle.manifest, 'index')?.params;
        const threads = searchThreads(options.threads ?? (indexParams && 'threads' in indexParams ? indexParams.threads : undefined) ?? 1);
        const scanPool = threads > 1 ? await createScanPool(threads) : undefined;
        try {
          predictor = await Predictor.load(bundle, { device, onnxRuntime, ...(scanPool && { scanPool }) });
          const { window } = bundle.manifest.preprocess;
          const contract = { contract: bundle.manifest.input, allowContractMismatch: Boolean(options.allowContractMismatch) };
          const decode = { device, decoder: sharpImageDecoder, dicom: dicomInputDecoder, ...(window && { window }), ...contract };
          const predicted: PredictResult[] = [];
          // A chunk at a time: a folder of thousands of scans never sits on the device at once.
          for (let start = 0; start < files.length; start += CHUNK) {
            const chunk = await predictChunk(predictor, files.slice(start, start + CHUNK), decode, options.similar, results);
            if (audit) await auditPredictions(audit, chunk, auditedModel);
            if (!options.json) chunk.forEach(printResult);
            predicted.push(...chunk);
          }
          const streamed = streams.length === 0 ? [] : await predictStreams(predictor, bundle, streams, {
            device,
            every: options.every,
            batch: options.batch,
            driftWindow: options.driftWindow ?? (options.metricsPort === undefined ? 0 : DEFAULT_DRIFT_WINDOW),
            ...(options.metricsPort !== undefined && { metricsPort: options.metricsPort }),
            print: !options.json,
          });
          if (options.json) printJson([...predicted, ...streamed]);
          const failed = predicted.some((r) => 'error' in r || (r.results !== undefined && 'error' in r.results)) || streamed.some((r) => 'error' in r);
          return failed ? EXIT.failed : EXIT.ok;
        } finally {
          await predictor?.release();
          await scanPool?.close();
          await workerRuntime?.close();
          device.destroy();
        }
      }, EXIT.badInput),
    );
}

/** Files decoded and predicted together. */
const CHUNK = 32;

/** Frames per drift check of a video or cine whose metrics are served (--metrics-port without --drift-window). */
const DEFAULT_DRIFT_WINDOW = 100;

/** One line of `cvf predict`'s output: a prediction, or why that file has none. */
export type PredictResult = ({ readonly file: string; readonly results?: WrittenResults } & Prediction) | { readonly file: string; readonly error: { readonly code: string; readonly message: string; readonly [detail: string]: unknown } };

/**
 * Decodes each file on its own, so one bad file is that file's error and the rest are predicted;
 * the images that decoded are predicted in one batch. Results keep the order of `files`.
 * `load` reads an input other than a local file (a batch job's DICOMweb instance or dataset sample).
 */
export async function predictChunk(predictor: Predictor, files: readonly PredictInput[], decode: DecodeInputOptions, similar: number | undefined, results: ResultsTarget | undefined, load = (file: string) => decodeFile(file, decode)): Promise<PredictResult[]> {
  const decoded: ({ file: string; image: DecodedInput } | { file: string; error: unknown })[] = [];
  for (const input of files) {
    if ('error' in input) decoded.push(input);
    else decoded.push(await load(input.file).then((image) => ({ file: input.file, image }), (error: unknown) => ({ file: input.file, error })));
  }
  const images = decoded.flatMap((d) => ('image' in d ? [d.image] : []));
  try {
    const predictions = await predictor.predict(images, similar === undefined ? {} : { similar });
    let next = 0;
    const out: PredictResult[] = [];
    for (const d of decoded) {
      if (!('image' in d)) {
        out.push({ file: d.file, error: describeError(d.error) });
        continue;
      }
      const prediction = predictions[next++]!;
      // While the image is still decoded: its saliency map is computed on it.
      const written = results && (await writePredictionResults(results, d.file, d.image, prediction, { device: decode.device, predictor }));
      out.push({ file: d.file, ...prediction, ...(written && { results: written }) });
    }
    return out;
  } finally {
    images.forEach(disposeDecodedInput);
  }
}

/** A file's error as `--json` shows it; an error that is not a CvfError is a defect, so it is not swallowed. */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof CvfError) return { code: error.code, message: error.message, ...error.details };
  throw error;
}

function printResult(result: PredictResult): void {
  if ('error' in result) {
    process.stderr.write(`error [${result.error.code}]: ${result.error.message}\n`);
    return;
  }
  const similar = result.similar.length ? `  similar: ${result.similar.map((s) => `${s.id} [${s.label}]`).join(', ')}` : '';
  const marks = [
    ...(result.outOfDistribution ? [`  [out of distribution: nearest case at ${result.nearestCaseDistance!.toPrecision(3)} > ${result.distanceThreshold!.toPrecision(3)}]`] : []),
    ...(result.contractMismatches ?? []).map((m) => `  [contract mismatch: ${m.field} ${m.found}, expected ${m.expected}]`),
  ];
  const decision = `  decision: ${result.decision.summary}`;
  if (result.results && 'error' in result.results) process.stderr.write(`error [${result.results.error.code}]: ${result.results.error.message}\n`);
  if (result.results && 'report' in result.results) marks.push(`  results: ${result.results.report}, ${result.results.capture}`);
  if (result.results && 'storedInStudy' in result.results) marks.push(`  stored in study ${result.results.storedInStudy}`);
  process.stdout.write(`${result.file}: ${result.top.map((t) => `${t.label} ${(t.probability * 100).toFixed(1)}%`).join(', ')}${decision}${similar}${marks.join('')}\n`);
}

export const DEVICE_KINDS = ['auto', 'cpu', 'webgpu'] as const;

interface PredictOptions {
  recursive?: boolean;
  similar?: number;
  store?: string;
  device: (typeof DEVICE_KINDS)[number];
  allowSoftware?: boolean;
  allowContractMismatch?: boolean;
  publicKey?: string;
  audit?: boolean;
  sr?: string;
  stow?: string;
  srDeidentify?: boolean;
  every: number;
  batch: number;
  driftWindow?: number;
  metricsPort?: number;
  threads?: number;
  json?: boolean;
}

/**
 * The Device of `--device`. A software adapter emulates the GPU on the CPU, slower than the CPU
 * path: `auto` passes it over and `webgpu` refuses it, unless `--allow-software`.
 */
export async function openDevice(kind: (typeof DEVICE_KINDS)[number], allowSoftware: boolean): Promise<Device> {
  const device = await createNodeDevice({ prefer: kind, allowSoftwareAdapter: allowSoftware });
  if (kind === 'webgpu' && !allowSoftware && device.adapter && isSoftwareAdapter(device.adapter)) {
    const name = device.adapter.description || device.adapter.architecture;
    device.destroy();
    throw new WebGpuUnavailableError(`the only adapter is a software one (${name}), slower than the CPU path; pass --allow-software to run on it anyway`);
  }
  return device;
}

/**
 * A file through `decodeInput`, the one way in (type sniffed from the bytes: PNG, JPEG, WebP, or
 * DICOM windowed on the device); errors name the file.
 */
export async function decodeFile(path: string, options: DecodeInputOptions): Promise<DecodedInput> {
  // Regular files only, of a bounded size: /dev/zero or a FIFO is refused, not read forever.
  return decodeNamedBytes(path, await readRegularFile(path, { what: 'image' }), options);
}

/** Image bytes through `decodeInput`; errors name where they came from (a file, a DICOMweb instance). */
export async function decodeNamedBytes(name: string, bytes: Uint8Array, options: DecodeInputOptions): Promise<DecodedInput> {
  try {
    return await decodeInput(bytes, undefined, options);
  } catch (error) {
    if (error instanceof CvfError) throw new CvfError(error.code, `${name}: ${error.message}`, { cause: error, ...(error.details && { details: error.details }) });
    throw error;
  }
}
