import type { onnx as P } from 'onnx-proto';
import { BT601_LUMA } from '../compute/kernels/color/color.js';
import { COORDINATE_TRANSFORMS } from '../compute/kernels/resize-bilinear/resize-bilinear.js';
import { PipelineError, ShapeError } from '../errors.js';
import { decodeComponentState, type ComponentHeader } from '../features/component-state.js';
import type { FeatureExtractor } from '../features/feature-extractor.js';
import type { PcaState } from '../features/pca/pca.js';
import { decodedInputSize, isDeviceImage, type DecodedInput } from '../image/decoded-input.js';
import { colorChannels, writePlanar } from '../image/image-tensor.js';
import type { PreprocessConfig } from '../image/preprocess-image.js';
import { protoInt } from '../onnx/embed-graph.js';
import { OnnxGraphBuilder, type Dim } from '../onnx/graph-builder.js';
import { onnx } from '../onnx/graph-proto.js';
import type { OnnxTensor } from '../onnx/onnx-tensor.js';
import type { Head } from '../train/head.js';
import { exportHeadToOnnx } from '../train/onnx-export.js';

/** The composed graph's input: float32 [batch, channels (1 or 3), height, width], pixel values as decoded. */
export const COMPOSED_GRAPH_INPUT = 'image';
/** Its outputs: the head's class probabilities [batch, classes] and the index's features [batch, dim]. */
export const COMPOSED_GRAPH_OUTPUTS = { probabilities: 'probabilities', features: 'features' } as const;

/**
 * Default-domain opsets the composed graph can be written at. A model declares one version for all
 * its nodes, so the graph takes the backbone's version and everything added around it must mean
 * the same there: Resize (sizes form), ReduceSum (axes input) and Softmax (per-axis) need 13; the
 * ops used here (Shape, Slice, Concat, Resize, Min, Add, Sub, Mul, Div, Reshape, ReduceSum, Expand,
 * Flatten, MatMul, Gemm, Relu, Clip, Tanh, Softmax, Identity) only gained types or optional
 * attributes with compatible defaults up to 23.
 */
export const COMPOSED_GRAPH_OPSETS = [13, 23] as const;

/** The preprocess options this graph expresses; anything else would be silently skipped, so it is refused. */
const KNOWN_OPTIONS: Readonly<Record<string, readonly string[] | null>> = {
  resize: ['height', 'width', 'mode', 'coordinateTransform'],
  color: null,
  normalize: ['scale', 'mean', 'std'],
  // DICOM windowing happens before the pixels reach preprocessing, and so before this graph.
  window: null,
};

/** What a bundle's forward pass is made of. */
export interface BundleGraphParts {
  /** The resolved `preprocess` section (the one stored in the bundle manifest). */
  readonly preprocess: PreprocessConfig;
  /** The feature extractor; only kind `onnx` composes (pixels and hog run staged). */
  readonly extractor: FeatureExtractor;
  /** The fitted PCA (`pca.state`), or null when the pipeline has none. */
  readonly pca: PcaState | null;
  /** The trained head on the host (`headToHost`), or null for a kNN head: then only `features` is output. */
  readonly head: Head | null;
  /** Temperature scaling of the head's logits (default 1). */
  readonly temperature?: number;
}

/**
 * A bundle's whole forward pass as ONE ONNX graph, so a runtime that has only ONNX Runtime (the
 * browser viewer, an edge box) runs preprocessing → backbone → PCA → head in one session and
 * gets what `Predictor` computes stage by stage.
 *
 * Input `image`: float32 [batch, channels, height, width], planar, channels 1 (gray) or 3 (RGB)
 * with alpha dropped — `toPlanar` of each decoded image, stacked (`composedGraphInput`) — at the
 * images' own size (any height and width; one size per run), values as decoded (0..255 for 8-bit,
 * 0..65535 for 16-bit, windowed DICOM as the medical package gives it).
 *
 * Inside, as `preprocessImages` does it:
 * - resize: ONNX Resize (linear or nearest, the configured coordinate transform, nearest_mode
 *   round_prefer_floor), whose semantics the resize-bilinear kernel and `resizeNearest` reproduce.
 *   The size comes from the input's shape, so the same graph takes every image size; an image
 *   already at the target size maps onto itself exactly, as the staged path's "no resample".
 *   Nearest picks the same source pixels as ONNX Runtime's CPU kernel, midpoints included:
 *   `resizeNearest` computes the coordinate in float32 as ORT does and takes ORT's tie tolerance
 *   (its test sweeps every size pair 1..48 → 1..48 for each coordinate transform). Bilinear is
 *   continuous, so its float32 coordinates stay within ~1e-6 of the staged path.
 * - color: the channel count is read at run time — gray output is the BT.601 luma of 3 channels
 *   or the 1 channel unchanged, RGB output repeats 1 channel or keeps 3 — as the color kernel.
 * - normalize: (x · scale − mean[c]) / std[c].
 * Then the backbone's nodes (under `backbone/`), flattened per sample as the embedder does, PCA as
 * (x − mean) · Wᵀ with the whitening scale folded into W exactly as `Pca` builds it, and the head
 * exported by `exportHeadToOnnx` (under `head/`; GELU is its tanh approximation).
 *
 * Outputs: `probabilities` [batch, classes] (absent for a kNN head) and `features` [batch, dim],
 * the PCA output (the embedding when there is no PCA): what the case index searches.
 *
 * Outside the graph: decoding; DICOM rescale and windowing (`preprocess.window`, applied by the
 * medical package before preprocessing, with per-file parameters); dropping alpha; grouping mixed
 * image sizes into runs of one size; the kNN vote and the similar-case search over `features`.
 *
 * Throws PipelineError('PIPELINE_UNSUPPORTED') for a non-ONNX extractor, a backbone whose opset
 * is outside COMPOSED_GRAPH_OPSETS, or a preprocess option this graph does not express, and
 * ShapeError when the parts do not fit together (backbone input size, PCA or head width).
 */
export function composeBundleGraph({ preprocess, extractor, pca, head, temperature = 1 }: BundleGraphParts): Uint8Array {
  checkPreprocess(preprocess);
  const backbone = onnxBackbone(extractor);
  const channels = preprocess.color === 'rgb' ? 3 : 1;
  const { height, width } = preprocess.resize;
  checkBackboneInput(backbone, [channels, height, width]);

  const g = new OnnxGraphBuilder('cvf-bundle', { opset: backbone.opset });
  const image = g.input(COMPOSED_GRAPH_INPUT, 'float32', ['batch', 'channels', 'height', 'width']);
  const pixels = normalizePixels(g, convertColor(g, resizeImage(g, image, preprocess), channels), preprocess.normalize, channels);

  const [embedding] = g.embed(backbone.model, { prefix: 'backbone/', inputs: { [backbone.input]: pixels }, outputs: [backbone.output] });
  let features = g.flatten(embedding!, 1, 'embedding');
  let dim: Dim = backbone.embeddingSize ?? 'dim';
  if (pca) {
    if (typeof dim === 'number' && dim !== pca.dim) throw new ShapeError(`composeBundleGraph: the backbone gives ${dim} features per image, but the PCA was fitted on ${pca.dim}`);
    features = projectPca(g, features, pca);
    dim = pca.componentCount;
  }
  if (head) {
    if (typeof dim === 'number' && dim !== head.spec.inputDim) throw new ShapeError(`composeBundleGraph: the head takes ${head.spec.inputDim} features, but the stages before it give ${dim}`);
    const headModel = exportHeadToOnnx(head, { inputName: 'features', outputName: 'probabilities', temperature });
    const [probabilities] = g.embed(headModel, { prefix: 'head/', inputs: { features }, outputs: ['probabilities'], opsetRange: COMPOSED_GRAPH_OPSETS });
    g.output(probabilities!, COMPOSED_GRAPH_OUTPUTS.probabilities, ['batch', head.spec.classes]);
  }
  g.output(features, COMPOSED_GRAPH_OUTPUTS.features, ['batch', typeof dim === 'number' ? dim : (head?.spec.inputDim ?? dim)]);
  return g.toBytes();
}

/**
 * The composed graph's `image` feed for decoded images of one size: each one planar without alpha
 * (`toPlanar`), stacked, as float32 (exact for 8- and 16-bit pixels), on the 0..255 scale of
 * decoded pixels. A Device image must be a CPU tensor (a CPU Device's); a unit-range one (a DICOM
 * window's output) is scaled by 255, as readDecodedInput does. Throws ShapeError for mixed sizes
 * or mixed gray/RGB: run those as separate batches. `allocate` gives the feed's array (a kept one:
 * see FeedBufferPool).
 */
export function composedGraphInput(images: readonly DecodedInput[], allocate: (length: number) => Float32Array = (length) => new Float32Array(length)): OnnxTensor<'float32'> {
  if (images.length === 0) throw new ShapeError('composedGraphInput: no images');
  const first = decodedInputSize(images[0]!);
  const channels = colorChannels(first.channels);
  const item = channels * first.height * first.width;
  // Every value is written below: a kept buffer's old values never reach the model.
  const data = allocate(images.length * item);
  images.forEach((image, i) => {
    const size = decodedInputSize(image);
    if (size.height !== first.height || size.width !== first.width || colorChannels(size.channels) !== channels) {
      throw new ShapeError(`composedGraphInput: image ${i} is ${size.height}×${size.width}×${colorChannels(size.channels)}, image 0 ${first.height}×${first.width}×${channels}; one run takes one size`);
    }
    if (!isDeviceImage(image)) {
      // Straight into the feed, planar, without an intermediate array.
      writePlanar(image, data, i * item, channels);
      return;
    }
    const scale = image.range === 'unit' ? 255 : 1;
    const src = image.planar.data;
    for (let j = 0; j < item; j++) data[i * item + j] = src[j]! * scale;
  });
  return { type: 'float32', dims: [images.length, channels, first.height, first.width], data };
}

// ---- the parts ----

interface Backbone {
  readonly model: P.IModelProto;
  readonly input: string;
  readonly output: string;
  readonly opset: number;
  /** Values per sample of the output when its shape is known, else null. */
  readonly embeddingSize: number | null;
}

interface OnnxExtractorHeader extends ComponentHeader {
  readonly input: string;
  readonly output: string;
}

/** The ONNX model inside an onnx extractor, read from its saved state (header: input/output names; body: model bytes). */
function onnxBackbone(extractor: FeatureExtractor): Backbone {
  if (extractor.kind !== 'onnx') {
    throw new PipelineError('PIPELINE_UNSUPPORTED', `composeBundleGraph: the feature extractor is "${extractor.kind}"; only an onnx extractor composes into one graph (pixels and hog bundles run their stages one by one)`);
  }
  const { header, body } = decodeComponentState<OnnxExtractorHeader>(extractor.save(), 'onnx', [1]);
  const model = onnx.ModelProto.decode(body);
  const opset = protoInt((model.opsetImport ?? []).find((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx')?.version);
  const [low, high] = COMPOSED_GRAPH_OPSETS;
  if (opset < low || opset > high) {
    throw new PipelineError('PIPELINE_UNSUPPORTED', `composeBundleGraph: the backbone is opset ${opset}; the composed graph needs opset ${low}..${high} (convert the model, e.g. with onnx.version_converter, or export it at opset 17)`);
  }
  const output = model.graph?.output?.find((o) => o.name === header.output);
  const dims = output?.type?.tensorType?.shape?.dim ?? [];
  const sizes = dims.slice(1).map((d) => (d.dimValue ? protoInt(d.dimValue) : 0));
  const known = dims.length >= 2 && sizes.every((s) => s > 0);
  return { model, input: header.input, output: header.output, opset, embeddingSize: known ? sizes.reduce((a, b) => a * b, 1) : null };
}

/** Fixed dimensions of the backbone's input must be the preprocessed [channels, height, width]. */
function checkBackboneInput(backbone: Backbone, want: readonly number[]): void {
  const input = backbone.model.graph?.input?.find((i) => i.name === backbone.input);
  const dims = input?.type?.tensorType?.shape?.dim;
  if (!dims) return;
  const shown = dims.map((d) => (d.dimValue ? String(protoInt(d.dimValue)) : d.dimParam || '?')).join(', ');
  const fits = dims.length === want.length + 1 && want.every((size, k) => !dims[k + 1]!.dimValue || protoInt(dims[k + 1]!.dimValue) === size);
  if (!fits) throw new ShapeError(`composeBundleGraph: the backbone's input "${backbone.input}" is [${shown}], but preprocessing gives [batch, ${want.join(', ')}]`);
}

function checkPreprocess(preprocess: PreprocessConfig): void {
  const unsupported = (what: string, why: string) => new PipelineError('PIPELINE_UNSUPPORTED', `composeBundleGraph: preprocess.${what} ${why}`);
  for (const [key, value] of Object.entries(preprocess)) {
    const known = KNOWN_OPTIONS[key];
    if (known === undefined) throw unsupported(key, `is not expressed in the composed graph (it knows ${Object.keys(KNOWN_OPTIONS).join(', ')})`);
    if (known === null || typeof value !== 'object' || value === null) continue;
    for (const option of Object.keys(value)) if (!known.includes(option)) throw unsupported(`${key}.${option}`, `is not expressed in the composed graph (it knows ${known.join(', ')})`);
  }
  const { mode, coordinateTransform } = preprocess.resize;
  if (mode !== 'bilinear' && mode !== 'nearest') throw unsupported('resize.mode', `"${String(mode)}" has no ONNX Resize equivalent here; use bilinear or nearest`);
  if (!COORDINATE_TRANSFORMS.includes(coordinateTransform)) throw unsupported('resize.coordinateTransform', `"${String(coordinateTransform)}" is not one of ${COORDINATE_TRANSFORMS.join(', ')}`);
  if (preprocess.color !== 'gray' && preprocess.color !== 'rgb') throw unsupported('color', `"${String(preprocess.color)}" is not gray or rgb`);
  const channels = preprocess.color === 'rgb' ? 3 : 1;
  for (const key of ['mean', 'std'] as const) {
    const n = preprocess.normalize[key].length;
    if (n !== 1 && n !== channels) throw new ShapeError(`composeBundleGraph: preprocess.normalize.${key} has ${n} values; give 1 or ${channels} for color ${preprocess.color}`);
  }
}

// ---- the preprocessing ops ----

/** An int64 constant [values.length], shared by name: `const/1,3` and the like. */
function int64(g: OnnxGraphBuilder, values: readonly number[]): string {
  const name = `const/${values.join(',')}`;
  return g.has(name) ? name : g.initializer(name, BigInt64Array.from(values.map((v) => BigInt(v))), [values.length]);
}

/** Resize to the configured size; the batch and channel sizes are taken from the input at run time. */
function resizeImage(g: OnnxGraphBuilder, image: string, preprocess: PreprocessConfig): string {
  const { height, width, mode, coordinateTransform } = preprocess.resize;
  const shape = g.shape(image, 'preprocess/image_shape');
  const batchAndChannels = g.slice(shape, int64(g, [0]), int64(g, [2]), int64(g, [0]), 'preprocess/batch_channels');
  const sizes = g.concat([batchAndChannels, g.initializer('preprocess/target_size', BigInt64Array.of(BigInt(height), BigInt(width)), [2])], 0, 'preprocess/sizes');
  return g.resize(image, sizes, { mode: mode === 'bilinear' ? 'linear' : 'nearest', coordinateTransform, name: 'preprocess/resized' });
}

/**
 * To `channels` colour channels, whatever the input has. Gray: the weights [1] for one channel and
 * BT.601's three for three are sliced from one table by the channel count (start min(c − 1, 1),
 * end start + c), multiplied in and summed over the channel axis — so a gray image passes unchanged.
 * RGB: Expand to 3 channels, which repeats one channel and leaves three as they are.
 */
function convertColor(g: OnnxGraphBuilder, x: string, channels: 1 | 3): string {
  if (channels === 3) return g.expand(x, int64(g, [1, 3, 1, 1]), 'preprocess/color');
  const one = int64(g, [1]);
  const count = g.slice(g.shape(x, 'preprocess/resized_shape'), one, int64(g, [2]), int64(g, [0]), 'preprocess/channels');
  const start = g.node('Min', [g.sub(count, one, 'preprocess/channels_minus_one'), one], { outputs: ['preprocess/weights_start'] })[0]!;
  const end = g.add(start, count, 'preprocess/weights_end');
  const table = g.initializer('preprocess/luma_table', Float32Array.of(1, ...BT601_LUMA), [4]);
  const weights = g.reshape(g.slice(table, start, end, int64(g, [0]), 'preprocess/weights'), [1, -1, 1, 1], 'preprocess/channel_weights');
  return g.reduceSum(g.mul(x, weights, 'preprocess/weighted'), one, { name: 'preprocess/color' });
}

/** (x · scale − mean[c]) / std[c], one value for all channels or one per channel. */
function normalizePixels(g: OnnxGraphBuilder, x: string, { scale, mean, std }: PreprocessConfig['normalize'], channels: number): string {
  const perChannel = (name: string, values: readonly number[]) => g.initializer(name, Float32Array.from(values), values.length === 1 ? [1, 1, 1, 1] : [1, channels, 1, 1]);
  const scaled = g.mul(x, g.initializer('preprocess/scale', Float32Array.of(scale), []), 'preprocess/scaled');
  return g.div(g.sub(scaled, perChannel('preprocess/mean', mean), 'preprocess/centered'), perChannel('preprocess/std', std), 'preprocess/normalized');
}

/** (x − mean) · Wᵀ, W the components scaled by 1/√variance when whitening: the very W `Pca.transform` multiplies by. */
function projectPca(g: OnnxGraphBuilder, x: string, { dim, componentCount, whiten, mean, components, explainedVariance }: PcaState): string {
  const wT = new Float32Array(dim * componentCount); // stored transposed: MatMul [n, dim] · [dim, components]
  for (let k = 0; k < componentCount; k++) {
    const ev = explainedVariance[k]!;
    const scale = whiten ? (ev > 0 ? 1 / Math.sqrt(ev) : 0) : 1;
    for (let c = 0; c < dim; c++) wT[c * componentCount + k] = components[k * dim + c]! * scale;
  }
  const centered = g.sub(x, g.initializer('pca/mean', mean, [dim]), 'pca/centered');
  return g.matmul(centered, g.initializer('pca/projection', wT, [dim, componentCount]), 'pca/projected');
}
