import type { Tensor } from '../../compute/tensor.js';
import { ShapeError } from '../../errors.js';
import type { ForwardContext, Layer, Parameter } from '../tape/layer.js';
import type { GraphOp, InitializerBinding } from './graph-ops.js';

/** A block of the network for fine-tuning: a residual block, or a conv (or linear) layer with what follows it up to the next one. */
export interface GraphBlock {
  /** 'residual' when the block joins two paths with an Add. */
  readonly kind: 'residual' | 'conv' | 'linear';
  /** The ONNX node the block starts at. */
  readonly firstNode: string;
  /** The tensor it reads: the one place where the graph can be cut before it. */
  readonly input: string;
  readonly output: string;
}

/**
 * An imported ONNX graph as one tape layer: its operations run in the graph's order over named
 * tensors, so residual joins (Add of two activations) are a DAG, not a chain. Without a tape each
 * intermediate is released after its last reader; with one, the tape owns them.
 */
export class ImportedGraph implements Layer {
  readonly name: string;
  readonly input: string;
  readonly output: string;
  readonly ops: readonly GraphOp[];

  constructor(name: string, input: string, output: string, ops: readonly GraphOp[]) {
    this.name = name;
    this.input = input;
    this.output = output;
    this.ops = ops;
  }

  /** The weights and statistics of every op, bound to their initializers. */
  bindings(): InitializerBinding[] {
    return this.ops.flatMap((op) => op.bindings);
  }

  /** The parameters that have an initializer in the model (a MatMul's missing bias stays zero and is not trained). */
  parameters(): readonly Parameter[] {
    return this.bindings().flatMap((b) => (b.parameter ? [b.parameter] : []));
  }

  async forward(ctx: ForwardContext, x: Tensor): Promise<Tensor> {
    const readers = new Map<string, number>();
    for (const op of this.ops) for (const name of op.inputs) readers.set(name, (readers.get(name) ?? 0) + 1);
    const values = new Map<string, Tensor>([[this.input, x]]);
    for (const op of this.ops) {
      const inputs = op.inputs.map((name) => {
        const value = values.get(name);
        if (!value) throw new ShapeError(`${this.name}: "${op.node}" (${op.op}) reads "${name}", which no earlier op wrote`);
        return value;
      });
      values.set(op.output, await op.run(ctx, inputs));
      if (ctx.tape) continue;
      for (const name of op.inputs) {
        const left = readers.get(name)! - 1;
        readers.set(name, left);
        if (left === 0 && name !== this.input && name !== this.output) values.get(name)!.dispose();
      }
    }
    const out = values.get(this.output);
    if (!out) throw new ShapeError(`${this.name}: no op writes the output "${this.output}"`);
    return out;
  }

  /**
   * Tensors where the graph can be cut in two: after op k, the only value later ops (or the
   * output) still read. The graph input is the first.
   */
  cuts(): string[] {
    const lastRead = new Map<string, number>();
    this.ops.forEach((op, k) => op.inputs.forEach((name) => lastRead.set(name, k)));
    lastRead.set(this.output, this.ops.length);
    const cuts = [this.input];
    const live = new Set([this.input]);
    this.ops.forEach((op, k) => {
      live.add(op.output);
      for (const name of [...live]) if ((lastRead.get(name) ?? -1) <= k) live.delete(name);
      if (live.size === 1 && live.has(op.output) && k < this.ops.length - 1) cuts.push(op.output);
    });
    return cuts;
  }

  /**
   * The blocks, in order: the graph cut at every cut point, a new block starting at each piece
   * that holds a Conv, Gemm or MatMul (a residual block has no cut inside, so it is one piece);
   * pieces without one (batch norm, activations, pooling, reshapes) belong to the block before
   * them, and those before the first weighted piece (an input's normalisation) to the first block.
   */
  blocks(): GraphBlock[] {
    const cuts = new Set(this.cuts());
    const pieces: { input: string; ops: GraphOp[] }[] = [];
    let current: { input: string; ops: GraphOp[] } = { input: this.input, ops: [] };
    for (const op of this.ops) {
      current.ops.push(op);
      if (!cuts.has(op.output)) continue;
      pieces.push(current);
      current = { input: op.output, ops: [] };
    }
    if (current.ops.length > 0) pieces.push(current);
    const blocks: { input: string; ops: GraphOp[] }[] = [];
    let leading: GraphOp[] = [];
    for (const piece of pieces) {
      const weighted = piece.ops.some((op) => op.op === 'Conv' || op.op.startsWith('Gemm') || op.op.startsWith('MatMul'));
      if (weighted) blocks.push({ input: blocks.length === 0 ? this.input : piece.input, ops: [...leading, ...piece.ops] }), (leading = []);
      else if (blocks.length === 0) leading.push(...piece.ops);
      else blocks[blocks.length - 1]!.ops.push(...piece.ops);
    }
    if (leading.length > 0) blocks.push({ input: this.input, ops: leading });
    return blocks.map(({ input, ops }) => {
      // A residual join adds two activations; an Add of a constant is a shift.
      const weighted = ops.find((op) => op.op === 'Conv' || op.op.startsWith('Gemm') || op.op.startsWith('MatMul'));
      const kind = ops.some((op) => op.op === 'Add' && op.inputs.length === 2) ? 'residual' : weighted && weighted.op !== 'Conv' ? 'linear' : 'conv';
      return { kind, firstNode: ops[0]!.node, input, output: ops[ops.length - 1]!.output };
    });
  }

  /** The graph cut at `tensor` (a cut point): the ops up to it, and the ops after it reading it as their input. */
  split(tensor: string): { before: ImportedGraph; after: ImportedGraph } {
    if (!this.cuts().includes(tensor) || tensor === this.input) throw new ShapeError(`${this.name}: "${tensor}" is not a place where the graph can be cut in two; cut points: ${this.cuts().slice(1).join(', ')}`);
    const k = this.ops.findIndex((op) => op.output === tensor);
    return {
      before: new ImportedGraph(`${this.name}[..${tensor}]`, this.input, tensor, this.ops.slice(0, k + 1)),
      after: new ImportedGraph(`${this.name}[${tensor}..]`, tensor, this.output, this.ops.slice(k + 1)),
    };
  }
}
