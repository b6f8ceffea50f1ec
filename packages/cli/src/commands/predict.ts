import {
  CvfError,
  decodeInput,
  disposeDecodedInput,
  isSoftwareAdapter,
  Predictor,
  WebGpuUnavailableError,
  type DecodedInput,
  type DecodeInputOptions,
  type Device,
} from '@cvf/core';
import { createNodeDevice, createOrtNodeRuntime, readRegularFile, sharpImageDecoder } from '@cvf/core/node';
import { dicomInputDecoder } from '@cvf/medical';
import { Command, Option } from 'commander';
import { loadResolvedBundle, resolveBundle } from '../bundle-reference.js';
import { EXIT, printJson, runAction } from '../output.js';
import { positiveIntegerOption } from '../option-parsers.js';

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('classify PNG, JPEG, WebP or DICOM files with a bundle, with the most similar training cases')
    .argument('<bundle>', 'a bundle folder or .tar file, or a registered model as NAME@ALIAS or NAME@VERSION (e.g. fashion-mnist@production)')
    .argument('<files...>', 'images to classify')
    .option('--similar <k>', 'similar cases per file, a positive integer (default: the bundle index k)', positiveIntegerOption)
    .addOption(new Option('--store <dir>', 'tracking store for NAME@ALIAS').default('.cvf'))
    .addOption(new Option('--device <kind>', 'where preprocessing and the extractor run: auto (WebGPU when a hardware adapter exists, else the CPU), cpu, or webgpu').choices(DEVICE_KINDS).default('auto'))
    .option('--allow-software', 'let --device auto or webgpu use a software WebGPU adapter (lavapipe, SwiftShader): correct, but slower than the CPU path')
    .option('--public-key <file>', 'serve the bundle only if it carries a valid Ed25519 signature by this key (PEM; see cvf models sign)')
    .option('--json', 'print JSON')
    .action((bundleArg: string, files: string[], options: PredictOptions) =>
      runAction(Boolean(options.json), async () => {
        const publicKey = options.publicKey === undefined ? undefined : new TextDecoder().decode(await readRegularFile(options.publicKey, { what: 'public key', maxBytes: 64 << 10 }));
        const bundle = await loadResolvedBundle(await resolveBundle(bundleArg, options.store), publicKey === undefined ? {} : { publicKey });
        const device = await openDevice(options.device, Boolean(options.allowSoftware));
        const images: DecodedInput[] = [];
        let predictor: Predictor | undefined;
        try {
          predictor = await Predictor.load(bundle, { device, onnxRuntime: await createOrtNodeRuntime() });
          const { window } = bundle.manifest.preprocess;
          const decode = { device, decoder: sharpImageDecoder, dicom: dicomInputDecoder, ...(window && { window }) };
          for (const file of files) images.push(await decodeFile(file, decode));
          const predictions = await predictor.predict(images, options.similar !== undefined ? { similar: options.similar } : {});
          const results = predictions.map((p, i) => ({ file: files[i]!, ...p }));
          if (options.json) printJson(results);
          else for (const r of results) process.stdout.write(`${r.file}: ${r.top.map((t) => `${t.label} ${(t.probability * 100).toFixed(1)}%`).join(', ')}  similar: ${r.similar.map((s) => `${s.id} [${s.label}]`).join(', ')}\n`);
          return EXIT.ok;
        } finally {
          images.forEach(disposeDecodedInput);
          await predictor?.release();
          device.destroy();
        }
      }, EXIT.badInput),
    );
}

const DEVICE_KINDS = ['auto', 'cpu', 'webgpu'] as const;

interface PredictOptions {
  similar?: number;
  store: string;
  device: (typeof DEVICE_KINDS)[number];
  allowSoftware?: boolean;
  publicKey?: string;
  json?: boolean;
}

/**
 * The Device of `--device`. A software adapter emulates the GPU on the CPU, slower than the CPU
 * path: `auto` passes it over and `webgpu` refuses it, unless `--allow-software`.
 */
async function openDevice(kind: PredictOptions['device'], allowSoftware: boolean): Promise<Device> {
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
async function decodeFile(path: string, options: DecodeInputOptions): Promise<DecodedInput> {
  // Regular files only, of a bounded size: /dev/zero or a FIFO is refused, not read forever.
  const bytes = await readRegularFile(path, { what: 'image' });
  try {
    return await decodeInput(bytes, undefined, options);
  } catch (error) {
    if (error instanceof CvfError) throw new CvfError(error.code, `${path}: ${error.message}`, { cause: error });
    throw error;
  }
}
