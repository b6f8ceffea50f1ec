import type { Device } from '../compute/device.js';
import type { PipelineConfig } from '../config/schema.js';
import type { FileAccess } from '../data/file-access.js';
import { resolvePath } from '../data/paths.js';
import { PipelineError } from '../errors.js';
import type { FeatureExtractor } from '../features/feature-extractor.js';
import { HogExtractor } from '../features/hog/hog-extractor.js';
import { OnnxEmbedder } from '../features/onnx/onnx-embedder.js';
import { OrbExtractor } from '../features/orb/orb-extractor.js';
import { PixelsExtractor } from '../features/pixels/pixels-extractor.js';
import { SiftExtractor } from '../features/sift/sift-extractor.js';
import type { OnnxRuntime } from '../onnx/session.js';

/** The extractor the `features` section describes. Pixels arrive normalized by `preprocess`; `model` replaces the onnx model's file (a fine-tuned copy). */
export async function buildExtractor(
  features: PipelineConfig['features'],
  context: { device: Device; files: FileAccess; baseDir: string; onnxRuntime?: OnnxRuntime; model?: Uint8Array },
): Promise<FeatureExtractor> {
  switch (features.kind) {
    case 'pixels':
      return new PixelsExtractor({}, context.device);
    case 'hog':
      return new HogExtractor(
        { orientations: features.hog.bins, cellSize: [features.hog.cellSize, features.hog.cellSize], blockSize: [features.hog.blockSize, features.hog.blockSize], binning: 'linear' },
        context.device,
      );
    case 'orb':
      return new OrbExtractor({ ...features.orb }, context.device);
    case 'sift':
      return new SiftExtractor({ ...features.sift }, context.device);
    case 'onnx': {
      if (!context.onnxRuntime) throw new PipelineError('PIPELINE_UNSUPPORTED', 'features.kind onnx needs an ONNX runtime, and none was given to this run');
      const model = context.model ?? (await context.files.readFile(resolvePath(context.baseDir, features.onnx.model)));
      return OnnxEmbedder.create(
        { model, batchSize: features.onnx.batchSize, ...(features.onnx.outputName ? { output: features.onnx.outputName } : {}), ...(features.onnx.inputName ? { input: features.onnx.inputName } : {}) },
        { runtime: context.onnxRuntime, device: context.device },
      );
    }
  }
}
