// bench/kernels: GFLOP/s of matmul and GB/s of element-wise add, on each backend of the compute
// core, beside ONNX Runtime's MatMul/Add (onnxruntime-node, cpu and webgpu EPs) on the same shapes.
// Usage: npm run bench:kernels [-- --json] [-- --quick]
// On lavapipe (Mesa's CPU Vulkan) the WebGPU figures only prove the path runs; they say nothing
// about GPU speed.
import { add, CpuDevice, matmul, OnnxGraphBuilder, Rng, Tensor, type Device, type KernelDef, type OnnxExecutionProvider, type OnnxRuntime } from '@cvf/core';
import { createNodeDevice, createOrtNodeRuntime } from '@cvf/core/node';
import { machine, printTable, timeIt, writeResults } from '../support/report.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const MATMUL_SHAPES: [number, number, number][] = quick ? [[128, 128, 128], [256, 256, 256]] : [[128, 128, 128], [512, 512, 512], [1024, 1024, 1024], [10000, 784, 64]];
const ADD_SIZES = quick ? [1 << 16] : [1 << 16, 1 << 22];
// The CPU reference is plain loops: it is the oracle, not a fast path; beyond this it takes minutes.
const CPU_REFERENCE_MAX_MACS = 2e9;

interface Row {
  op: string;
  shape: string;
  backend: string;
  ms: number;
  rate: number;
  unit: string;
}

const rng = new Rng(7);
const rows: Row[] = [];

async function timeDevice(device: Device, kernel: KernelDef<string, string, unknown>, inputs: Record<string, Tensor>, attrs: unknown): Promise<number> {
  const resident = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, device.upload(t)]));
  const seconds = await timeIt(async () => {
    const out = await device.run(kernel, resident, attrs);
    await device.synchronize();
    for (const t of Object.values(out)) t.dispose();
  });
  for (const t of Object.values(resident)) if (t.location === 'gpu') t.dispose();
  return seconds;
}

async function timeOrt(runtime: OnnxRuntime, provider: OnnxExecutionProvider, model: Uint8Array, feeds: Record<string, Float32Array>, dims: Record<string, number[]>): Promise<number | string> {
  let session;
  try {
    session = await runtime.createSession(model, { executionProviders: [provider] });
  } catch (error) {
    return (error as Error).message;
  }
  const tensors = Object.fromEntries(Object.entries(feeds).map(([k, data]) => [k, { type: 'float32' as const, dims: dims[k]!, data }]));
  const seconds = await timeIt(async () => {
    await session.run(tensors);
  });
  await session.release();
  return seconds;
}

function matmulModel(m: number, k: number, n: number): Uint8Array {
  const g = new OnnxGraphBuilder('matmul');
  g.output(g.matmul(g.input('a', 'float32', [m, k]), g.input('b', 'float32', [k, n])), 'out');
  return g.toBytes();
}

function addModel(n: number): Uint8Array {
  const g = new OnnxGraphBuilder('add');
  g.output(g.add(g.input('a', 'float32', [n]), g.input('b', 'float32', [n])), 'out');
  return g.toBytes();
}

const cpu = new CpuDevice();
const gpu = await createNodeDevice({ prefer: 'auto' });
const runtime = await createOrtNodeRuntime();
const backends: { name: string; device: Device }[] = [{ name: 'cvf cpu (reference loops)', device: cpu }];
if (gpu.backend === 'webgpu') backends.push({ name: 'cvf webgpu', device: gpu });
const providers: OnnxExecutionProvider[] = ['cpu', 'webgpu'];

for (const [m, k, n] of MATMUL_SHAPES) {
  const shape = `${m}x${k} · ${k}x${n}`;
  const a = rng.floats(m * k);
  const b = rng.floats(k * n);
  const flops = 2 * m * n * k;
  const inputs = { a: Tensor.cpu('f32', [m, k], a), b: Tensor.cpu('f32', [k, n], b) };
  for (const { name, device } of backends) {
    if (device.backend === 'cpu' && m * n * k > CPU_REFERENCE_MAX_MACS) continue;
    const s = await timeDevice(device, matmul as KernelDef<string, string, unknown>, inputs, {});
    rows.push({ op: 'matmul', shape, backend: name, ms: s * 1e3, rate: flops / s / 1e9, unit: 'GFLOP/s' });
  }
  for (const provider of providers) {
    const s = await timeOrt(runtime, provider, matmulModel(m, k, n), { a, b }, { a: [m, k], b: [k, n] });
    if (typeof s === 'string') console.warn(`ORT ${provider} MatMul ${shape}: ${s}`);
    else rows.push({ op: 'matmul', shape, backend: `onnxruntime ${provider}`, ms: s * 1e3, rate: flops / s / 1e9, unit: 'GFLOP/s' });
  }
}

for (const size of ADD_SIZES) {
  const a = rng.floats(size);
  const b = rng.floats(size);
  const bytes = 3 * 4 * size; // two reads and one write of f32
  const inputs = { a: Tensor.cpu('f32', [size], a), b: Tensor.cpu('f32', [size], b) };
  for (const { name, device } of backends) {
    const s = await timeDevice(device, add as KernelDef<string, string, unknown>, inputs, {});
    rows.push({ op: 'add', shape: `${size}`, backend: name, ms: s * 1e3, rate: bytes / s / 1e9, unit: 'GB/s' });
  }
  for (const provider of providers) {
    const s = await timeOrt(runtime, provider, addModel(size), { a, b }, { a: [size], b: [size] });
    if (typeof s === 'string') console.warn(`ORT ${provider} Add ${size}: ${s}`);
    else rows.push({ op: 'add', shape: `${size}`, backend: `onnxruntime ${provider}`, ms: s * 1e3, rate: bytes / s / 1e9, unit: 'GB/s' });
  }
}

const results = {
  benchmark: 'kernels',
  date: new Date().toISOString(),
  machine: machine(),
  webgpuAdapter: gpu.adapter,
  onnxruntime: runtime.version,
  notes: [
    'cvf webgpu: inputs resident on the GPU, time = dispatch + wait for completion.',
    'onnxruntime: session.run with host tensors, so webgpu EP times include upload and download.',
    'On lavapipe/SwiftShader (CPU emulation of a GPU) the webgpu figures prove correctness paths run, not speed.',
  ],
  rows,
};
gpu.destroy();
if (args.has('--json')) console.log(JSON.stringify(results, null, 2));
else {
  console.log(`adapter: ${JSON.stringify(gpu.adapter)}; onnxruntime ${runtime.version}; ${machine().cpu}`);
  printTable(rows.map((r) => ({ op: r.op, shape: r.shape, backend: r.backend, 'ms/call': r.ms, rate: r.rate, unit: r.unit })));
  for (const note of results.notes) console.log(`note: ${note}`);
}
console.log(`wrote ${writeResults('kernels', results)}`);
