import { CvfError, disposeDecodedInput, encodePng, explainImage, GRADIENT_METHODS, imageTensor, MODEL_AGNOSTIC_METHODS, planarUnitImage, Predictor, type GradientMethod, type ImageExplanation, type ModelAgnosticMethod } from '@cvf/core';
import { createOrtNodeRuntime, loadResolvedBundle, sharpImageDecoder } from '@cvf/core/node';
import { burnSaliencyOverlay, dicomInputDecoder } from '@cvf/medical';
import { Command, Option } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { resolveModelArgument } from '../model-argument.js';
import { nonNegativeIntegerOption, positiveIntegerOption } from '../option-parsers.js';
import { EXIT, printJson, runAction } from '../output.js';
import { explainWithGradients } from './explain-gradients.js';
import { mapSummary, type MapSummary } from './explain-summary.js';
import { decodeFile, DEVICE_KINDS, openDevice } from './predict.js';

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('explain one prediction: a saliency map of the class over the image (occlusion, LIME or kernel SHAP over grid superpixels for any model; Grad-CAM or Integrated Gradients from the gradients of a cnn or fine-tuned network), written as a PNG overlay')
    .argument('<model>', 'a bundle folder or .tar file, or a registered model as NAME@ALIAS or NAME@VERSION')
    .argument('<file>', 'the image to explain: PNG, JPEG, WebP or DICOM, decoded as cvf predict does')
    .addOption(
      new Option('--method <name>', 'occlusion: grey patches slid over the image; lime: a weighted ridge fit on random superpixel subsets; shap: kernel SHAP over the superpixels (Σ = score − score with all hidden); gradcam: the last feature maps weighted by the class logit\'s mean gradient; ig: integrated gradients of the logit from the black image')
        .choices([...MODEL_AGNOSTIC_METHODS, ...GRADIENT_METHODS])
        .default('occlusion'),
    )
    .option('--steps <n>', 'ig: points on the path from the black image (more: the attributions sum closer to the score gap)', positiveIntegerOption, 32)
    .option('--out <png>', 'write the image with the map burnt in (the viewer\'s colour ramp over the positive part) to this PNG')
    .option('--class <label>', 'the class to explain, by label or index (default: the top class)')
    .option('--seed <n>', 'lime, shap: seed of the perturbations; the same seed gives the same map', nonNegativeIntegerOption, 0)
    .option('--samples <n>', 'lime, shap: perturbed images scored', positiveIntegerOption, 500)
    .option('--segments <n>', 'lime, shap: about how many grid superpixels', positiveIntegerOption, 36)
    .option('--store <dir|url>', 'tracking store (a folder or a postgres:// URL) for NAME@ALIAS (default: $CVF_STORE, else the nearest .cvf/ here or above)')
    .addOption(new Option('--device <kind>', 'where preprocessing and the extractor run: auto, cpu, or webgpu').choices(DEVICE_KINDS).default('auto'))
    .option('--allow-software', 'let --device auto or webgpu use a software WebGPU adapter (lavapipe, SwiftShader)')
    .option('--allow-contract-mismatch', "explain a file that does not meet the model's input contract instead of refusing it")
    .option('--json', 'print JSON: the class explained, the method, the map\'s size and a summary of its values')
    .action((modelArg: string, file: string, options: ExplainOptions) =>
      runAction(Boolean(options.json), async () => {
        const bundle = await loadResolvedBundle(await resolveModelArgument(modelArg, options.store));
        const { classes } = bundle.manifest;
        const classIndex = options.class === undefined ? undefined : classOf(options.class, classes);
        const device = await openDevice(options.device, Boolean(options.allowSoftware));
        const gradient = isGradientMethod(options.method);
        let predictor: Predictor | undefined;
        try {
          if (!gradient) predictor = await Predictor.load(bundle, { device, onnxRuntime: await createOrtNodeRuntime() });
          const { window } = bundle.manifest.preprocess;
          const decoded = await decodeFile(file, { device, decoder: sharpImageDecoder, dicom: dicomInputDecoder, ...(window && { window }), contract: bundle.manifest.input, allowContractMismatch: Boolean(options.allowContractMismatch) });
          let explanation: Explanation;
          let png: Uint8Array | undefined;
          try {
            const image = await planarUnitImage(device, decoded);
            explanation = isGradientMethod(options.method)
              ? await explainWithGradients(device, bundle, decoded, image, { method: options.method, steps: options.steps, ...(classIndex !== undefined && { classIndex }) })
              : await explainImage(device, predictor!, image, { method: options.method, seed: options.seed, samples: options.samples, segments: options.segments, ...(classIndex !== undefined && { classIndex }) });
            if (options.out !== undefined) {
              const rgb = burnSaliencyOverlay(image, explanation);
              png = await encodePng(imageTensor('u8', { height: image.height, width: image.width, channels: 3 }, rgb));
            }
          } finally {
            disposeDecodedInput(decoded);
          }
          if (options.out !== undefined) {
            await mkdir(dirname(options.out), { recursive: true });
            await writeFile(options.out, png!);
          }
          const result = explainResult(file, explanation, classes, options);
          if (options.json) printJson(result);
          else printText(result);
          return EXIT.ok;
        } finally {
          await predictor?.release();
          device.destroy();
        }
      }, EXIT.badInput),
    );
}

type ExplainMethod = ModelAgnosticMethod | GradientMethod;
type Explanation = ImageExplanation | (Awaited<ReturnType<typeof explainWithGradients>> & { superpixels?: undefined; exact?: undefined });

const isGradientMethod = (method: ExplainMethod): method is GradientMethod => (GRADIENT_METHODS as readonly string[]).includes(method);

interface ExplainOptions {
  method: ExplainMethod;
  steps: number;
  out?: string;
  class?: string;
  seed: number;
  samples: number;
  segments: number;
  store?: string;
  device: (typeof DEVICE_KINDS)[number];
  allowSoftware?: boolean;
  allowContractMismatch?: boolean;
  json?: boolean;
}

/** `--class`: a label of the model, or its index. */
function classOf(value: string, classes: readonly string[]): number {
  const byLabel = classes.indexOf(value);
  if (byLabel >= 0) return byLabel;
  if (/^\d+$/.test(value) && Number(value) < classes.length) return Number(value);
  throw new CvfError('USAGE_INVALID', `--class ${value} is not a class of this model; expected one of ${classes.join(', ')} or an index 0..${classes.length - 1}`);
}

/** What `cvf explain --json` prints. */
export interface ExplainResult {
  file: string;
  method: ExplainMethod;
  class: { index: number; label: string; score: number };
  map: { height: number; width: number } & MapSummary;
  evaluations: number;
  out?: string;
  seed?: number;
  samples?: number;
  steps?: number;
  superpixels?: { count: number; attributions: number[] };
  baselineScore?: number;
  exact?: boolean;
}

function explainResult(file: string, explanation: Explanation, classes: readonly string[], options: ExplainOptions): ExplainResult {
  const { method, classIndex, baseScore, height, width, evaluations, superpixels, baselineScore, exact } = explanation;
  return {
    file,
    method,
    class: { index: classIndex, label: classes[classIndex]!, score: baseScore },
    map: { height, width, ...mapSummary(explanation) },
    evaluations,
    ...(options.out !== undefined && { out: options.out }),
    ...((method === 'lime' || method === 'shap') && { seed: options.seed, samples: options.samples }),
    ...(method === 'ig' && { steps: options.steps }),
    ...(superpixels && { superpixels }),
    ...(baselineScore !== undefined && { baselineScore, ...(exact !== undefined && { exact }) }),
  };
}

function printText(result: ExplainResult): void {
  const { map } = result;
  const lines = [
    `${result.file}: ${result.method} map of ${result.class.label} (score ${result.class.score.toFixed(3)}), ${map.width}×${map.height}, ${result.evaluations} model evaluations`,
    `  values: min ${map.min.toPrecision(3)}, max ${map.max.toPrecision(3)}, mean ${map.mean.toPrecision(3)}; peak at x ${map.peak.x}, y ${map.peak.y}; ${(map.positiveShare * 100).toFixed(1)}% of pixels support the class`,
    ...(result.method === 'ig' ? [`  logit at the black image: ${result.baselineScore!.toFixed(3)} (attributions sum to about the difference over ${result.steps} steps)`] : []),
    ...(result.baselineScore !== undefined && result.method !== 'ig' ? [`  score with every superpixel hidden: ${result.baselineScore.toFixed(3)} (attributions sum to the difference${result.exact ? '; exact Shapley values' : ''})`] : []),
    ...(result.out !== undefined ? [`  overlay: ${result.out}`] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
