import * as z from 'zod';
import { bundlePathSchema } from '../bundle-path.js';
import { savedStage, type SavedStage, type StageFiles } from '../stage-kind.js';

/**
 * The whole forward pass as one ONNX graph (preprocessing → backbone → PCA → head), for hosts
 * that have only ONNX Runtime. Written when the extractor is itself an ONNX graph.
 */
export const composedStageSchema = z.strictObject({
  kind: z.literal('composed'),
  params: z.strictObject({
    input: z.string().min(1).describe('graph input: the decoded image, [N, C, H, W] float32'),
    outputs: z.array(z.string().min(1)).min(1).describe('graph outputs: probabilities (with a trained head) and features'),
  }),
  files: z.strictObject({ graph: bundlePathSchema }),
});
export type ComposedStage = z.output<typeof composedStageSchema>;

export interface ComposedGraph {
  readonly graph: Uint8Array;
  readonly input: string;
  readonly outputs: readonly string[];
}

export function saveComposedStage(composed: ComposedGraph): SavedStage<ComposedStage> {
  return savedStage({ kind: 'composed', params: { input: composed.input, outputs: [...composed.outputs] }, files: { graph: 'model.onnx' } }, { graph: composed.graph });
}

export function loadComposedStage(stage: ComposedStage, files: StageFiles<ComposedStage>): ComposedGraph {
  return { graph: files.graph, input: stage.params.input, outputs: stage.params.outputs };
}
