import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../compute/random.js';
import { createOrtNodeRuntime } from '../../node/ort-node.js';
import { pythonModules, requireInCi, SYSTEM_PYTHON } from '../../node/testing/index.js';
import { initCnnValues } from '../../train/cnn/cnn-parameters.js';
import type { CnnSpec } from '../../train/cnn/cnn-spec.js';
import { CnnSaliencySession, gradCam, integratedGradients, upsampleBilinear } from './cnn-saliency.js';

// Grad-CAM and Integrated Gradients from the saliency graph's exact gradients against PyTorch's
// autograd (float64) on the same weights, on a tiny network with every block kind: a stride-2
// conv, pools that floor an odd size away, residual blocks with a projection and the identity.

const torchMissing = requireInCi('PyTorch (python3-torch)', pythonModules('torch'));
const runtime = await createOrtNodeRuntime();
const spec: CnnSpec = {
  inputChannels: 2,
  height: 13,
  width: 13,
  classes: 3,
  blocks: [
    { kind: 'conv', channels: 4, kernel: 3, stride: 1 },
    { kind: 'maxpool', size: 2 },
    { kind: 'residual', channels: 5, stride: 1 },
    { kind: 'residual', channels: 5, stride: 1 },
    { kind: 'avgpool', size: 2 },
    { kind: 'conv', channels: 6, kernel: 3, stride: 1 },
    { kind: 'residual', channels: 6, stride: 1 },
  ],
  bnMomentum: 0.1,
  bnEpsilon: 1e-5,
};
const rng = new Rng(21);
const values = initCnnValues(spec, 5);
// Non-trivial BN affine parameters and running statistics, and a classifier that tells classes apart.
for (const [name, data] of values) if (name.includes('.bn.') || name.startsWith('fc.')) data.set(rng.floats(data.length, 0.5, 1.5));
values.get('fc.weight')!.set(rng.floats(values.get('fc.weight')!.length, -1, 1));
const image = rng.floats(2 * 13 * 13, -1, 1);
const session = await CnnSaliencySession.create(runtime, spec, values);
afterAll(() => session.release());

// One PyTorch run serves both checks (importing torch is the slow part): class 2, IG over 16 steps from −1 (black, on a −1..1 input).
const CLASS = 2;
const STEPS = 16;
const black = new Float32Array(image.length).fill(-1);
type TorchResult = { logits: number[]; coarse: number[]; cam: number[]; ig: number[] };
let reference: TorchResult | undefined;
const torchResult = () => (reference ??= torchReference(CLASS, STEPS, black));

function torchReference(classIndex: number, steps: number, baseline: Float32Array): TorchResult {
  const request = { spec, values: Object.fromEntries([...values].map(([k, v]) => [k, Array.from(v)])), x: Array.from(image), classIndex, steps, baseline: Array.from(baseline) };
  const script = fileURLToPath(new URL('./cnn-saliency-torch-reference.py', import.meta.url));
  const run = spawnSync(SYSTEM_PYTHON, ['-B', script], { input: JSON.stringify(request), encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, maxBuffer: 64 << 20 });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

/** Largest difference relative to the largest reference value: float32 graph against float64 autograd. */
function expectClose(what: string, got: ArrayLike<number>, want: readonly number[], tolerance: number): void {
  expect(got.length, what).toBe(want.length);
  const largest = Math.max(...want.map(Math.abs), 1e-6);
  const worst = Math.max(...want.map((w, i) => Math.abs(got[i]! - w)));
  expect(worst / largest, `${what}: largest difference ${worst} against values up to ${largest}`).toBeLessThanOrEqual(tolerance);
}

describe('Grad-CAM and Integrated Gradients of a cnn network', () => {
  it.skipIf(torchMissing)("Grad-CAM equals PyTorch's on the same weights: the coarse map and the bilinear upsampling (rel. 1e-4)", async () => {
    const cam = await gradCam(session, image, CLASS);
    const torch = torchResult();
    expect(cam.classIndex).toBe(CLASS);
    expect(cam.baseScore).toBeCloseTo(torch.logits[CLASS]!, 4);
    expect([cam.coarseHeight, cam.coarseWidth]).toEqual([3, 3]);
    expect(Math.max(...cam.coarse)).toBeGreaterThan(0);
    expectClose('coarse map', cam.coarse, torch.coarse, 1e-4);
    expectClose('upsampled map', cam.map, torch.cam, 1e-4);
  });

  it.skipIf(torchMissing)("Integrated Gradients equal PyTorch's on the same weights and path (rel. 1e-4), from a black baseline", async () => {
    const ig = await integratedGradients(session, image, { steps: STEPS, baseline: black, classIndex: CLASS });
    const torch = torchResult();
    expectClose('attributions', ig.attributions, torch.ig, 1e-4);
    const plane = 13 * 13;
    expect(ig.map[40]).toBeCloseTo(ig.attributions[40]! + ig.attributions[plane + 40]!, 6);
  });

  it('Integrated Gradients approach completeness with more steps: Σ attributions → S(x) − S(baseline)', async () => {
    const gap = async (steps: number) => {
      const ig = await integratedGradients(session, image, { steps, classIndex: 1 });
      return Math.abs(ig.attributions.reduce((s, a) => s + a, 0) - (ig.baseScore - ig.baselineScore));
    };
    const coarse = await gap(4);
    const fine = await gap(128);
    expect(fine).toBeLessThan(coarse);
    expect(fine).toBeLessThan(0.02 * Math.abs((await integratedGradients(session, image, { steps: 1, classIndex: 1 })).baseScore) + 1e-3);
  });

  it('explains the top logit by default and refuses a class the network does not have', async () => {
    const { logits } = await session.run(image, 1, 0);
    const top = logits.indexOf(Math.max(...logits));
    expect((await gradCam(session, image)).classIndex).toBe(top);
    await expect(gradCam(session, image, 3)).rejects.toThrow(/classIndex is 3.*0\.\.2/);
  });

  it('upsamples bilinearly with half-pixel centres: a 2×2 ramp to 4×4', () => {
    const out = upsampleBilinear(Float32Array.of(0, 1, 2, 3), 2, 2, 4, 4);
    expect(Array.from(out.slice(0, 4))).toEqual([0, 0.25, 0.75, 1]);
    expect(Array.from(out.slice(12, 16))).toEqual([2, 2.25, 2.75, 3]);
  });
});
