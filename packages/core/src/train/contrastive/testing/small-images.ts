import type { Device } from '../../../compute/device.js';
import { Tensor } from '../../../compute/tensor.js';
import type { CnnImages } from '../../cnn/cnn-batches.js';
import type { CnnValues } from '../../cnn/cnn-parameters.js';
import type { CnnSpec } from '../../cnn/cnn-spec.js';
import { CnnTapeNetwork } from '../../cnn/cnn-webgpu-network.js';
import { forwardContext } from '../../tape/layer.js';

/**
 * Test data of the contrastive and FixMatch tests: rows [from, from + count) of 28×28 gray 8-bit
 * images (Fashion-MNIST's IDX bytes), each 2×2-averaged to 14×14 (a quarter of the work of the
 * full size) and normalised with Fashion-MNIST's mean and std, keeping only `classes` (relabelled
 * 0, 1, ... in that order).
 */
export function smallImages(pixels: Uint8Array, labels: Uint8Array, from: number, count: number, classes: readonly number[]): CnnImages {
  const kept = [...Array(count).keys()].map((k) => from + k).filter((r) => classes.includes(labels[r]!));
  const images = new Float32Array(kept.length * 196);
  kept.forEach((r, i) => {
    for (let y = 0; y < 14; y++) {
      for (let x = 0; x < 14; x++) {
        let sum = 0;
        for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) sum += pixels[r * 784 + (2 * y + dy) * 28 + 2 * x + dx]!;
        images[i * 196 + y * 14 + x] = (sum / (4 * 255) - 0.286) / 0.353;
      }
    }
  });
  return { images, labels: Int32Array.from(kept, (r) => classes.indexOf(labels[r]!)) };
}

/**
 * Cosine kNN accuracy of `queries` against `reference` embeddings (k neighbours, majority vote,
 * ties to the nearest), after standardising each dimension with the reference's mean and std (the
 * usual probe of an embedding: pooled ReLU features share a large common mean).
 */
export function knnAccuracy(reference: Float32Array, referenceLabels: Int32Array, queries: Float32Array, queryLabels: Int32Array, dim: number, k: number): number {
  const rows = referenceLabels.length;
  const mean = new Float64Array(dim);
  const variance = new Float64Array(dim);
  for (let r = 0; r < rows; r++) for (let d = 0; d < dim; d++) mean[d]! += reference[r * dim + d]! / rows;
  for (let r = 0; r < rows; r++) for (let d = 0; d < dim; d++) variance[d]! += (reference[r * dim + d]! - mean[d]!) ** 2 / rows;
  const unit = (v: Float32Array) => {
    const out = Float32Array.from(v, (x, j) => (x - mean[j % dim]!) / Math.sqrt(variance[j % dim]! + 1e-12));
    for (let r = 0; r < out.length / dim; r++) {
      const row = out.subarray(r * dim, (r + 1) * dim);
      const length = Math.hypot(...row) || 1;
      row.forEach((x, d) => (row[d] = x / length));
    }
    return out;
  };
  const ref = unit(reference);
  const q = unit(queries);
  let correct = 0;
  for (let i = 0; i < queryLabels.length; i++) {
    const scores = Array.from(referenceLabels, (_, j) => {
      let s = 0;
      for (let d = 0; d < dim; d++) s += q[i * dim + d]! * ref[j * dim + d]!;
      return { s, label: referenceLabels[j]! };
    }).sort((a, b) => b.s - a.s);
    const votes = new Map<number, number>();
    for (const { label } of scores.slice(0, k)) votes.set(label, (votes.get(label) ?? 0) + 1);
    const top = Math.max(...votes.values());
    const winner = scores.slice(0, k).find(({ label }) => votes.get(label) === top)!.label;
    if (winner === queryLabels[i]) correct++;
  }
  return correct / queryLabels.length;
}

/** The network's inference embeddings [rows, D] and logits [rows, classes] of images (BN on running statistics). */
export async function inferCnn(device: Device, spec: CnnSpec, values: CnnValues, images: Float32Array): Promise<{ embedding: Float32Array; logits: Float32Array }> {
  const network = new CnnTapeNetwork(spec);
  network.load(device, values);
  const x = device.upload(Tensor.cpu('f32', [images.length / (spec.inputChannels * spec.height * spec.width), spec.inputChannels, spec.height, spec.width], images));
  const { embedding, logits } = await network.forward(forwardContext(device, { training: false }), x);
  const out = { embedding: ((await device.read(embedding)) as Float32Array).slice(), logits: ((await device.read(logits)) as Float32Array).slice() };
  for (const t of [embedding, logits, x]) t.dispose();
  return out;
}
