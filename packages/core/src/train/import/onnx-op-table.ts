import { Tensor } from '../../compute/tensor.js';
import { ActivationLayer } from '../tape/activation-layer.js';
import { BatchNormLayer } from '../tape/batch-norm-layer.js';
import { Conv2dLayer } from '../tape/conv2d-layer.js';
import { LinearLayer } from '../tape/linear-layer.js';
import { AvgPoolLayer, GlobalAveragePoolLayer, MaxPoolLayer } from '../tape/pool-layers.js';
import { addOp, copyOp, layerOp, parameterBinding, transposedBinding, type GraphOp, type InitializerBinding } from './graph-ops.js';
import { constant, only, unsupported, type Converter, type ConvertContext } from './converter.js';
import { arithmeticWithConstant, BACKBONE_OP_CONVERTERS } from './backbone-op-converters.js';
import { floatAttribute, intAttribute, intsAttribute, stringAttribute, type Constant, type ReadNode } from './onnx-model-reader.js';

export const IMPORTED_OPS = ['Conv', 'BatchNormalization', 'Gemm', 'MatMul', 'Add', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'Relu', 'Flatten', 'Identity', ...(Object.keys(BACKBONE_OP_CONVERTERS) as (keyof typeof BACKBONE_OP_CONVERTERS)[])] as const;

/** pads/strides/dilations of a 2-D window; auto_pad other than NOTSET/VALID is refused (its pads depend on the input size). */
function window(node: ReadNode) {
  const autoPad = stringAttribute(node, 'auto_pad', 'NOTSET');
  only(node, [[autoPad === 'NOTSET' || autoPad === 'VALID', `has auto_pad ${autoPad}; only explicit pads are imported`]]);
  const pads = intsAttribute(node, 'pads') ?? [0, 0, 0, 0];
  const strides = intsAttribute(node, 'strides') ?? [1, 1];
  const dilations = intsAttribute(node, 'dilations') ?? [1, 1];
  only(node, [[pads.length === 4 && strides.length === 2 && dilations.length === 2, 'is not 2-D (pads, strides and dilations must describe height and width)']]);
  return { pads: pads as [number, number, number, number], strides: strides as [number, number], dilations: dilations as [number, number] };
}

function setValue(parameter: { value: Tensor }, shape: readonly number[], data: Float32Array): void {
  parameter.value.dispose();
  parameter.value = Tensor.cpu('f32', shape, data.slice());
}

const conv: Converter = (node, context) => {
  const weight = constant(node, context, 1, 'weight');
  only(node, [[weight.dims.length === 4, `has a ${weight.dims.length}-D weight; only 2-D convolutions are imported`]]);
  const [outChannels, groupChannels, kh, kw] = weight.dims as [number, number, number, number];
  const group = intAttribute(node, 'group', 1);
  const bias = node.inputs[2] === undefined ? null : constant(node, context, 2, 'bias');
  const layer = new Conv2dLayer(context.layerName(node), { inChannels: groupChannels * group, outChannels, kernelShape: [kh, kw], ...window(node), group, bias: bias !== null });
  setValue(layer.weight, weight.dims, weight.data);
  const bindings: InitializerBinding[] = [parameterBinding(node.inputs[1]!, layer.weight)];
  if (bias && layer.bias) {
    setValue(layer.bias, [outChannels], bias.data);
    bindings.push(parameterBinding(node.inputs[2]!, layer.bias));
  }
  return { op: layerOp(node.name, 'Conv', node.inputs[0]!, node.outputs[0]!, layer, bindings) };
};

const batchNormalization: Converter = (node, context) => {
  only(node, [
    [intAttribute(node, 'training_mode', 0) === 0, 'is in training mode; import the inference graph'],
    [node.outputs.length === 1, 'outputs its running statistics; import the inference graph'],
  ]);
  const [scale, bias, mean, variance] = [1, 2, 3, 4].map((k, i) => constant(node, context, k, ['scale', 'bias', 'mean', 'variance'][i]!));
  const channels = scale!.dims[0]!;
  // Fine-tuning updates the running statistics as PyTorch does (unbiased variance); the momentum is the model's own.
  const layer = new BatchNormLayer(context.layerName(node), channels, { epsilon: floatAttribute(node, 'epsilon', 1e-5), momentum: floatAttribute(node, 'momentum', 0.9), unbiasedRunningVariance: true });
  setValue(layer.scale, [channels], scale!.data);
  setValue(layer.bias, [channels], bias!.data);
  layer.setRunningStatistics(mean!.data, variance!.data);
  const running = (part: 'mean' | 'variance', initializer: string): InitializerBinding => ({
    initializer,
    parameter: null,
    read: async (device) => (await layer.runningStatistics(device))[part],
    write: async (device, data) => {
      const now = await layer.runningStatistics(device);
      layer.setRunningStatistics(part === 'mean' ? data : now.mean, part === 'variance' ? data : now.variance);
    },
  });
  const bindings = [parameterBinding(node.inputs[1]!, layer.scale), parameterBinding(node.inputs[2]!, layer.bias), running('mean', node.inputs[3]!), running('variance', node.inputs[4]!)];
  return { op: layerOp(node.name, 'BatchNormalization', node.inputs[0]!, node.outputs[0]!, layer, bindings) };
};

/** A linear layer of weight [in, out] (stored transposed when `transposed`) and an optional bias initializer; without one the bias stays zero and untrained. */
function linear(node: ReadNode, context: ConvertContext, op: string, output: string, weight: Constant, weightName: string, transposed: boolean, bias: { constant: Constant; name: string } | null): GraphOp {
  only(node, [[weight.dims.length === 2, `has a ${weight.dims.length}-D weight; a linear layer's is 2-D`]]);
  const [inFeatures, outFeatures] = transposed ? [weight.dims[1]!, weight.dims[0]!] : [weight.dims[0]!, weight.dims[1]!];
  if (bias) only(node, [[bias.constant.data.length === outFeatures, `has a bias of ${bias.constant.data.length} values for ${outFeatures} outputs`]]);
  const layer = new LinearLayer(context.layerName(node), inFeatures, outFeatures);
  const data = new Float32Array(inFeatures * outFeatures);
  for (let i = 0; i < inFeatures; i++) for (let o = 0; o < outFeatures; o++) data[i * outFeatures + o] = transposed ? weight.data[o * inFeatures + i]! : weight.data[i * outFeatures + o]!;
  setValue(layer.weight, [inFeatures, outFeatures], data);
  setValue(layer.bias, [outFeatures], bias ? bias.constant.data : new Float32Array(outFeatures));
  const bindings = [transposed ? transposedBinding(weightName, layer.weight) : parameterBinding(weightName, layer.weight), ...(bias ? [parameterBinding(bias.name, layer.bias)] : [])];
  return layerOp(node.name, op, node.inputs[0]!, output, layer, bindings);
}

const gemm: Converter = (node, context) => {
  only(node, [
    [intAttribute(node, 'transA', 0) === 0, 'has transA 1; only activations × weight are imported'],
    [floatAttribute(node, 'alpha', 1) === 1 && floatAttribute(node, 'beta', 1) === 1, 'has alpha or beta other than 1'],
  ]);
  const bias = node.inputs[2] === undefined ? null : { constant: constant(node, context, 2, 'bias'), name: node.inputs[2] };
  return { op: linear(node, context, 'Gemm', node.outputs[0]!, constant(node, context, 1, 'weight'), node.inputs[1]!, intAttribute(node, 'transB', 0) === 1, bias) };
};

/** MatMul by a constant [in, out] weight, with the Add of a constant bias that alone reads it folded in. */
const matMul: Converter = (node, context) => {
  const weight = constant(node, context, 1, 'weight');
  const next = context.soleReader(node.outputs[0]!);
  const biasName = next?.op === 'Add' ? next.inputs.find((i) => i !== node.outputs[0]) : undefined;
  const bias = biasName !== undefined ? context.constants.get(biasName) : undefined;
  if (next && bias && biasName) return { op: linear(node, context, 'MatMul+Add', next.outputs[0]!, weight, node.inputs[1]!, false, { constant: bias, name: biasName }), absorbed: [next] };
  return { op: linear(node, context, 'MatMul', node.outputs[0]!, weight, node.inputs[1]!, false, null) };
};

const addConstant = arithmeticWithConstant('Add');

/** A residual join of two activations, or a shift by a constant (a constant right after a MatMul is its bias, folded there). */
const addNode: Converter = (node, context) => {
  if (node.inputs.some((i) => context.constants.has(i))) return addConstant(node, context);
  only(node, [[node.inputs.length === 2, `has ${node.inputs.length} inputs`]]);
  return { op: addOp(node.name, [node.inputs[0]!, node.inputs[1]!], node.outputs[0]!) };
};

function poolWindow(node: ReadNode) {
  const kernel = intsAttribute(node, 'kernel_shape');
  only(node, [
    [kernel?.length === 2, 'is not a 2-D pooling (kernel_shape must have two sides)'],
    [intAttribute(node, 'ceil_mode', 0) === 0, 'has ceil_mode 1; only floored output sizes are imported'],
  ]);
  return { kernelShape: kernel as [number, number], ...window(node) };
}

const maxPool: Converter = (node, context) => {
  only(node, [
    [node.outputs.length === 1, 'outputs its indices too'],
    [intAttribute(node, 'storage_order', 0) === 0, 'has storage_order 1'],
  ]);
  return { op: layerOp(node.name, 'MaxPool', node.inputs[0]!, node.outputs[0]!, new MaxPoolLayer(context.layerName(node), poolWindow(node))) };
};

const averagePool: Converter = (node, context) => {
  const { dilations, ...attrs } = poolWindow(node);
  only(node, [[dilations[0] === 1 && dilations[1] === 1, 'has dilations']]);
  const layer = new AvgPoolLayer(context.layerName(node), { ...attrs, countIncludePad: intAttribute(node, 'count_include_pad', 0) === 1 });
  return { op: layerOp(node.name, 'AveragePool', node.inputs[0]!, node.outputs[0]!, layer) };
};

const globalAveragePool: Converter = (node, context) => ({ op: layerOp(node.name, 'GlobalAveragePool', node.inputs[0]!, node.outputs[0]!, new GlobalAveragePoolLayer(context.layerName(node))) });

const relu: Converter = (node, context) => ({ op: layerOp(node.name, 'Relu', node.inputs[0]!, node.outputs[0]!, new ActivationLayer(context.layerName(node), 'relu')) });

const flatten: Converter = (node) => {
  only(node, [[intAttribute(node, 'axis', 1) === 1, `has axis ${intAttribute(node, 'axis', 1)}; only axis 1 (one row per image) is imported`]]);
  return { op: copyOp(node.name, 'Flatten', node.inputs[0]!, node.outputs[0]!) };
};

const identity: Converter = (node) => ({ op: copyOp(node.name, 'Identity', node.inputs[0]!, node.outputs[0]!) });

/** The converters, keyed by ONNX op type. */
export const OP_CONVERTERS: Readonly<Record<(typeof IMPORTED_OPS)[number], Converter>> = {
  Conv: conv,
  BatchNormalization: batchNormalization,
  Gemm: gemm,
  MatMul: matMul,
  Add: addNode,
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: globalAveragePool,
  Relu: relu,
  Flatten: flatten,
  Identity: identity,
  ...BACKBONE_OP_CONVERTERS,
};

export function converterOf(node: ReadNode): Converter {
  const converter = (OP_CONVERTERS as Record<string, Converter | undefined>)[node.op];
  if (!converter || !Object.hasOwn(OP_CONVERTERS, node.op)) throw unsupported(node, `is not supported; the importer reads ${IMPORTED_OPS.join(', ')}`);
  return converter;
}
