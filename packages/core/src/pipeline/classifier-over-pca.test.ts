import { describe, expect, it } from 'vitest';
import { CpuDevice } from '../compute/cpu-device.js';
import { Rng } from '../compute/random.js';
import { Tensor } from '../compute/tensor.js';
import { Pca } from '../features/pca/pca.js';
import { headLogits } from '../train/head-forward.js';
import type { Head } from '../train/head.js';
import { classifierOverPca } from './classifier-over-pca.js';

// The CNN's classifier moved after the PCA: on PCA features it gives the logits the classifier
// gave on the embedding, exactly when PCA keeps every dimension (whitened or not).

const device = new CpuDevice();
const rows = 40;
const dim = 6;
const classes = 3;
const rng = new Rng(2);
const embedding = rng.floats(rows * dim, -2, 2);
const classifier: Head = {
  spec: { head: 'softmax', inputDim: dim, classes },
  layers: [{ weight: Tensor.cpu('f32', [dim, classes], rng.floats(dim * classes)), bias: Tensor.cpu('f32', [classes], rng.floats(classes)) }],
};

async function logits(head: Head, features: Float32Array, width: number): Promise<Float32Array> {
  return (await device.read(await headLogits(device, head, Tensor.cpu('f32', [rows, width], features)))) as Float32Array;
}

describe('classifierOverPca', () => {
  for (const whiten of [false, true]) {
    it(`keeps the logits with every component${whiten ? ', whitened' : ''} (1e-4)`, async () => {
      const pca = new Pca({ components: dim, whiten, strategy: 'covariance', seed: 1 }, { device });
      await pca.fit(Tensor.cpu('f32', [rows, dim], embedding));
      const projected = (await device.read(await pca.transform(Tensor.cpu('f32', [rows, dim], embedding)))) as Float32Array;
      const want = await logits(classifier, embedding, dim);
      const got = await logits(classifierOverPca(classifier, pca.state), projected, dim);
      want.forEach((w, i) => expect(Math.abs(got[i]! - w)).toBeLessThan(1e-4));
    });
  }
});
