import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../compute/random.js';
import { createOrtNodeRuntime } from '../../node/ort-node.js';
import { pythonModules, requireInCi, SYSTEM_PYTHON } from '../../node/testing/index.js';
import { cnnLayout, initCnnValues } from './cnn-parameters.js';
import { CnnStepSession } from './cnn-sessions.js';
import type { CnnSpec } from './cnn-spec.js';

// The written-out backward pass against PyTorch's autograd (float64) and against finite
// differences of the same graph's loss, on a tiny network that has every block kind and every size case: a stride-2 conv, pools that floor an odd
// size away (ConvTranspose's output_padding, the avg-pool window's), residual blocks with a
// projection, with the identity, and with a stride-2 projection.

const torchMissing = requireInCi('PyTorch (python3-torch)', pythonModules('torch'));
const runtime = await createOrtNodeRuntime();
const spec: CnnSpec = {
  inputChannels: 2,
  height: 11,
  width: 11,
  classes: 3,
  blocks: [
    { kind: 'conv', channels: 3, kernel: 3, stride: 1 },
    { kind: 'maxpool', size: 2 },
    { kind: 'residual', channels: 4, stride: 1 },
    { kind: 'residual', channels: 4, stride: 1 },
    { kind: 'avgpool', size: 2 },
    { kind: 'conv', channels: 4, kernel: 3, stride: 2 },
    { kind: 'residual', channels: 5, stride: 2 },
  ],
  bnMomentum: 0.1,
  bnEpsilon: 1e-5,
};
const rows = 6;
const rng = new Rng(11);
const batch = {
  x: rng.floats(rows * 2 * 11 * 11, -1, 1),
  labels: Int32Array.of(0, 1, 2, -1, 1, 0),
  rowWeights: Float32Array.of(1, 0.5, 1, 1, 0.25, 1),
};
const classWeights = Float32Array.of(1, 2, 0.5);
const scale = 0.3;
const step = await CnnStepSession.create(runtime, spec, 0.1);
afterAll(() => step.release());

const values = initCnnValues(spec, 7);
// Non-trivial BN affine parameters and running statistics.
for (const [name, data] of values) if (name.includes('.bn.')) data.set(rng.floats(data.length, 0.5, 1.5));

async function loss(at: Map<string, Float32Array>): Promise<number> {
  const { rowLosses } = await step.run(at, batch, classWeights, scale);
  return rowLosses.reduce((a, b) => a + b, 0);
}

describe('CNN training step graph', () => {
  it("every parameter's largest gradient entry equals the central finite difference of the loss (rel. 5e-2: ReLU and max-pool kinks within ε)", async () => {
    const { gradients } = await step.run(values, batch, classWeights, scale);
    // One entry per tensor: a perturbation of one weight moves few ReLU and max-pool decisions
    // across their kinks, where a finite difference stops measuring the derivative.
    const epsilon = 1e-3;
    for (const { name } of cnnLayout(spec).parameters) {
      const gradient = gradients.get(name)!;
      const entry = gradient.reduce((best, g, i) => (Math.abs(g) > Math.abs(gradient[best]!) ? i : best), 0);
      const shifted = (sign: number) => {
        const copy = new Map(values);
        const data = values.get(name)!.slice();
        data[entry]! += sign * epsilon;
        copy.set(name, data);
        return copy;
      };
      const numeric = ((await loss(shifted(1))) - (await loss(shifted(-1)))) / (2 * epsilon);
      const analytic = gradient[entry]!;
      expect(Math.abs(numeric - analytic), `${name}[${entry}]: finite difference ${numeric}, graph ${analytic}`).toBeLessThanOrEqual(5e-2 * Math.abs(numeric) + 2e-4);
    }
  });

  it.skipIf(torchMissing)("equals PyTorch's autograd: every gradient, the running statistics and each row's loss (rel. 1e-5)", async () => {
    const ours = await step.run(values, batch, classWeights, scale);
    const request = { spec, values: Object.fromEntries([...values].map(([k, v]) => [k, Array.from(v)])), x: Array.from(batch.x), labels: Array.from(batch.labels), rowWeights: Array.from(batch.rowWeights), classWeights: Array.from(classWeights), scale, labelSmoothing: 0.1 };
    const script = fileURLToPath(new URL('./cnn-torch-reference.py', import.meta.url));
    const run = spawnSync(SYSTEM_PYTHON, ['-B', script], { input: JSON.stringify(request), encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, maxBuffer: 64 << 20 });
    expect(run.status, run.stderr).toBe(0);
    const torch = JSON.parse(run.stdout) as { grads: Record<string, number[]>; running: Record<string, number[]>; rowLosses: number[] };
    const close = (what: string, got: ArrayLike<number>, want: readonly number[]) => {
      const largest = Math.max(...want.map(Math.abs), 1e-6);
      const worst = Math.max(...want.map((w, i) => Math.abs(got[i]! - w)));
      expect(worst / largest, `${what}: largest difference ${worst} against values up to ${largest}`).toBeLessThanOrEqual(1e-5);
    };
    for (const { name } of cnnLayout(spec).parameters) close(`grad ${name}`, ours.gradients.get(name)!, torch.grads[name]!);
    for (const [name, want] of Object.entries(torch.running)) close(`running ${name}`, ours.running.get(name)!, want);
    close('rowLosses', ours.rowLosses, torch.rowLosses);
  });
});
