import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { CpuDevice } from '../../cpu-device.js';
import { maxRelError, runCase } from '../../harness.js';
import { Rng } from '../../random.js';
import { COORDINATE_TRANSFORMS, resizeBilinear, type CoordinateTransform } from './resize-bilinear.js';

// The CPU reference against ONNX Runtime's own Resize (mode=linear), the semantics it promises.
// The one-node model is built here directly so this test does not depend on the ONNX graph builder.
const { onnx } = onnxProto;

function resizeModel(inShape: readonly number[], outShape: readonly number[], mode: CoordinateTransform): Uint8Array {
  const { FLOAT, INT64 } = onnx.TensorProto.DataType;
  const tensorType = (shape: readonly number[]) => ({ tensorType: { elemType: FLOAT, shape: { dim: shape.map((d) => ({ dimValue: d })) } } });
  const text = (name: string, value: string) => ({ name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(value) });
  const sizes = new BigInt64Array(outShape.map((d) => BigInt(d)));
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'resize',
      // Opset 13 Resize: X, roi, scales, sizes; empty names leave roi and scales out.
      node: [{ opType: 'Resize', input: ['X', '', '', 'sizes'], output: ['Y'], attribute: [text('mode', 'linear'), text('coordinate_transformation_mode', mode)] }],
      initializer: [{ name: 'sizes', dataType: INT64, dims: [4], rawData: new Uint8Array(sizes.buffer) }],
      input: [{ name: 'X', type: tensorType(inShape) }],
      output: [{ name: 'Y', type: tensorType(outShape) }],
    },
  }).finish();
}

async function onnxRuntimeResize(x: Float32Array, inShape: readonly number[], outShape: readonly number[], mode: CoordinateTransform): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(resizeModel(inShape, outShape, mode));
  try {
    const { Y } = await session.run({ X: new ort.Tensor('float32', x, [...inShape]) });
    return Y!.data as Float32Array;
  } finally {
    await session.release();
  }
}

const cpu = new CpuDevice();
const SIZES: readonly { name: string; from: number[]; to: number[] }[] = [
  { name: 'upscale', from: [1, 2, 7, 5], to: [1, 2, 11, 3] },
  { name: 'downscale', from: [1, 2, 9, 8], to: [1, 2, 4, 3] },
  // A length-1 output axis is where pytorch_half_pixel and align_corners differ from the rest.
  { name: 'to one row', from: [1, 2, 7, 5], to: [1, 2, 1, 2] },
];

describe('resize-bilinear matches ONNX Runtime Resize (mode=linear)', () => {
  for (const mode of COORDINATE_TRANSFORMS) {
    for (const { name, from, to } of SIZES) {
      it(`${mode}, ${name} [${from.join(', ')}] → [${to.join(', ')}]`, async () => {
        const x = new Rng(7).floats(from.reduce((a, b) => a * b, 1), 0, 255);
        const want = await onnxRuntimeResize(x, from, to, mode);
        const { out } = await runCase(cpu, resizeBilinear, { name, inputs: { x: { shape: from, dtype: 'f32', data: x } }, attrs: { height: to[2]!, width: to[3]!, coordinateTransform: mode } });
        // ORT maps coordinates in f32 (scale = out/in as f32), the reference in float64: ~7e-7 apart.
        expect(maxRelError(out!, want)).toBeLessThanOrEqual(2e-6);
      });
    }
  }
});
