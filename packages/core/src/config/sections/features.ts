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
  finetune: z
    .strictObject({
      unfreeze: z.int().min(1).max(1000).describe("blocks of the backbone trained with the head, counted from its output: a residual block, or a conv (or linear) layer with the batch norm, ReLU and pooling after it; the others stay frozen. More than the backbone has is an error naming how many it has"),
      lr: z.number().positive().describe("learning rate of the unfrozen blocks (the head keeps train.optimizer.lr); usually 10× below the head's"),
    })
    .optional()
    .describe("default: the backbone stays frozen. Given, it is fine-tuned: its ONNX graph (Conv, BatchNormalization, Gemm, MatMul, pools, Relu, Sigmoid, Clip, Add/Sub/Mul/Div, Concat, Reshape, Dropout, ...; docs/finetune.md) is read into the Device's layers, the last blocks train with the head (model.head softmax or mlp) on the run's Device with its augmentation and early stopping, and the bundle's extractor is the fine-tuned graph"),
});

const orbFeatures = z.strictObject({
  kind: z.literal('orb').describe('ORB descriptors (oriented FAST keypoints on an image pyramid, steered BRIEF) pooled over a codebook fitted on the training images'),
  orb: z
    .strictObject({
      keypoints: z.int().min(1).max(5000).default(200).describe('most keypoints per image, the best by Harris response'),
      fastThreshold: z.number().min(0).max(255).default(20).describe('FAST-9 threshold on the 0..255 scale (each image is rescaled min-max to it)'),
      levels: z.int().min(1).max(32).default(8).describe("image pyramid levels searched for keypoints (OpenCV's nlevels); 1 is a single scale"),
      scaleFactor: z.number().gt(1).max(4).default(1.2).describe('shrink factor between pyramid levels'),
      words: z.int().min(2).max(4096).default(64).describe('visual words in the codebook'),
      pooling: z.enum(['bovw', 'vlad']).default('bovw').describe('bovw: L1 histogram of Hamming (k-majority) words (length words); vlad: the 256 bits as 0/1 floats, Euclidean k-means words, power- and L2-normalised residuals per word (length words × 256)'),
      seed: z.int().min(0).default(1).describe("seed of the codebook's k-means++ start"),
    })
    .prefault({})
    .describe("ORB options; keypoints keep 16 pixels from each level's border, so images need a side of at least 40 (pyramid levels smaller than 33 pixels are skipped)"),
});

const siftFeatures = z.strictObject({
  kind: z.literal('sift').describe('SIFT descriptors (DoG keypoints, 128-d gradient histograms, OpenCV layout) pooled over a k-means codebook fitted on the training images'),
  sift: z
    .strictObject({
      keypoints: z.int().min(1).max(5000).default(200).describe('most keypoints per image, the best by DoG contrast'),
      octaveLayers: z.int().min(1).max(8).default(3).describe('scale levels searched per octave'),
      contrastThreshold: z.number().min(0).default(0.04).describe('minimum DoG contrast (0..1 scale, divided among the layers); lower finds more keypoints'),
      edgeThreshold: z.number().positive().default(10).describe('largest principal-curvature ratio kept; lower drops more edge-like points'),
      sigma: z.number().positive().default(1.6).describe("blur of each octave's first level"),
      upsample: z.boolean().default(true).describe('double the image before the first octave (finds small keypoints, as OpenCV does)'),
      words: z.int().min(2).max(4096).default(32).describe('visual words in the codebook'),
      pooling: z.enum(['bovw', 'vlad']).default('vlad').describe('bovw: L1 histogram of words (length words); vlad: power- and L2-normalised residuals per word (length words × 128)'),
      seed: z.int().min(0).default(1).describe("seed of the codebook's k-means++ start"),
    })
    .prefault({})
    .describe('SIFT options (defaults as OpenCV cv2.SIFT_create, 200 keypoints)'),
});

export const featuresSchema = z
  .discriminatedUnion('kind', [pixelsFeatures, hogFeatures, onnxFeatures, orbFeatures, siftFeatures])
  .prefault({ kind: 'pixels' })
  .describe('feature extractor: raw pixels, HOG, a frozen ONNX embedder, or ORB or SIFT local features pooled by visual words or VLAD');
