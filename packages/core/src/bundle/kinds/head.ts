import * as z from 'zod';
import { BundleError } from '../../errors.js';
import type { OnnxSession } from '../../onnx/session.js';
import { loadHead, saveHead } from '../../train/head-file.js';
import type { Head, HeadSpec } from '../../train/head.js';
import { exportHeadToOnnx } from '../../train/onnx-export.js';
import { bundlePathSchema } from '../bundle-path.js';
import { savedStage, type SavedStage, type StageContext, type StageFiles } from '../stage-kind.js';

/**
 * A trained head: an ONNX graph from features to probabilities (temperature included), served by
 * ONNX Runtime, and the head's own parameters (for fine-tuning and inspection).
 */
export const headStageSchema = z.strictObject({
  kind: z.literal('head'),
  params: z.strictObject({
    head: z.enum(['softmax', 'mlp']).describe('the trained head of the model section'),
    inputName: z.string().min(1).describe('graph input: the features'),
    outputName: z.string().min(1).describe('graph output: the class probabilities'),
  }),
  files: z.strictObject({ graph: bundlePathSchema, state: bundlePathSchema }),
});
export type HeadStage = z.output<typeof headStageSchema>;

const INPUT_NAME = 'features';
const OUTPUT_NAME = 'probabilities';

export function saveHeadStage(head: Head, temperature: number): SavedStage<HeadStage> {
  return savedStage(
    { kind: 'head', params: { head: head.spec.head, inputName: INPUT_NAME, outputName: OUTPUT_NAME }, files: { graph: 'head.onnx', state: 'head.bin' } },
    { graph: exportHeadToOnnx(head, { inputName: INPUT_NAME, outputName: OUTPUT_NAME, temperature }), state: saveHead(head) },
  );
}

/** The served head: its ONNX session, and the spec its saved parameters declare (checked against the manifest by the loader). */
export interface LoadedHead {
  readonly session: OnnxSession;
  readonly spec: HeadSpec;
}

export async function loadHeadStage(stage: HeadStage, files: StageFiles<HeadStage>, context: StageContext): Promise<LoadedHead> {
  if (!context.onnxRuntime) throw new BundleError('BUNDLE_INVALID', "this bundle's head is an ONNX graph: give the predictor an ONNX runtime");
  let spec: HeadSpec;
  try {
    spec = loadHead(files.state).spec;
  } catch (cause) {
    throw new BundleError('BUNDLE_INVALID', `bundle file "${stage.files.state}" is not a saved head: ${(cause as Error).message}`, { cause });
  }
  // The head is a few small products: the runtime's CPU provider beats a GPU round trip.
  const provider = context.onnxRuntime.name === 'onnxruntime-node' ? 'cpu' : 'wasm';
  return { session: await context.onnxRuntime.createSession(files.graph, { executionProviders: [provider] }), spec };
}
