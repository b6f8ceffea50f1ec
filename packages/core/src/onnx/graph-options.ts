// Options of the OnnxGraphBuilder ops, in ONNX's own terms.

export interface GemmOptions { alpha?: number; beta?: number; transA?: boolean; transB?: boolean; name?: string }
export interface ConvOptions { kernelShape?: readonly number[]; strides?: readonly number[]; pads?: readonly number[]; dilations?: readonly number[]; group?: number; name?: string }
export interface PoolOptions { kernelShape: readonly number[]; strides?: readonly number[]; pads?: readonly number[]; ceilMode?: boolean; name?: string }
export interface AveragePoolOptions extends PoolOptions { countIncludePad?: boolean }
export interface ArgMaxOptions { axis?: number; keepdims?: boolean; selectLastIndex?: boolean; name?: string }
export interface TopKOptions { axis?: number; largest?: boolean; sorted?: boolean; names?: readonly [string, string] }
export interface ResizeOptions {
  /** ONNX Resize `mode`: 'linear' (bilinear on 4-D NCHW) or 'nearest'. */
  mode: 'linear' | 'nearest';
  /** ONNX Resize `coordinate_transformation_mode` (default 'half_pixel'). */
  coordinateTransform?: 'half_pixel' | 'align_corners' | 'asymmetric' | 'pytorch_half_pixel';
  /** ONNX Resize `nearest_mode` (default 'round_prefer_floor', ONNX's own default). */
  nearestMode?: 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil';
  name?: string;
}

/** How another model's graph is merged into this one (`OnnxGraphBuilder.embed`). */
export interface EmbedOptions {
  /** Put before every tensor and node name of the embedded graph (e.g. 'backbone/'), so names never clash. */
  readonly prefix: string;
  /** Its graph inputs → tensors of this graph that feed them. Every input that is not an initializer must be fed. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Its graph outputs to bring over; nodes none of them needs are left out. */
  readonly outputs: readonly string[];
  /**
   * Default-domain opset versions at which the embedded nodes mean what they meant in their own
   * model (default: exactly its own version). This graph's opset must lie in the range, since a
   * model declares one version per domain for all its nodes.
   */
  readonly opsetRange?: readonly [number, number];
}
