import {
  autoDrift,
  classifierDrift,
  CvfError,
  DRIFT_METHODS,
  DriftError,
  inputDrift,
  ksDrift,
  mmdDrift,
  psiDrift,
  type AutoDriftResult,
  type Device,
  type DriftMethod,
  type DriftResult,
  type EmbeddingMatrix,
  type FastMatmul,
  type OnnxRuntime,
  type PValueCorrection,
  type ReferenceStatistics,
} from '@cvf/core';
import type { LiveWindow } from './monitor-drift-window.js';

/** What `--method` takes: one detector, the default `auto`, or `all` (every detector, one result each). */
export const CLI_DRIFT_METHODS = [...DRIFT_METHODS, 'all'] as const;
export type CliDriftMethod = (typeof CLI_DRIFT_METHODS)[number];

/** Every single detector `all` runs, in this order. */
const SINGLE_METHODS = ['mmd', 'classifier', 'ks', 'psi', 'input'] as const satisfies readonly Exclude<DriftMethod, 'auto'>[];

export interface DriftRunContext {
  readonly device: Device;
  readonly fastMatmul?: FastMatmul;
  /** On a CPU device: the domain classifier's training steps as ONNX Runtime graphs. */
  readonly onnxRuntime?: OnnxRuntime;
  readonly permutations: number;
  readonly seed: number;
  readonly correction: PValueCorrection;
}

/** One detector's answer as `--json` prints it: the fields, pValue null for the tests without one. */
export interface DriftJson {
  readonly drifted: boolean;
  readonly method: DriftResult['method'];
  readonly statistic: number;
  readonly pValue: number | null;
  readonly threshold: number;
  readonly n: number;
}

export type DriftOutput = DriftJson | { drifted: boolean; method: 'auto'; results: DriftJson[]; skipped?: AutoDriftResult['skipped'] } | (DriftJson | { method: DriftResult['method']; error: { code: string; message: string } })[];

export function driftJson(result: DriftResult): DriftJson {
  const { drifted, method, statistic, pValue, threshold, n } = result;
  return { drifted, method, statistic, pValue: pValue ?? null, threshold, n };
}

/** Runs `--method` on the live window against the bundle's reference. */
export async function runDriftMethod(method: CliDriftMethod, live: LiveWindow, reference: ReferenceStatistics, context: DriftRunContext): Promise<DriftOutput> {
  if (method === 'auto') {
    const result = await autoDrift(context.device, embeddings(live), referenceSample(reference), inputAvailability(live, reference), { mmd: mmdOptions(context) });
    return { drifted: result.drifted, method: 'auto', results: result.results.map(driftJson), ...(result.skipped && { skipped: result.skipped }) };
  }
  if (method !== 'all') return driftJson(await runSingle(method, live, reference, context));
  const out: Exclude<DriftOutput, DriftJson | { method: 'auto' }> = [];
  for (const single of SINGLE_METHODS) {
    try {
      out.push(driftJson(await runSingle(single, live, reference, context)));
    } catch (error) {
      // One method that cannot run on this data (input without image statistics) does not hide the others.
      if (!(error instanceof CvfError)) throw error;
      out.push({ method: single, error: { code: error.code, message: error.message } });
    }
  }
  return out;
}

async function runSingle(method: Exclude<DriftMethod, 'auto'>, live: LiveWindow, reference: ReferenceStatistics, context: DriftRunContext): Promise<DriftResult> {
  const fast = context.fastMatmul ? { fastMatmul: context.fastMatmul } : {};
  switch (method) {
    case 'mmd':
      return mmdDrift(context.device, embeddings(live), referenceSample(reference), mmdOptions(context));
    case 'classifier':
      return classifierDrift(context.device, embeddings(live), referenceSample(reference), { seed: context.seed, ...fast, ...(context.onnxRuntime && { onnxRuntime: context.onnxRuntime }) });
    case 'ks':
      return ksDrift(embeddings(live), referenceSample(reference), { correction: context.correction });
    case 'psi':
      return psiDrift(embeddings(live), reference, live.probabilities ? { probabilities: live.probabilities, classes: live.classes } : undefined);
    case 'input': {
      const input = inputAvailability(live, reference);
      if (typeof input !== 'function') throw new DriftError(reference.input ? 'DRIFT_INVALID_DATA' : 'DRIFT_NO_INPUT_REFERENCE', input.unavailable);
      return input(0.05);
    }
  }
}

/** The input detector bound to this window, or why it cannot run. */
function inputAvailability(live: LiveWindow, reference: ReferenceStatistics): ((alpha: number) => DriftResult) | { unavailable: string } {
  if (!reference.input) return { unavailable: 'the bundle has no input reference (statistics of its training images): it was trained before the input detector; retrain it to test its images' };
  if (live.inputStatistics.length < 2) return { unavailable: `${live.inputStatistics.length} of the ${live.rows} live rows carry image statistics (an inference log written before the input detector); the input test needs at least 2` };
  return (alpha) => inputDrift(live.inputStatistics, reference.input, { alpha });
}

function mmdOptions(context: DriftRunContext): { permutations: number; seed: number; fastMatmul?: FastMatmul } {
  return { permutations: context.permutations, seed: context.seed, ...(context.fastMatmul && { fastMatmul: context.fastMatmul }) };
}

function embeddings(live: LiveWindow): EmbeddingMatrix {
  return { values: live.features, rows: live.rows, dim: live.dim };
}

function referenceSample(reference: ReferenceStatistics): EmbeddingMatrix {
  return { values: reference.sample, rows: reference.sampleRows, dim: reference.dim };
}
