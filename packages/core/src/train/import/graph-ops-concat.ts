import { concatRows } from '../../compute/kernels/concat-rows/concat-rows.js';
import { gatherRows } from '../../compute/kernels/gather-rows/gather-rows.js';
import { formatShape, sizeOf } from '../../compute/shape.js';
import { Tensor } from '../../compute/tensor.js';
import { ShapeError } from '../../errors.js';
import type { GraphOp } from './graph-ops.js';

/**
 * ONNX Concat on the channel axis (1) of activations [N, C_k, ...rest] (an Inception or DenseNet
 * join): each input as rows [N·C_k, rest] stacked by concat-rows, then the rows put in
 * [N, ΣC, rest] order by gather-rows. dL/dx_k is gathered back from dy's rows.
 */
export function channelConcatOp(node: string, inputs: readonly string[], output: string, axis: number): GraphOp {
  return {
    node,
    op: 'Concat',
    inputs,
    output,
    bindings: [],
    async run(ctx, xs) {
      const { device } = ctx;
      const first = xs[0]!;
      const rank = first.shape.length;
      if ((axis < 0 ? axis + rank : axis) !== 1) throw new ShapeError(`onnx import: "${node}" (Concat) joins axis ${axis} of rank-${rank} tensors; only the channel axis (1) is imported`);
      const [n, rest] = [first.shape[0]!, first.shape.slice(2)];
      for (const x of xs) if (x.shape.length !== rank || x.shape[0] !== n || x.shape.slice(2).some((d, k) => d !== rest[k])) throw new ShapeError(`onnx import: "${node}" (Concat) joins ${xs.map((t) => formatShape(t.shape)).join(' and ')}; all but the channel axis must agree`);
      const width = sizeOf(rest);
      const channels = xs.map((x) => x.shape[1]!);
      const total = channels.reduce((a, b) => a + b, 0);
      // Row (b, c) of input k sits at offset_k + b·C_k in the stack, and goes to b·ΣC + before_k + c.
      const stackIndex = new Int32Array(n * total);
      const backIndex = channels.map((c) => new Int32Array(n * c));
      let offset = 0;
      let before = 0;
      channels.forEach((c, k) => {
        for (let b = 0; b < n; b++) {
          for (let j = 0; j < c; j++) {
            stackIndex[b * total + before + j] = offset + b * c + j;
            backIndex[k]![b * c + j] = b * total + before + j;
          }
        }
        offset += n * c;
        before += c;
      });
      let stack = xs[0]!.reshape([n * channels[0]!, width]);
      for (let k = 1; k < xs.length; k++) {
        const { out } = await device.run(concatRows, { a: stack, b: xs[k]!.reshape([n * channels[k]!, width]) }, {});
        if (k > 1) stack.dispose();
        stack = out;
      }
      const indices = device.upload(Tensor.cpu('i32', [n * total], stackIndex));
      const out = (await device.run(gatherRows, { x: stack, indices }, {})).out.reshape([n, total, ...rest]);
      indices.dispose();
      if (xs.length > 1) stack.dispose();
      ctx.tape?.record({
        label: `${node} (concat)`,
        inputs: xs,
        output: out,
        saved: [],
        backward: async (dy) => {
          const rows = dy.reshape([n * total, width]);
          return Promise.all(
            backIndex.map(async (index, k) => {
              const picked = device.upload(Tensor.cpu('i32', [index.length], index));
              const { out: dx } = await device.run(gatherRows, { x: rows, indices: picked }, {});
              picked.dispose();
              return dx.reshape(xs[k]!.shape);
            }),
          );
        },
      });
      return out;
    },
  };
}
