import type { PipelineConfig } from '../../config/schema.js';
import { CvfError } from '../../errors.js';
import { importOnnxModel } from '../import/onnx-import.js';
import { finetuneParts } from './finetune-trainer.js';

/**
 * What the schema cannot see of `features.finetune`: whether the backbone (its model file's bytes)
 * imports, and has at least `unfreeze` blocks. Null when it is fine (or there is no finetune block);
 * else the config path to report and the message, naming the unsupported operator or how many
 * blocks the backbone has.
 */
export function finetuneConfigIssue(config: PipelineConfig, model: Uint8Array): { path: (string | number)[]; message: string } | null {
  const { features } = config;
  if (features.kind !== 'onnx' || !features.finetune) return null;
  let network;
  try {
    network = importOnnxModel(model, features.onnx.outputName ? { output: features.onnx.outputName } : {});
  } catch (error) {
    if (error instanceof CvfError) return { path: ['features', 'onnx', 'model'], message: `features.finetune reads the backbone into trainable layers, and this one cannot be: ${error.message}` };
    throw error;
  }
  try {
    finetuneParts(network.graph, features.finetune.unfreeze);
    return null;
  } catch (error) {
    if (error instanceof CvfError) return { path: ['features', 'finetune', 'unfreeze'], message: error.message };
    throw error;
  }
}
