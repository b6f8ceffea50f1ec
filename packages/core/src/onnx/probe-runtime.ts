import { OnnxGraphBuilder } from './graph-builder.js';
import { onnxTensor } from './onnx-tensor.js';
import type { OnnxExecutionProvider, OnnxRuntime } from './session.js';

export interface RuntimeProbe {
  version: string;
  /** Providers that ran the probe graph and gave the right numbers, in the order asked. */
  executionProviders: OnnxExecutionProvider[];
  /** Why each other provider was left out. */
  failures: Record<string, string>;
}

// y = softmax(relu(x · Wᵀ + b)): small enough to check by hand, and it exercises a matrix
// product, broadcasting, an element-wise op and a reduction on the provider.
const X = Float32Array.of(1, -2, 0.5, 3, 0, 1);
const W = Float32Array.of(0.5, -1, 2, 1, 1, 1, -0.5, 0.25, 0);
const B = Float32Array.of(0.1, -0.2, 0.3);
const ROWS = 2;
const K = 3;
const N = 3;

function probeModel(): Uint8Array {
  const g = new OnnxGraphBuilder('cvf-probe');
  const x = g.input('x', 'float32', ['batch', K]);
  const w = g.initializer('w', W, [N, K]);
  const b = g.initializer('b', B, [N]);
  g.output(g.softmax(g.relu(g.gemm(x, w, b, { transB: true })), -1), 'y', ['batch', N]);
  return g.toBytes();
}

/** The probe's answer computed with plain loops, in float64. */
function expected(): Float64Array {
  const out = new Float64Array(ROWS * N);
  for (let r = 0; r < ROWS; r++) {
    let sum = 0;
    for (let n = 0; n < N; n++) {
      let acc = B[n]!;
      for (let k = 0; k < K; k++) acc += X[r * K + k]! * W[n * K + k]!;
      out[r * N + n] = Math.exp(Math.max(acc, 0));
      sum += out[r * N + n]!;
    }
    for (let n = 0; n < N; n++) out[r * N + n]! /= sum;
  }
  return out;
}

/**
 * Runs a tiny graph on each provider separately and lists those that really ran it correctly:
 * a provider that loads but computes wrong numbers is not "available".
 */
export async function probeRuntime(runtime: OnnxRuntime, providers: readonly OnnxExecutionProvider[]): Promise<RuntimeProbe> {
  const model = probeModel();
  const want = expected();
  const result: RuntimeProbe = { version: runtime.version, executionProviders: [], failures: {} };
  for (const provider of providers) {
    try {
      const session = await runtime.createSession(model, { executionProviders: [provider] });
      try {
        if (session.executionProvider !== provider) throw new Error(`the session ran on ${session.executionProvider}`);
        const { y } = await session.run({ x: onnxTensor('float32', [ROWS, K], X) });
        if (!y || y.type !== 'float32') throw new Error(`output y is ${y ? y.type : 'missing'}`);
        const worst = y.data.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i]!)), 0);
        if (y.data.length !== want.length || !(worst <= 1e-4)) {
          throw new Error(`wrong result [${Array.from(y.data, (v) => v.toFixed(5)).join(', ')}], expected [${Array.from(want, (v) => v.toFixed(5)).join(', ')}]`);
        }
        result.executionProviders.push(provider);
      } finally {
        await session.release();
      }
    } catch (error) {
      result.failures[provider] = error instanceof Error ? error.message : String(error);
    }
  }
  return result;
}
