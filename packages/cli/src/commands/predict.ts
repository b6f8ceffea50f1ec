import {
  BundleError,
  CvfError,
  decodeInput,
  disposeDecodedInput,
  FileError,
  isSoftwareAdapter,
  Predictor,
  WebGpuUnavailableError,
  type DecodedInput,
  type DecodeInputOptions,
  type Device,
  type PreprocessConfig,
} from '@cvf/core';
import { createNodeDevice, createOrtNodeRuntime, readBundleFolder, sharpImageDecoder, SqliteTrackingStore } from '@cvf/core/node';
import { dicomInputDecoder } from '@cvf/medical';
import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { EXIT, printJson, runAction } from '../output.js';

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('classify PNG, JPEG, WebP or DICOM files with a bundle, with the most similar training cases')
    .argument('<bundle>', 'a bundle folder, or a registered model as NAME@ALIAS or NAME@VERSION (e.g. fashion-mnist@production)')
    .argument('<files...>', 'images to classify')
    .option('--similar <k>', 'similar cases per file (default: the bundle index k)', (v) => Number.parseInt(v, 10))
    .addOption(new Option('--store <dir>', 'tracking store for NAME@ALIAS').default('.cvf'))
    .addOption(new Option('--device <kind>', 'where preprocessing and the extractor run: auto (WebGPU when a hardware adapter exists, else the CPU), cpu, or webgpu').choices(DEVICE_KINDS).default('auto'))
    .option('--allow-software', 'let --device auto or webgpu use a software WebGPU adapter (lavapipe, SwiftShader): correct, but slower than the CPU path')
    .option('--json', 'print JSON')
    .action((bundleArg: string, files: string[], options: PredictOptions) =>
      runAction(Boolean(options.json), async () => {
        const bundle = await readBundleFolder(await resolveBundle(bundleArg, options.store));
        const device = await openDevice(options.device, Boolean(options.allowSoftware));
        const images: DecodedInput[] = [];
        let predictor: Predictor | undefined;
        try {
          predictor = await Predictor.load(bundle, { device, onnxRuntime: await createOrtNodeRuntime() });
          const window = (bundle.manifest.preprocess as PreprocessConfig).window;
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

/** A folder path as is; otherwise NAME@ALIAS or NAME@VERSION looked up in the registry. */
async function resolveBundle(argument: string, storeRoot: string): Promise<string> {
  if (existsSync(argument)) return argument;
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)@([a-z][a-z0-9-]*|\d+)$/.exec(argument);
  if (!match) throw new BundleError('BUNDLE_NOT_FOUND', `${argument} is neither a bundle folder nor NAME@ALIAS / NAME@VERSION`);
  const [, name, ref] = match as unknown as [string, string, string];
  const store = SqliteTrackingStore.open(storeRoot);
  try {
    const version = /^\d+$/.test(ref) ? await store.getVersion(name, Number(ref)) : await store.getByAlias(name, ref);
    if (!version) throw new BundleError('BUNDLE_NOT_FOUND', `model "${name}" has no alias "${ref}" in ${storeRoot}`);
    return version.bundle;
  } finally {
    store.close();
  }
}

/**
 * A file through `decodeInput`, the one way in (type sniffed from the bytes: PNG, JPEG, WebP, or
 * DICOM windowed on the device); errors name the file.
 */
async function decodeFile(path: string, options: DecodeInputOptions): Promise<DecodedInput> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new FileError(`cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  try {
    return await decodeInput(bytes, undefined, options);
  } catch (error) {
    if (error instanceof CvfError) throw new CvfError(error.code, `${path}: ${error.message}`, { cause: error });
    throw error;
  }
}
