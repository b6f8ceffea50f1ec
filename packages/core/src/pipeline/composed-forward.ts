import { findStage, stageFiles, type Bundle } from '../bundle/bundle.js';
import { STAGE_KINDS } from '../bundle/stage-table.js';
import type { Device } from '../compute/device.js';
import { decodedInputSize, type DecodedInput } from '../image/decoded-input.js';
import { colorChannels } from '../image/image-tensor.js';
import { FeedBufferPool } from '../onnx/feed-buffer-pool.js';
import type { OnnxRunOptions, OnnxRuntime, OnnxSession } from '../onnx/session.js';
import { COMPOSED_GRAPH_OUTPUTS, composedGraphInput } from './composed-graph.js';

/** What one forward pass gives the Predictor: features after PCA, and the head's probabilities. */
export interface ForwardResult {
  /** rows × dim, row-major: what the index searches. */
  readonly features: Float32Array;
  readonly dim: number;
  /** rows × classes, or null where the bundle has no trained head (a kNN head votes instead). */
  readonly probabilities: Float32Array | null;
}

/**
 * The bundle's composed graph (preprocessing → backbone → PCA → head, one ONNX model) in one ONNX
 * Runtime session: on a CPU Device this is the whole forward pass in one native call, instead of
 * the staged kernels and three sessions with copies between them (measured in bench/edge). The
 * composed graph is checked against the staged path to 1e-4 where it is written (composed-graph.test.ts).
 * On a WebGPU Device the staged path keeps the work on the GPU, so this is not used there.
 */
export class ComposedForward {
  readonly #session: OnnxSession;
  readonly #input: string;
  readonly #hasProbabilities: boolean;
  /** The feeds' arrays, kept from one run to the next (a server runs the same sizes all day). */
  readonly #feeds = new FeedBufferPool();

  private constructor(session: OnnxSession, input: string, hasProbabilities: boolean) {
    this.#session = session;
    this.#input = input;
    this.#hasProbabilities = hasProbabilities;
  }

  /** The composed forward of a bundle, or null where it has no composed graph or the Device is a GPU. */
  static async load(bundle: Bundle, device: Device, runtime: OnnxRuntime | undefined): Promise<ComposedForward | null> {
    const stage = findStage(bundle.manifest, 'composed');
    if (!stage || !runtime || device.backend !== 'cpu') return null;
    const graph = STAGE_KINDS.composed.load(stage, stageFiles(bundle, stage));
    const provider = runtime.name === 'onnxruntime-node' ? 'cpu' : 'wasm';
    const session = await runtime.createSession(graph.graph, { executionProviders: [provider] });
    return new ComposedForward(session, graph.input, graph.outputs.includes(COMPOSED_GRAPH_OUTPUTS.probabilities));
  }

  /** One run per size of image in `images` (the graph resizes, but one run takes one size); rows in input order. */
  async run(images: readonly DecodedInput[], options: Pick<OnnxRunOptions, 'callingThread'> = {}): Promise<ForwardResult> {
    const groups = new Map<string, number[]>();
    images.forEach((image, row) => {
      const { height, width, channels } = decodedInputSize(image);
      const key = `${height}x${width}x${colorChannels(channels)}`;
      const rows = groups.get(key);
      if (rows) rows.push(row);
      else groups.set(key, [row]);
    });
    let features: Float32Array | null = null;
    let probabilities: Float32Array | null = null;
    let dim = 0;
    for (const rows of groups.values()) {
      const feed = composedGraphInput(rows.map((row) => images[row]!), (length) => this.#feeds.take(length));
      const out = await this.#session.run({ [this.#input]: feed }, undefined, { ...options, handOverFeeds: true, feedPool: this.#feeds });
      const groupFeatures = out[COMPOSED_GRAPH_OUTPUTS.features]!.data as Float32Array;
      const groupProbabilities = this.#hasProbabilities ? (out[COMPOSED_GRAPH_OUTPUTS.probabilities]!.data as Float32Array) : null;
      if (groups.size === 1) return { features: groupFeatures, dim: groupFeatures.length / rows.length, probabilities: groupProbabilities };
      dim = groupFeatures.length / rows.length;
      features ??= new Float32Array(images.length * dim);
      scatterRows(groupFeatures, rows, dim, features);
      if (groupProbabilities) {
        const classes = groupProbabilities.length / rows.length;
        probabilities ??= new Float32Array(images.length * classes);
        scatterRows(groupProbabilities, rows, classes, probabilities);
      }
    }
    return { features: features!, dim, probabilities };
  }

  async release(): Promise<void> {
    await this.#session.release();
  }
}

function scatterRows(from: Float32Array, rows: readonly number[], width: number, into: Float32Array): void {
  rows.forEach((row, i) => into.set(from.subarray(i * width, (i + 1) * width), row * width));
}
