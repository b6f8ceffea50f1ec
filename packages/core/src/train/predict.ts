import type { Device } from '../compute/device.js';
import { softmax } from '../compute/kernels/softmax/softmax.js';
import { Tensor } from '../compute/tensor.js';
import { TrainError } from '../errors.js';
import { headParameters, uploadHead, type Head } from './head.js';
import { headLogits } from './head-forward.js';
import type { Products } from './products.js';

/**
 * Class probabilities [rows, classes] of a head (inference: no dropout) for features
 * [rows, inputDim], computed on the device in chunks of `batchSize` rows and read back.
 */
export async function predictProbabilities(device: Device, head: Head, features: Float32Array, { batchSize = 4096, products }: { batchSize?: number; products?: Products } = {}): Promise<Float32Array> {
  const { inputDim, classes } = head.spec;
  if (features.length % inputDim !== 0) {
    throw new TrainError('TRAIN_INVALID_DATA', `features hold ${features.length} values, not a whole number of rows of ${inputDim} (the head's inputDim)`);
  }
  const rows = features.length / inputDim;
  const out = new Float32Array(rows * classes);
  const resident = uploadHead(device, head);
  try {
    for (let start = 0; start < rows; start += batchSize) {
      const end = Math.min(rows, start + batchSize);
      const x = device.upload(Tensor.cpu('f32', [end - start, inputDim], features.subarray(start * inputDim, end * inputDim)));
      const logits = await headLogits(device, resident, x, products);
      const { out: probabilities } = await device.run(softmax, { x: logits }, {});
      out.set(await device.read(probabilities), start * classes);
      for (const t of [logits, probabilities]) t.dispose();
      if (x.location === 'gpu') x.dispose();
    }
  } finally {
    // Free only the device copies, never the caller's host tensors.
    const original = new Set(headParameters(head));
    for (const t of headParameters(resident)) if (!original.has(t)) t.dispose();
  }
  return out;
}
