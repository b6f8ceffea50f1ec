import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../compute/random.js';
import { createOrtNodeRuntime } from '../../node/ort-node.js';
import { CNN_EXPORT_OUTPUTS, exportCnnToOnnx } from './cnn-export.js';
import { initCnnValues } from './cnn-parameters.js';
import { CnnEvalSession } from './cnn-sessions.js';
import { SMALL_RESNET_BLOCKS, type CnnSpec } from './cnn-spec.js';
import { softmaxRows } from './cnn-trainer.js';

// The exported model (ONNX's BatchNormalization, Conv, pools, Gemm, Softmax with the values as
// initializers) against the training side's own inference graph (BN written out on the running
// statistics, values fed as inputs): the same numbers to 1e-5.

const runtime = await createOrtNodeRuntime();
const evaluators: CnnEvalSession[] = [];
afterAll(() => Promise.all(evaluators.map((e) => e.release())));

const specs: { name: string; spec: CnnSpec }[] = [
  { name: 'the small-ResNet default on 28×28 gray', spec: { inputChannels: 1, height: 28, width: 28, classes: 10, blocks: SMALL_RESNET_BLOCKS, bnMomentum: 0.1, bnEpsilon: 1e-5 } },
  {
    name: 'RGB 13×13 with stride-2 blocks and average pooling',
    spec: { inputChannels: 3, height: 13, width: 13, classes: 4, blocks: [{ kind: 'conv', channels: 8, kernel: 5, stride: 2 }, { kind: 'residual', channels: 8, stride: 1 }, { kind: 'avgpool', size: 2 }, { kind: 'residual', channels: 12, stride: 2 }], bnMomentum: 0.1, bnEpsilon: 1e-5 },
  },
];

describe('exportCnnToOnnx', () => {
  for (const { name, spec } of specs) {
    it(`${name}: ORT's forward of the export equals the training side's eval forward to 1e-5`, async () => {
      const rng = new Rng(4);
      const values = initCnnValues(spec, 9);
      // Trained-looking BN: scales and shifts, running statistics away from 0 and 1.
      for (const [key, data] of values) {
        if (key.endsWith('.bn.var')) data.set(rng.floats(data.length, 0.2, 3));
        else if (key.includes('.bn.')) data.set(rng.floats(data.length, -0.8, 1.2));
      }
      const rows = 5;
      const images = rng.floats(rows * spec.inputChannels * spec.height * spec.width, -2, 2);
      const evaluator = await CnnEvalSession.create(runtime, spec);
      evaluators.push(evaluator);
      const ours = await evaluator.forward(values, images);
      const session = await runtime.createSession(exportCnnToOnnx(spec, values), { executionProviders: ['cpu'] });
      const out = await session.run({ pixels: { type: 'float32', dims: [rows, spec.inputChannels, spec.height, spec.width], data: images } });
      await session.release();
      const close = (got: Float32Array, want: Float32Array) => {
        const scale = Math.max(...Array.from(want, Math.abs), 1);
        expect(Math.max(...Array.from(want, (w, i) => Math.abs(got[i]! - w))) / scale).toBeLessThanOrEqual(1e-5);
      };
      close(out[CNN_EXPORT_OUTPUTS.embedding]!.data as Float32Array, ours.embedding);
      close(out[CNN_EXPORT_OUTPUTS.probabilities]!.data as Float32Array, softmaxRows(ours.logits, spec.classes));
    });
  }

  it('without the classifier it has the embedding alone', async () => {
    const { spec } = specs[1]!;
    const session = await runtime.createSession(exportCnnToOnnx(spec, initCnnValues(spec, 1), { classifier: false }), { executionProviders: ['cpu'] });
    expect(session.outputNames).toEqual([CNN_EXPORT_OUTPUTS.embedding]);
    await session.release();
  });
});
