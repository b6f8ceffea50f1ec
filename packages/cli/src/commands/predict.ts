import { BundleError, FileError, Predictor, type Device, type ImageTensor, type PreprocessConfig } from '@cvf/core';
import { createNodeDevice, createOrtNodeRuntime, readBundleFolder, sharpImageDecoder, SqliteTrackingStore } from '@cvf/core/node';
import { dicomSampleImage, parseDicom } from '@cvf/medical';
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
    .option('--json', 'print JSON')
    .action((bundleArg: string, files: string[], options: { similar?: number; store: string; json?: boolean }) =>
      runAction(Boolean(options.json), async () => {
        const bundle = await readBundleFolder(await resolveBundle(bundleArg, options.store));
        const device = await createNodeDevice({ prefer: 'auto' });
        const predictor = await Predictor.load(bundle, { device, onnxRuntime: await createOrtNodeRuntime() });
        try {
          const window = (bundle.manifest.preprocess as PreprocessConfig).window;
          const images = await Promise.all(files.map((file) => decodeFile(file, device, window)));
          const predictions = await predictor.predict(images, options.similar !== undefined ? { similar: options.similar } : {});
          const results = predictions.map((p, i) => ({ file: files[i]!, ...p }));
          if (options.json) printJson(results);
          else for (const r of results) process.stdout.write(`${r.file}: ${r.top.map((t) => `${t.label} ${(t.probability * 100).toFixed(1)}%`).join(', ')}  similar: ${r.similar.map((s) => `${s.id} [${s.label}]`).join(', ')}\n`);
          return EXIT.ok;
        } finally {
          await predictor.release();
          device.destroy();
        }
      }, EXIT.badInput),
    );
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

/** DICOM (recognised by its DICM preamble) goes through the display pipeline; other files through sharp. */
async function decodeFile(path: string, device: Device, window: PreprocessConfig['window']): Promise<ImageTensor> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new FileError(`cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  const isDicom = bytes.length > 132 && String.fromCharCode(...bytes.subarray(128, 132)) === 'DICM';
  return isDicom ? dicomSampleImage(parseDicom(bytes), { device, ...(window ? { window } : {}) }) : sharpImageDecoder.decode(bytes);
}
