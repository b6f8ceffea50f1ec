import { findStage, Predictor, type Device } from '@cvf/core';
import { createNodeDevice, createOrtNodeRuntime, loadPipelineConfigFile, loadResolvedBundle } from '@cvf/core/node';
import { subgroupAttribute } from '@cvf/medical';
import { Command, InvalidArgumentError, Option } from 'commander';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { resolveModelArgument } from '../model-argument.js';
import { nonNegativeIntegerOption } from '../option-parsers.js';
import { EXIT, runAction } from '../output.js';
import { ProgressReporter } from '../progress.js';
import { EVALUATE_SPLITS, predictCases, type EvaluateSplit } from './evaluate-cases.js';
import { renderEvaluationReport } from './evaluate-report-html.js';
import { buildEvaluationResult, evaluationJson } from './evaluate-result.js';
import { formatEvaluationText } from './evaluate-text.js';

interface EvaluateOptions {
  by: string[];
  split: EvaluateSplit;
  report?: string;
  json?: boolean;
  store?: string;
  device: 'auto' | 'cpu' | 'webgpu';
  resamples: number;
  seed: number;
  level: number;
  salt?: string;
}

/**
 * `cvf evaluate MODEL DATASET-CONFIG [--by ATTRIBUTE]… [--split test] [--report out.html] [--json]`:
 * the clinical evaluation of a model on a config's split — at the bundle's operating points,
 * with Wilson intervals, bootstrap curve bands, calibration, referral and subgroups by DICOM
 * attribute. Progress goes to stderr, so `--json` leaves stdout one JSON document.
 */
export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('clinical evaluation of a model on a dataset: sensitivity, specificity, PPV, NPV with Wilson intervals, ROC/PR with bootstrap bands, calibration, referral, subgroups by DICOM attribute; an HTML report')
    .argument('<model>', 'a bundle folder or .tar file, or a registered model as NAME@ALIAS or NAME@VERSION')
    .argument('<dataset-config>', "a pipeline YAML whose data section names the cases (its seeded split is training's)")
    .option('--by <attribute>', 'a subgroup attribute: Modality, Manufacturer, PatientSex, AgeBand, InstitutionName (salted hash), any DICOM keyword or GGGGEEEE; repeatable', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .addOption(new Option('--split <split>', 'the cases to evaluate').choices(EVALUATE_SPLITS).default('test'))
    .option('--report <file>', 'write a self-contained HTML report (inline SVG, no network) to this file')
    .option('--json', 'print every number as JSON on stdout')
    .option('--store <dir|url>', 'tracking store (a folder or a postgres:// URL) for NAME@ALIAS (default: $CVF_STORE, else the nearest .cvf/ here or above)')
    .addOption(new Option('--device <kind>', 'where preprocessing and the extractor run').choices(['auto', 'cpu', 'webgpu']).default('auto'))
    .option('--resamples <n>', 'bootstrap resamples of the AUC intervals and curve bands', positiveInteger, 1000)
    .option('--seed <n>', 'seed of the bootstrap: the same seed gives the same bands', nonNegativeIntegerOption, 0)
    .option('--level <p>', 'coverage of every interval and band', coverage, 0.95)
    .option('--salt <text>', 'salt of the InstitutionName hash, to compare sites across reports (default: $CVF_EVALUATE_SALT, else random per run)')
    .action((modelArg: string, configPath: string, options: EvaluateOptions) =>
      runAction(Boolean(options.json), async () => {
        const config = await loadPipelineConfigFile(configPath);
        const given = options.salt ?? process.env.CVF_EVALUATE_SALT;
        const attributes = await Promise.all(options.by.map((name) => subgroupAttribute(name, { salt: given ?? randomBytes(32).toString('hex') })));
        const resolved = await resolveModelArgument(modelArg, options.store);
        const bundle = await loadResolvedBundle(resolved);
        const progress = new ProgressReporter({ json: false });
        const device: Device = await createNodeDevice({ prefer: options.device });
        let predictor: Predictor | undefined;
        try {
          predictor = await Predictor.load(bundle, { device, onnxRuntime: await createOrtNodeRuntime() });
          const cases = await predictCases({ config, configPath, split: options.split, predictor, device, attributes, onProgress: (event) => progress.update(event) });
          const { manifest } = bundle;
          const result = buildEvaluationResult(cases, {
            classes: manifest.classes,
            decision: findStage(manifest, 'decision')?.params ?? null,
            model: { name: resolved.registered?.name ?? manifest.name, version: resolved.registered?.version ?? null, configHash: manifest.configHash, bundle: modelArg },
            dataset: { config: configPath, split: options.split },
            attributes,
            institutionSalt: attributes.some((a) => a.name === 'InstitutionName' || a.name === 'Institution') ? (given === undefined ? 'random' : 'given') : null,
            resamples: options.resamples,
            seed: options.seed,
            level: options.level,
            onAttribute: (done, total) => total > 0 && progress.update({ stage: 'subgroups', done, total }),
          });
          if (options.report) await writeFile(resolve(options.report), renderEvaluationReport(result));
          process.stdout.write(options.json ? `${evaluationJson(result, 2)}\n` : formatEvaluationText(result, options.report));
          return EXIT.ok;
        } finally {
          await predictor?.release();
          device.destroy();
        }
      }, EXIT.badInput),
    );
}

function positiveInteger(value: string): number {
  const n = nonNegativeIntegerOption(value);
  if (n === 0) throw new InvalidArgumentError('expected a positive integer (1, 2, ...)');
  return n;
}

function coverage(value: string): number {
  const level = Number(value);
  if (!(level >= 0.5 && level < 1)) throw new InvalidArgumentError('expected a coverage in [0.5, 1), e.g. 0.95');
  return level;
}
