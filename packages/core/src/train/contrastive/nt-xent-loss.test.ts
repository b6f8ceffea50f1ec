import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import type { Device } from '../../compute/device.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { gpuForTests, pythonModules, requireInCi, SYSTEM_PYTHON } from '../../node/testing/index.js';
import { ntXentLoss } from './nt-xent-loss.js';

const cpu = new CpuDevice();
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

/** The loss in float64 from its definition: cosine similarities ÷ τ, a softmax over the other rows, −mean log p of the positives, mean over anchors. */
function lossF64(h: Float64Array, labels: Int32Array, dim: number, temperature: number): number {
  const rows = labels.length;
  const z = Float64Array.from(h);
  for (let r = 0; r < rows; r++) {
    const length = Math.hypot(...z.subarray(r * dim, (r + 1) * dim));
    for (let d = 0; d < dim; d++) z[r * dim + d]! /= length;
  }
  const sim = (i: number, k: number) => z.subarray(i * dim, (i + 1) * dim).reduce((s, v, d) => s + v * z[k * dim + d]!, 0) / temperature;
  let total = 0;
  let anchors = 0;
  for (let i = 0; i < rows; i++) {
    const others = [...labels.keys()].filter((k) => k !== i);
    const positives = others.filter((k) => labels[k] === labels[i]);
    if (positives.length === 0) continue;
    anchors++;
    const logSum = Math.log(others.reduce((s, k) => s + Math.exp(sim(i, k)), 0));
    total += positives.reduce((s, p) => s + logSum - sim(i, p), 0) / positives.length;
  }
  return total / anchors;
}

const ROWS = 8;
const DIM = 5;
const LABELINGS = {
  // Two views of four images: rows r and r + 4 are one image's.
  simclr: Int32Array.from({ length: ROWS }, (_, r) => r % 4),
  // Classes: 3, 3 and 2 rows.
  supcon: Int32Array.of(0, 1, 2, 0, 1, 2, 0, 1),
};

async function check(device: Device, labels: Int32Array, temperature: number) {
  const values = new Rng(11).floats(ROWS * DIM, -1, 1);
  const h = device.upload(Tensor.cpu('f32', [ROWS, DIM], values));
  const { loss, gradient } = await ntXentLoss(device, h, labels, temperature);
  const analytic = (await device.read(gradient)) as Float32Array;
  gradient.dispose();
  const h64 = Float64Array.from(values);
  let worst = 0;
  for (let j = 0; j < h64.length; j++) {
    const saved = h64[j]!;
    const step = 1e-6;
    h64[j] = saved + step;
    const up = lossF64(h64, labels, DIM, temperature);
    h64[j] = saved - step;
    const down = lossF64(h64, labels, DIM, temperature);
    h64[j] = saved;
    worst = Math.max(worst, Math.abs(analytic[j]! - (up - down) / (2 * step)));
  }
  return { loss, want: lossF64(h64, labels, DIM, temperature), worst };
}

describe('NT-Xent composed of the l2-normalize-rows, matmul, nt-xent and add kernels', () => {
  for (const [method, labels] of Object.entries(LABELINGS)) {
    for (const temperature of [0.1, 0.5]) {
      // f32 kernels against float64 central differences: gradients are O(1/τ), errors ~1e-6 of that.
      it(`cpu: ${method} at τ ${temperature}: the loss is the definition's, the gradient the central difference's`, async () => {
        const { loss, want, worst } = await check(cpu, labels, temperature);
        expect(loss).toBeCloseTo(want, 5);
        expect(worst).toBeLessThan(1e-4);
      });
      it.skipIf(!gpu.device)(`webgpu: ${method} at τ ${temperature}: the same on the GPU`, async () => {
        const { loss, want, worst } = await check(gpu.device!, labels, temperature);
        expect(loss).toBeCloseTo(want, 5);
        expect(worst).toBeLessThan(1e-4);
      });
    }
  }

  it('refuses a batch in which no row has a positive', async () => {
    const h = Tensor.cpu('f32', [3, 2], new Float32Array(6).fill(1));
    await expect(ntXentLoss(cpu, h, Int32Array.of(0, 1, 2), 0.5)).rejects.toThrow(/none of the 3 rows has a positive/);
  });
});

// SimCLR's usual PyTorch form: the similarity matrix with its diagonal at −inf and cross-entropy
// against each view's partner (F.cross_entropy), differentiated by autograd.
const torch = requireInCi('PyTorch (Debian python3-torch)', pythonModules('torch'));
it.skipIf(torch)('matches SimCLR written with PyTorch 1.13 (F.normalize, F.cross_entropy, autograd)', async () => {
  const values = new Rng(5).floats(ROWS * DIM, -1, 1);
  const temperature = 0.2;
  const script = `
import json, sys, torch
import torch.nn.functional as F
h = torch.tensor(json.loads(sys.argv[1]), dtype=torch.float64).reshape(${ROWS}, ${DIM}).requires_grad_()
z = F.normalize(h, dim=1)
logits = z @ z.T / ${temperature}
logits = logits.masked_fill(torch.eye(${ROWS}, dtype=torch.bool), float('-inf'))
partner = torch.tensor([(r + ${ROWS / 2}) % ${ROWS} for r in range(${ROWS})])
loss = F.cross_entropy(logits, partner)
loss.backward()
print(json.dumps({"loss": loss.item(), "grad": h.grad.flatten().tolist()}))`;
  const run = spawnSync(SYSTEM_PYTHON, ['-B', '-c', script, JSON.stringify([...values])], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const want = JSON.parse(run.stdout) as { loss: number; grad: number[] };
  const { loss, gradient } = await ntXentLoss(cpu, Tensor.cpu('f32', [ROWS, DIM], values), LABELINGS.simclr, temperature);
  const got = gradient.data as Float32Array;
  expect(loss).toBeCloseTo(want.loss, 5);
  want.grad.forEach((g, j) => expect(Math.abs(got[j]! - g), `dh[${j}]`).toBeLessThan(1e-5));
});
