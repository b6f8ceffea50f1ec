import { formatShape, sizeOf, type Shape } from '../../compute/shape.js';
import { ShapeError } from '../../errors.js';
import { ActivationLayer } from '../tape/activation-layer.js';
import { only, unsupported, type Converter, type ConvertContext } from './converter.js';
import { layerOp, reshapedCopy, shapeOp } from './graph-ops.js';
import { channelConcatOp } from './graph-ops-concat.js';
import { clipOp, constantArithmeticOp, dropoutOp, type ConstantArithmetic } from './graph-ops-elementwise.js';
import { floatAttribute, intAttribute, intsAttribute, type ReadNode } from './onnx-model-reader.js';

// The operators around the convolutions of common backbones: activations, an input's scaling,
// the reshapes around a classifier, channel joins and dropout.

/** A scalar float constant at an input position (Clip's min, Dropout's ratio), or the fallback when the input is left out. */
function scalarInput(node: ReadNode, context: ConvertContext, slot: number, what: string, fallback: number): number {
  const name = node.slots[slot];
  if (name === undefined) return fallback;
  const value = context.constants.get(name);
  if (!value || value.data.length !== 1) throw unsupported(node, `needs its ${what} (input ${slot}) as one float32 constant${value ? `, not ${value.data.length} values` : `; "${name}" is computed by the graph`}`);
  return value.data[0]!;
}

/** Integers at an input position (Reshape's shape, Squeeze's axes since opset 13), or the attribute older opsets use. */
function integersInput(node: ReadNode, context: ConvertContext, slot: number, what: string, attribute?: string): number[] | undefined {
  const name = node.slots[slot];
  if (name === undefined) return attribute ? intsAttribute(node, attribute) : undefined;
  const value = context.integers.get(name);
  if (!value) throw unsupported(node, `needs its ${what} (input ${slot}) as an int64 constant; "${name}" is computed by the graph`);
  return [...value];
}

const sigmoid: Converter = (node, context) => ({ op: layerOp(node.name, 'Sigmoid', node.inputs[0]!, node.outputs[0]!, new ActivationLayer(context.layerName(node), 'sigmoid')) });

const clip: Converter = (node, context) => {
  // Before opset 11 the bounds are attributes.
  const min = node.attributes.has('min') ? floatAttribute(node, 'min', -Infinity) : scalarInput(node, context, 1, 'min', -Infinity);
  const max = node.attributes.has('max') ? floatAttribute(node, 'max', Infinity) : scalarInput(node, context, 2, 'max', Infinity);
  only(node, [[min <= max, `has min ${min} above max ${max}`]]);
  return { op: clipOp(node.name, node.inputs[0]!, node.outputs[0]!, min, max) };
};

/** Sub, Mul or Div with one constant operand (Add's constant case goes through here too). */
export function arithmeticWithConstant(op: ConstantArithmetic): Converter {
  return (node, context) => {
    only(node, [[node.inputs.length === 2, `has ${node.inputs.length} inputs`]]);
    const [a, b] = [node.inputs[0]!, node.inputs[1]!];
    const [ca, cb] = [context.constants.get(a), context.constants.get(b)];
    const fixed = cb ?? ca;
    if (!fixed || (ca && cb)) throw unsupported(node, ca && cb ? 'has two constant inputs' : 'combines two computed tensors; only an operation with a constant (scaling, a shift) is imported');
    if (op === 'Div' && ca) throw unsupported(node, `divides the constant "${a}" by a computed tensor; only division by a constant is imported`);
    return { op: constantArithmeticOp(node.name, op, cb ? a : b, node.outputs[0]!, fixed, !cb) };
  };
}

/** ONNX Reshape's target for an input shape: 0 copies the input's dimension, −1 takes what is left. The batch axis must stay first. */
function reshapeTarget(node: ReadNode, target: readonly number[], shape: Shape): Shape {
  const out = target.map((d, k) => (d === 0 ? shape[k]! : d));
  const free = out.indexOf(-1);
  if (free >= 0) out[free] = sizeOf(shape) / out.filter((_, k) => k !== free).reduce((a, b) => a * b, 1);
  if (!Number.isInteger(out[free] ?? 0) || sizeOf(out) !== sizeOf(shape) || out[0] !== shape[0]) {
    throw new ShapeError(`onnx import: "${node.name}" (Reshape) to [${target.join(', ')}] gives ${formatShape(out)} from ${formatShape(shape)}; the batch axis must stay first and the size the same`);
  }
  return out;
}

const reshape: Converter = (node, context) => {
  only(node, [[intAttribute(node, 'allowzero', 0) === 0, 'has allowzero 1']]);
  const target = integersInput(node, context, 1, 'shape')!;
  return { op: shapeOp(node.name, 'Reshape', node.inputs[0]!, node.outputs[0]!, (shape) => reshapeTarget(node, target, shape)) };
};

/** Squeeze's or Unsqueeze's axes, required: squeezing every size-1 axis would squeeze a batch of one. */
function axesOf(node: ReadNode, context: ConvertContext): number[] {
  const axes = integersInput(node, context, 1, 'axes', 'axes');
  only(node, [[axes !== undefined && axes.length > 0, 'has no axes; only explicit axes are imported']]);
  only(node, [[!axes!.includes(0), 'reshapes the batch axis (0)']]);
  return axes!;
}

const squeeze: Converter = (node, context) => {
  const axes = axesOf(node, context);
  return {
    op: shapeOp(node.name, 'Squeeze', node.inputs[0]!, node.outputs[0]!, (shape) => {
      const drop = new Set(axes.map((a) => (a < 0 ? a + shape.length : a)));
      if (drop.has(0) || [...drop].some((a) => shape[a] !== 1)) throw new ShapeError(`onnx import: "${node.name}" (Squeeze) drops axes [${axes.join(', ')}] of ${formatShape(shape)}; each must have size 1 and not be the batch`);
      return shape.filter((_, k) => !drop.has(k));
    }),
  };
};

const unsqueeze: Converter = (node, context) => {
  const axes = axesOf(node, context);
  return {
    op: shapeOp(node.name, 'Unsqueeze', node.inputs[0]!, node.outputs[0]!, (shape) => {
      const rank = shape.length + axes.length;
      const added = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
      if (added.has(0)) throw new ShapeError(`onnx import: "${node.name}" (Unsqueeze) adds axis 0 before the batch of ${formatShape(shape)}`);
      const rest = [...shape];
      return Array.from({ length: rank }, (_, k) => (added.has(k) ? 1 : rest.shift()!));
    }),
  };
};

const concat: Converter = (node, context) => {
  const axis = intAttribute(node, 'axis', 1);
  const fixed = node.inputs.find((i) => context.constants.has(i));
  only(node, [
    [fixed === undefined, `joins the constant "${fixed}"; only computed tensors are joined`],
    [axis < 0 || axis === 1, `joins axis ${axis}; only the channel axis (1) is imported`],
  ]);
  return { op: channelConcatOp(node.name, node.inputs, node.outputs[0]!, axis) };
};

const dropout: Converter = (node, context) => {
  only(node, [
    [node.outputs.length === 1, 'outputs its mask too'],
    [node.slots[2] === undefined, 'has a training_mode input; import the inference graph'],
  ]);
  // Before opset 12 the ratio is an attribute.
  const ratio = node.attributes.has('ratio') ? floatAttribute(node, 'ratio', 0.5) : scalarInput(node, context, 1, 'ratio', 0.5);
  only(node, [[ratio >= 0 && ratio < 1, `has ratio ${ratio}; expected [0, 1)`]]);
  return { op: dropoutOp(node.name, node.inputs[0]!, node.outputs[0]!, ratio, (ctx, x) => reshapedCopy(ctx, `${node.name} (Dropout)`, x, x.shape)) };
};

export const BACKBONE_OP_CONVERTERS = {
  Sigmoid: sigmoid,
  Clip: clip,
  Sub: arithmeticWithConstant('Sub'),
  Mul: arithmeticWithConstant('Mul'),
  Div: arithmeticWithConstant('Div'),
  Reshape: reshape,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Concat: concat,
  Dropout: dropout,
} as const satisfies Record<string, Converter>;
