import type { Device } from '../compute/device.js';
import { FeatureError } from '../errors.js';
import type { OnnxRuntime } from '../onnx/session.js';
import { componentKind } from './component-state.js';
import { FEATURE_EXTRACTOR_KINDS, type FeatureExtractor } from './feature-extractor.js';
import { HogExtractor } from './hog/hog-extractor.js';
import { OnnxEmbedder } from './onnx/onnx-embedder.js';
import { OrbExtractor } from './orb/orb-extractor.js';
import { PixelsExtractor } from './pixels/pixels-extractor.js';
import { SiftExtractor } from './sift/sift-extractor.js';

/** Loads any saved feature extractor, by the kind its state names. `runtime` is needed for `onnx`. */
export async function loadFeatureExtractor(bytes: Uint8Array, context: { device: Device; runtime?: OnnxRuntime }): Promise<FeatureExtractor> {
  const kind = componentKind(bytes);
  switch (kind) {
    case 'pixels':
      return PixelsExtractor.load(bytes, context.device);
    case 'hog':
      return HogExtractor.load(bytes, context.device);
    case 'orb':
      return OrbExtractor.load(bytes, context.device);
    case 'sift':
      return SiftExtractor.load(bytes, context.device);
    case 'onnx':
      if (!context.runtime) throw new FeatureError('FEATURE_OPTION_INVALID', 'loading an onnx feature extractor needs an ONNX runtime (context.runtime)');
      return OnnxEmbedder.load(bytes, { device: context.device, runtime: context.runtime });
    default:
      throw new FeatureError('FEATURE_STATE_UNSUPPORTED', `state holds a "${kind}" component, not a feature extractor (${FEATURE_EXTRACTOR_KINDS.join(', ')})`);
  }
}
