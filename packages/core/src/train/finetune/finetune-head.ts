import type { Device } from '../../compute/device.js';
import { Tensor } from '../../compute/tensor.js';
import type { Head, HeadSpec } from '../head.js';
import { deriveSeed, SEED_PURPOSE } from '../seeds.js';
import { ActivationLayer, DropoutLayer } from '../tape/activation-layer.js';
import type { Layer } from '../tape/layer.js';
import { LinearLayer } from '../tape/linear-layer.js';
import { Sequential } from '../tape/sequential.js';

/** The head trained with the unfrozen blocks: softmax (one linear layer) or an MLP. */
export type FinetuneHeadSpec = Pick<HeadSpec, 'head'> & { hidden?: readonly number[]; activation?: 'relu' | 'gelu'; dropout?: number };

/** The head as tape layers: one linear layer (softmax), or hidden linear → activation → dropout layers then the output layer (mlp). */
export function finetuneHeadLayers(dim: number, classes: number, spec: FinetuneHeadSpec, seed: number): Sequential {
  const widths = [dim, ...(spec.head === 'mlp' ? (spec.hidden ?? []) : []), classes];
  const layers: Layer[] = [];
  for (let k = 0; k + 1 < widths.length; k++) {
    layers.push(new LinearLayer(`head.${k}`, widths[k]!, widths[k + 1]!, deriveSeed(seed, SEED_PURPOSE.init, k)));
    if (k + 2 < widths.length) layers.push(new ActivationLayer(`head.${k}.activation`, spec.activation ?? 'relu'), new DropoutLayer(`head.${k}.dropout`, spec.dropout ?? 0));
  }
  return new Sequential('head', layers);
}

/** The trained head layers as a host `Head` over the backbone's embedding of `dim` values. */
export async function hostHead(device: Device, head: Sequential, dim: number, classes: number, spec: FinetuneHeadSpec): Promise<Head> {
  const linear = head.layers.filter((l): l is LinearLayer => l instanceof LinearLayer);
  const host = async (t: Tensor) => Tensor.cpu('f32', t.shape, Float32Array.from((await device.read(t)) as Float32Array));
  const layers = await Promise.all(linear.map(async (l) => ({ weight: await host(l.weight.value), bias: await host(l.bias.value) })));
  const headSpec: HeadSpec =
    spec.head === 'mlp'
      ? { head: 'mlp', inputDim: dim, classes, hidden: spec.hidden ?? [], activation: spec.activation ?? 'relu', dropout: spec.dropout ?? 0 }
      : { head: 'softmax', inputDim: dim, classes };
  return { spec: headSpec, layers };
}
