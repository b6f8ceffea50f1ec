import { createOrtFastMatmul, DriftError, findStage, P_VALUE_CORRECTIONS, Predictor, stageFiles, STAGE_KINDS, type FastMatmul, type PValueCorrection, type ReferenceStatistics } from '@cvf/core';
import { createNodeDevice, createOrtNodeRuntime, loadResolvedBundle, sharpImageDecoder } from '@cvf/core/node';
import { dicomInputDecoder } from '@cvf/medical';
import { Command, InvalidArgumentError, Option } from 'commander';
import { existsSync } from 'node:fs';
import { resolveModelArgument } from '../model-argument.js';
import { nonNegativeIntegerOption } from '../option-parsers.js';
import { EXIT, printJson, runAction } from '../output.js';
import { CLI_DRIFT_METHODS, runDriftMethod, type CliDriftMethod, type DriftJson, type DriftOutput } from './monitor-drift-methods.js';
import { dataNotFound, isInferenceLogFolder, windowFromImages, windowFromInferenceLog, type LiveWindow } from './monitor-drift-window.js';

interface MonitorDriftOptions {
  data: string;
  method: CliDriftMethod;
  window?: number;
  permutations: number;
  seed: number;
  correction: PValueCorrection;
  recursive?: boolean;
  store?: string;
  device: 'auto' | 'cpu' | 'webgpu';
  allowSoftware?: boolean;
  json?: boolean;
}

/** `cvf monitor drift MODEL --data PATH`: the drift detectors on a folder of images or an inference log, against the bundle's training reference. */
export function registerMonitorDrift(monitor: Command): void {
  monitor
    .command('drift')
    .description("test whether live data has drifted from the model's training data: images or DICOM files, or an edge runtime's inference log, against the drift reference in the bundle")
    .argument('<model>', 'a bundle folder or .tar file, or a registered model as NAME@ALIAS or NAME@VERSION')
    .requiredOption('--data <path>', 'a folder (or file) of images / DICOM files, or an inference log folder (its predictions of this model version)')
    .addOption(new Option('--method <method>', 'mmd, classifier, ks, psi, input; auto: mmd and input, Bonferroni-combined; all: each method on its own').choices(CLI_DRIFT_METHODS).default('auto'))
    .option('--window <n>', 'only the last n images (in path order) or logged predictions', positiveInteger)
    .option('--permutations <n>', 'permutations of the MMD p-value', positiveInteger, 1000)
    .option('--seed <n>', 'seed of the permutations and of the domain classifier', nonNegativeIntegerOption, 0)
    .addOption(new Option('--correction <kind>', "ks: correction of the per-component p-values, bonferroni or fdr (Benjamini–Hochberg)").choices(P_VALUE_CORRECTIONS).default('bonferroni'))
    .option('-r, --recursive', 'read image folders with their subfolders')
    .option('--store <dir|url>', 'tracking store (a folder or a postgres:// URL) for NAME@ALIAS (default: $CVF_STORE, else the nearest .cvf/ here or above)')
    .addOption(new Option('--device <kind>', 'where the model and the tests run: auto (WebGPU when a hardware adapter exists, else the CPU), cpu, or webgpu').choices(['auto', 'cpu', 'webgpu']).default('auto'))
    .option('--allow-software', 'let --device auto or webgpu use a software WebGPU adapter (lavapipe, SwiftShader): correct, but slower than the CPU path')
    .option('--json', 'print JSON')
    .action((modelArg: string, options: MonitorDriftOptions) =>
      runAction(Boolean(options.json), async () => {
        if (!existsSync(options.data)) throw dataNotFound(options.data);
        const resolved = await resolveModelArgument(modelArg, options.store);
        const bundle = await loadResolvedBundle(resolved);
        const stage = findStage(bundle.manifest, 'reference');
        if (!stage) throw new DriftError('DRIFT_REFERENCE_MISMATCH', `bundle "${bundle.manifest.name}" version ${bundle.manifest.version} has no drift reference (reference stage); retrain it with this version of CV Factory to monitor it`);
        const reference: ReferenceStatistics = STAGE_KINDS.reference.load(stage, stageFiles(bundle, stage));
        const device = await createNodeDevice({ prefer: options.device, allowSoftwareAdapter: Boolean(options.allowSoftware) });
        const runtime = await createOrtNodeRuntime();
        let fastMatmul: FastMatmul | undefined;
        let predictor: Predictor | undefined;
        try {
          let live: LiveWindow;
          if (await isInferenceLogFolder(options.data)) {
            // Named and versioned as the edge runtime logs them: the registry's name and version, else the manifest's, else the config hash's start.
            const { manifest } = bundle;
            const name = resolved.registered?.name ?? manifest.name;
            const version = String(manifest.version ?? manifest.configHash.slice(0, 12));
            live = await windowFromInferenceLog(options.data, { name, version, dim: reference.dim, classes: manifest.classes.length }, options.window);
          } else {
            predictor = await Predictor.load(bundle, { device, onnxRuntime: runtime });
            const { window } = bundle.manifest.preprocess;
            // Images outside the model's input contract are drift too: they are tested, not refused.
            const decode = { device, decoder: sharpImageDecoder, dicom: dicomInputDecoder, ...(window && { window }), contract: bundle.manifest.input, allowContractMismatch: true };
            live = await windowFromImages(options.data, predictor, decode, { recursive: Boolean(options.recursive), window: options.window });
          }
          if (live.rows < 2) throw new DriftError('DRIFT_INVALID_DATA', `--data ${options.data} gave ${live.rows} images or predictions; a drift test needs at least 2`);
          // On the CPU the MMD's and the classifier's products, and the classifier's training steps, run in ONNX Runtime.
          if (device.backend === 'cpu') fastMatmul = createOrtFastMatmul(runtime);
          const cpu = fastMatmul ? { fastMatmul, onnxRuntime: runtime } : {};
          const output = await runDriftMethod(options.method, live, reference, { device, permutations: options.permutations, seed: options.seed, correction: options.correction, ...cpu });
          if (options.json) printJson(output);
          else printHuman(output, live);
          return EXIT.ok;
        } finally {
          await predictor?.release();
          await fastMatmul?.release();
          device.destroy();
        }
      }, EXIT.badInput),
    );
}

function printHuman(output: DriftOutput, live: LiveWindow): void {
  const line = (r: DriftJson) => {
    const p = r.pValue === null ? '' : `, p ${r.pValue.toPrecision(3)}`;
    const rule = r.pValue === null ? `statistic ${r.statistic.toPrecision(4)} vs threshold ${r.threshold}` : `statistic ${r.statistic.toPrecision(4)}${p} vs alpha ${r.threshold}`;
    return `${r.method}: ${r.drifted ? 'DRIFT' : 'no drift'} (${rule}, n ${r.n})\n`;
  };
  process.stdout.write(`${live.rows} ${live.source === 'images' ? 'images' : 'logged predictions'}\n`);
  if (Array.isArray(output)) {
    for (const r of output) process.stdout.write('error' in r ? `${r.method}: not run [${r.error.code}] ${r.error.message}\n` : line(r));
  } else if ('results' in output) {
    process.stdout.write(`auto: ${output.drifted ? 'DRIFT' : 'no drift'}\n`);
    for (const r of output.results) process.stdout.write(`  ${line(r)}`);
    for (const s of output.skipped ?? []) process.stdout.write(`  ${s.method}: not run: ${s.reason}\n`);
  } else process.stdout.write(line(output));
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer (1, 2, ...)');
  return n;
}
