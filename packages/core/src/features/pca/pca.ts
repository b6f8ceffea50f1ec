import { FeatureError, ShapeError } from '../../errors.js';
import type { Device } from '../../compute/device.js';
import { createJsFastMatmul } from '../../compute/fast-matmul/js-fast-matmul.js';
import type { FastMatmul } from '../../compute/fast-matmul/fast-matmul.js';
import { add } from '../../compute/kernels/add/add.js';
import { matmul } from '../../compute/kernels/matmul/matmul.js';
import { formatShape } from '../../compute/shape.js';
import { Tensor } from '../../compute/tensor.js';
import { decodeComponentState, encodeComponentState, float32Body, readFloat32, type ComponentHeader } from '../component-state.js';
import { deviceEngine, fastMatmulEngine, type MatrixEngine } from './matrix-engine.js';
import { chooseStrategy, fitPcaMatrix, PCA_STRATEGIES, type PcaFitSettings, type PcaStrategy } from './pca-fit.js';

export interface PcaOptions extends PcaFitSettings {
  /** Scale each output to unit variance (divide by √explained variance), as scikit-learn's `whiten`. */
  readonly whiten?: boolean;
}

/** Where a PCA computes. */
export interface PcaCompute {
  /** Runs `transform` (and the fit's large products on WebGPU, when no `fastMatmul` is given). */
  readonly device: Device;
  /**
   * Host matrix products (ONNX Runtime's MLAS through `createOrtFastMatmul`): used for the fit's
   * large products, and for `transform` on a CPU device. Without it a CPU device computes with
   * portable loops, a WebGPU device with its kernels.
   */
  readonly fastMatmul?: FastMatmul;
}

/** What a fitted PCA is: everything `save` writes. */
export interface PcaState {
  readonly dim: number;
  readonly componentCount: number;
  readonly whiten: boolean;
  readonly samples: number;
  readonly strategy: Exclude<PcaStrategy, 'auto'>;
  readonly mean: Float32Array;
  /** componentCount × dim, row-major unit vectors in decreasing order of variance. */
  readonly components: Float32Array;
  readonly explainedVariance: Float64Array;
  readonly explainedVarianceRatio: Float64Array;
  readonly totalVariance: number;
}

interface PcaHeader extends ComponentHeader {
  kind: 'pca';
  version: 1;
  dim: number;
  componentCount: number;
  whiten: boolean;
  samples: number;
  strategy: Exclude<PcaStrategy, 'auto'>;
  explainedVariance: number[];
  totalVariance: number;
  /** Element ranges of the float32 body: [offset, length]. */
  body: { mean: [number, number]; components: [number, number] };
}

const KIND = 'pca';
const VERSION = 1;

/**
 * Principal component analysis with the component contract: `fit` on N×D data, `transform`
 * batches to N×C on the Device as (X − mean)·Wᵀ, `save` to a versioned header + float32 body,
 * `Pca.load` back. A loaded PCA transforms exactly as the one that was fitted (same values, same
 * code), so training and serving agree bit for bit on the same device.
 */
export class Pca {
  readonly options: PcaOptions;
  readonly compute: PcaCompute;
  #state: PcaState | null = null;
  /** W (components, scaled when whitening) and −mean, as f32: what transform multiplies by. */
  #projection: Float32Array | null = null;
  #negativeMean: Float32Array | null = null;
  #deviceTensors: { w: Tensor; negativeMean: Tensor } | null = null;

  constructor(options: PcaOptions, compute: PcaCompute) {
    this.options = options;
    this.compute = compute;
  }

  get fitted(): boolean {
    return this.#state !== null;
  }

  get state(): PcaState {
    if (!this.#state) throw new FeatureError('FEATURE_NOT_FITTED', 'PCA: not fitted yet; call fit(data) or Pca.load(bytes) first');
    return this.#state;
  }

  /** Learns mean, components and variances from `data` [samples, dim] (f32; a GPU tensor is read back). */
  async fit(data: Tensor): Promise<this> {
    if (data.dtype !== 'f32' || data.shape.length !== 2) {
      throw new ShapeError(`PCA.fit: data must be f32 [samples, dim], got ${data.dtype} ${formatShape(data.shape)}`);
    }
    const [rows, cols] = data.shape as [number, number];
    chooseStrategy(rows, cols, this.options);
    const values = data.location === 'cpu' ? (data.data as Float32Array) : ((await this.compute.device.read(data)) as Float32Array);
    const result = await fitPcaMatrix(values, rows, cols, this.options, this.#engine());
    const total = result.totalVariance;
    this.#setState({
      dim: cols,
      componentCount: this.options.components,
      whiten: this.options.whiten ?? false,
      samples: rows,
      strategy: result.strategy,
      mean: result.mean,
      components: result.components,
      explainedVariance: result.explainedVariance,
      explainedVarianceRatio: result.explainedVariance.map((v) => (total > 0 ? v / total : 0)),
      totalVariance: total,
    });
    return this;
  }

  /** A batch [n, dim] (or one vector [dim]) → [n, components] (or [components]) on the compute device. */
  async transform(batch: Tensor): Promise<Tensor> {
    const { dim, componentCount } = this.state;
    const rank = batch.shape.length;
    if (batch.dtype !== 'f32' || (rank !== 1 && rank !== 2) || batch.shape[rank - 1] !== dim) {
      throw new ShapeError(`PCA.transform: batch must be f32 [n, ${dim}] or [${dim}], got ${batch.dtype} ${formatShape(batch.shape)}`);
    }
    const rows = rank === 1 ? 1 : batch.shape[0]!;
    const outShape = rank === 1 ? [componentCount] : [rows, componentCount];
    const { device, fastMatmul } = this.compute;
    if (device.backend === 'cpu' && fastMatmul) {
      const x = device.upload(batch).data as Float32Array;
      const centered = new Float32Array(x.length);
      const negativeMean = this.#negativeMean!;
      for (let r = 0; r < rows; r++) for (let c = 0; c < dim; c++) centered[r * dim + c] = x[r * dim + c]! + negativeMean[c]!;
      const out = await fastMatmul.matmul(centered, this.#projection!, { m: rows, n: componentCount, k: dim }, { transposeB: true });
      return Tensor.cpu('f32', outShape, out);
    }
    const { w, negativeMean } = this.#onDevice();
    const x = device.upload(batch.reshape([rows, dim]));
    const { out: centered } = await device.run(add, { a: x, b: negativeMean }, {});
    if (batch.location === 'cpu' && x.location === 'gpu') x.dispose();
    const { out } = await device.run(matmul, { a: centered, b: w }, { transposeB: true });
    centered.dispose();
    return out.reshape(outShape);
  }

  /** Versioned JSON header + little-endian float32 body (mean, then components), with a checksum. */
  save(): Uint8Array {
    const s = this.state;
    const header: PcaHeader = {
      kind: KIND,
      version: VERSION,
      dim: s.dim,
      componentCount: s.componentCount,
      whiten: s.whiten,
      samples: s.samples,
      strategy: s.strategy,
      explainedVariance: Array.from(s.explainedVariance),
      totalVariance: s.totalVariance,
      body: { mean: [0, s.dim], components: [s.dim, s.componentCount * s.dim] },
    };
    return encodeComponentState(header, float32Body(s.mean, s.components));
  }

  static load(bytes: Uint8Array, compute: PcaCompute): Pca {
    const { header, body } = decodeComponentState<PcaHeader>(bytes, KIND, [VERSION]);
    const corrupt = (why: string) => new FeatureError('FEATURE_STATE_CORRUPT', `pca state: ${why}`);
    const { dim, componentCount, whiten, samples, strategy, explainedVariance, totalVariance } = header;
    if (!Number.isInteger(dim) || dim < 1 || !Number.isInteger(componentCount) || componentCount < 1 || componentCount > dim) {
      throw corrupt(`dim ${dim} and componentCount ${componentCount} must be integers with 1 ≤ componentCount ≤ dim`);
    }
    if (!Array.isArray(explainedVariance) || explainedVariance.length !== componentCount || !explainedVariance.every((v) => typeof v === 'number' && v >= 0)) {
      throw corrupt(`explainedVariance must hold ${componentCount} non-negative numbers`);
    }
    if (typeof totalVariance !== 'number' || !(totalVariance >= 0) || typeof whiten !== 'boolean' || !PCA_STRATEGIES.includes(strategy)) {
      throw corrupt('totalVariance, whiten or strategy is missing or invalid');
    }
    const [meanOffset, meanLength] = header.body?.mean ?? [];
    const [componentsOffset, componentsLength] = header.body?.components ?? [];
    if (meanLength !== dim || componentsLength !== componentCount * dim) throw corrupt(`body ranges do not match dim ${dim} × ${componentCount} components`);
    const pca = new Pca({ components: componentCount, whiten, strategy }, compute);
    const ev = Float64Array.from(explainedVariance);
    pca.#setState({
      dim,
      componentCount,
      whiten,
      samples,
      strategy,
      mean: readFloat32(body, meanOffset!, dim, KIND),
      components: readFloat32(body, componentsOffset!, componentCount * dim, KIND),
      explainedVariance: ev,
      explainedVarianceRatio: ev.map((v) => (totalVariance > 0 ? v / totalVariance : 0)),
      totalVariance,
    });
    return pca;
  }

  /** Frees the GPU copies of the projection. */
  dispose(): void {
    this.#deviceTensors?.w.dispose();
    this.#deviceTensors?.negativeMean.dispose();
    this.#deviceTensors = null;
  }

  #setState(state: PcaState): void {
    this.dispose();
    this.#state = state;
    const { dim, componentCount, whiten, components, explainedVariance } = state;
    const w = new Float32Array(componentCount * dim);
    for (let k = 0; k < componentCount; k++) {
      // A component without variance carries nothing: whitening maps it to 0 rather than ±∞.
      const ev = explainedVariance[k]!;
      const scale = whiten ? (ev > 0 ? 1 / Math.sqrt(ev) : 0) : 1;
      for (let c = 0; c < dim; c++) w[k * dim + c] = components[k * dim + c]! * scale;
    }
    this.#projection = w;
    this.#negativeMean = state.mean.map((m) => -m);
  }

  #onDevice(): { w: Tensor; negativeMean: Tensor } {
    const { dim, componentCount } = this.state;
    this.#deviceTensors ??= {
      w: this.compute.device.upload(Tensor.cpu('f32', [componentCount, dim], this.#projection!)),
      negativeMean: this.compute.device.upload(Tensor.cpu('f32', [dim], this.#negativeMean!)),
    };
    return this.#deviceTensors;
  }

  #engine(): MatrixEngine {
    const { device, fastMatmul } = this.compute;
    if (fastMatmul) return fastMatmulEngine(fastMatmul);
    if (device.backend === 'webgpu') return deviceEngine(device);
    return fastMatmulEngine(createJsFastMatmul());
  }
}
