import * as z from 'zod';
import { pathField } from './common.js';

// A discriminated union: each extractor accepts only its own options block, so an `onnx:` block
// left under `kind: hog` is reported instead of silently ignored.

const pixelsFeatures = z.strictObject({
  kind: z.literal('pixels').describe('the preprocessed pixels, flattened'),
});

const hogFeatures = z.strictObject({
  kind: z.literal('hog').describe('histogram of oriented gradients'),
  hog: z
    .strictObject({
      cellSize: z.int().min(2).default(8).describe('cell side in pixels'),
      blockSize: z.int().min(1).default(2).describe('block side in cells (blocks are L2-Hys normalized)'),
      bins: z.int().min(2).default(9).describe('orientation bins over 0..180 degrees'),
    })
    .prefault({})
    .describe('histogram of oriented gradients options'),
});

const onnxFeatures = z.strictObject({
  kind: z.literal('onnx').describe('embedding from a frozen ONNX model'),
  onnx: z
    .strictObject({
      model: pathField('ONNX embedder model file'),
      inputName: z.string().min(1).optional().describe("graph input fed with the preprocessed image; default: the model's first input"),
      outputName: z.string().min(1).optional().describe("graph output used as the embedding; default: the model's first output"),
      batchSize: z.int().positive().default(32).describe('images per inference call'),
    })
    .describe('frozen ONNX embedder options'),
});

export const featuresSchema = z
  .discriminatedUnion('kind', [pixelsFeatures, hogFeatures, onnxFeatures])
  .prefault({ kind: 'pixels' })
  .describe('feature extractor: raw pixels, HOG, or a frozen ONNX embedder');
