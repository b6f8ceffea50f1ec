import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import type { Device } from '../../compute/device.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { createOrtNodeRuntime } from '../../node/ort-node.js';
import { gpuForTests } from '../../node/testing/index.js';
import { exportCnnToOnnx } from '../../train/cnn/cnn-export.js';
import { initCnnValues } from '../../train/cnn/cnn-parameters.js';
import type { CnnSpec } from '../../train/cnn/cnn-spec.js';
import { importOnnxModel } from '../../train/import/onnx-import.js';
import { LinearLayer } from '../../train/tape/linear-layer.js';
import { CnnSaliencySession, gradCam, integratedGradients } from './cnn-saliency.js';
import { TapeSaliencyNetwork } from './cnn-saliency-tape.js';

// The tape's Grad-CAM and IG over an imported cnn export against the saliency graph's (which
// cnn-saliency.test.ts checks against PyTorch) on the same weights: same coarse map, same input gradients.

const spec: CnnSpec = {
  inputChannels: 2,
  height: 11,
  width: 11,
  classes: 3,
  blocks: [
    { kind: 'conv', channels: 4, kernel: 3, stride: 1 },
    { kind: 'maxpool', size: 2 },
    { kind: 'residual', channels: 5, stride: 1 },
    { kind: 'conv', channels: 5, kernel: 3, stride: 2 },
    { kind: 'residual', channels: 5, stride: 1 },
  ],
  bnMomentum: 0.1,
  bnEpsilon: 1e-5,
};
const rng = new Rng(31);
const values = initCnnValues(spec, 2);
for (const [name, data] of values) if (name.includes('.bn.') || name.startsWith('fc.')) data.set(rng.floats(data.length, 0.5, 1.5));
values.get('fc.weight')!.set(rng.floats(values.get('fc.weight')!.length, -1, 1));
const image = rng.floats(2 * 11 * 11, -1, 1);

const runtime = await createOrtNodeRuntime();
const graphSession = await CnnSaliencySession.create(runtime, spec, values);
afterAll(() => graphSession.release());
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

/** The imported export and its classifier on `device` (each network its own layers: a forward pass moves their values onto its Device). */
function tapeNetwork(device: Device): TapeSaliencyNetwork {
  const classifier = new LinearLayer('fc', 5, 3);
  classifier.weight.value = Tensor.cpu('f32', [5, 3], values.get('fc.weight')!.slice());
  classifier.bias.value = Tensor.cpu('f32', [3], values.get('fc.bias')!.slice());
  return new TapeSaliencyNetwork(device, importOnnxModel(exportCnnToOnnx(spec, values, { classifier: false })).graph, classifier, [2, 11, 11], 3);
}
const tape = tapeNetwork(new CpuDevice());

function expectClose(what: string, got: Float32Array, want: Float32Array, tolerance = 1e-4): void {
  const largest = Math.max(...want.map(Math.abs));
  const worst = Math.max(...want.map((w, i) => Math.abs(got[i]! - w)));
  expect(worst / largest, what).toBeLessThan(tolerance);
}

describe('Grad-CAM and IG on the tape of an imported network', () => {
  it('Grad-CAM equals the saliency graph on the same weights, for every class', async () => {
    let largest = 0;
    for (let c = 0; c < 3; c++) {
      const [want, got] = [await gradCam(graphSession, image, c), await gradCam(tape, image, c)];
      expect(got.baseScore).toBeCloseTo(want.baseScore, 4);
      expect([got.coarseHeight, got.coarseWidth]).toEqual([want.coarseHeight, want.coarseWidth]);
      largest = Math.max(largest, ...want.coarse);
      if (Math.max(...want.coarse) === 0) expect(Math.max(...got.coarse)).toBe(0);
      else {
        expectClose(`class ${c}: coarse map`, got.coarse, want.coarse);
        expectClose(`class ${c}: map`, got.map, want.map);
      }
    }
    expect(largest).toBeGreaterThan(0);
  });

  it('Integrated Gradients equal the saliency graph on the same path', async () => {
    const [want, got] = [await integratedGradients(graphSession, image, { steps: 6 }), await integratedGradients(tape, image, { steps: 6 })];
    expect(got.classIndex).toBe(want.classIndex);
    expectClose('attributions', got.attributions, want.attributions);
    expect(got.baselineScore).toBeCloseTo(want.baselineScore, 4);
  });

  // f32 kernels on the GPU: sums in another order than the CPU references (the conv kernels' 1.3e-5 per layer, through the network and back).
  it.skipIf(!gpu.device)('webgpu: the same Grad-CAM and input gradients on the GPU (rel. 1e-3)', async () => {
    const onGpu = tapeNetwork(gpu.device!);
    const [want, got] = [await gradCam(graphSession, image, 2), await gradCam(onGpu, image, 2)];
    expectClose('coarse map', got.coarse, want.coarse, 1e-3);
    const [wantIg, gotIg] = [await integratedGradients(graphSession, image, { steps: 4, classIndex: 2 }), await integratedGradients(onGpu, image, { steps: 4, classIndex: 2 })];
    expectClose('attributions', gotIg.attributions, wantIg.attributions, 1e-3);
  });
});
