// bench/retrieval/gpu.ts: flat and int8 flat search on WebGPU (searchBatchOn: one fused pass per
// tile of 8 queries — distance, top-k and merge; on a hardware GPU with few queries the base is
// split into slices merged by a second, small pass — then the CPU's exact rescoring of each
// query's pool) beside the same index's CPU scan on one thread, in the same run, on the same data:
// clustered unit vectors (seeded), inner product, k = 10.
// Reported: queries/s each side, the GPU's achieved index GB/s (index bytes / seconds per batch:
// the index read once per batch) and streamed GB/s (each tile of 8 queries reads the whole
// index: tiles × index bytes / seconds), whether the GPU's ids equal the CPU's, and the adapter.
// On a software adapter (lavapipe, SwiftShader) the figures are proof that it runs, not speed.
// Every timing is the fastest of --repeat passes (default 3).
// Usage: npm run bench:retrieval-gpu -- [--quick] [--n ROWS] [--queries M] [--dim D] [--repeat N]
import { createIndex, isSoftwareAdapter, type FlatIndexBase, type Device, type IndexKind } from '@cvf/core';
import { createNodeDevice } from '@cvf/core/node';
import { machine, printTable, writeResults } from '../support/report.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} ${process.argv[at + 1]} must be an integer ≥ 1`);
  return value;
}

const quick = process.argv.includes('--quick');
const N = option('--n', quick ? 5000 : 50000);
const QUERIES = option('--queries', quick ? 64 : 256);
const DIM = option('--dim', 64);
const REPEAT = option('--repeat', 3);
const K = 10;
const QUERY_TILE = 8; // queries per workgroup of the fused kernels

/** Seeded clustered unit vectors (mulberry32 + Box–Muller): 64 centres, spread 0.3. */
function clusteredUnitVectors(seed: number, rows: number, dim: number): Float32Array {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  let centreState = 12345;
  const centres = Array.from({ length: 64 }, () => Float32Array.from({ length: dim }, () => {
    centreState = (Math.imul(centreState, 1103515245) + 12345) >>> 0;
    return centreState / 4294967296 - 0.5;
  }));
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const centre = centres[Math.floor(uniform() * centres.length)]!;
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      const v = centre[j]! + 0.3 * normal();
      out[r * dim + j] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < dim; j++) out[r * dim + j]! /= norm;
  }
  return out;
}

async function fastest(fn: () => Promise<unknown> | unknown): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < REPEAT; r++) {
    const start = performance.now();
    await fn();
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return best;
}

interface Row {
  kind: string;
  indexBytes: number;
  cpuQps: number;
  gpuQps: number;
  gpuVsCpu: number;
  indexGBps: number;
  streamedGBps: number;
  sameIds: string;
}

async function measure(device: Device, label: string, kind: IndexKind, extra: Record<string, unknown>, base: Float32Array, queries: Float32Array): Promise<Row> {
  const index = (await createIndex({ kind, dim: DIM, metric: 'dot', ...extra } as never)) as FlatIndexBase;
  index.addBatch(Int32Array.from({ length: N }, (_, i) => i), base);
  const cpu = index.searchBatch(queries, { k: K });
  const gpu = await index.searchBatchOn(device, queries, { k: K }); // uploads the resident copy, compiles
  const same = gpu.filter((hits, q) => hits.map((h) => h.id).join() === cpu[q]!.map((h) => h.id).join()).length;
  const cpuSeconds = await fastest(() => index.searchBatch(queries, { k: K }));
  const gpuSeconds = await fastest(() => index.searchBatchOn(device, queries, { k: K }));
  index.releaseDevice();
  // What the GPU scan reads: f32 rows, or u8 codes (rows padded to words of 4) plus the f32 bias.
  const indexBytes = kind === 'flat-int8' ? N * Math.ceil(DIM / 4) * 4 + N * 4 : N * DIM * 4;
  const tiles = Math.ceil(QUERIES / QUERY_TILE);
  return {
    kind: label,
    indexBytes,
    cpuQps: QUERIES / cpuSeconds,
    gpuQps: QUERIES / gpuSeconds,
    gpuVsCpu: cpuSeconds / gpuSeconds,
    indexGBps: indexBytes / gpuSeconds / 1e9,
    streamedGBps: (tiles * indexBytes) / gpuSeconds / 1e9,
    sameIds: `${same}/${QUERIES}`,
  };
}

const device = await createNodeDevice({ prefer: 'webgpu' });
const adapter = device.adapter;
if (device.backend !== 'webgpu' || !adapter) throw new Error('bench:retrieval-gpu needs a WebGPU adapter');
const adapterName = [adapter.vendor, adapter.architecture, adapter.device, adapter.description].filter(Boolean).join(' / ') || 'unnamed adapter';
const software = isSoftwareAdapter(adapter);
console.log(`adapter: ${adapterName}${software ? ' — a software adapter: the GPU figures below are proof that it runs, not speed' : ''}`);
console.log(`data: ${N} base + ${QUERIES} query vectors, ${DIM} dimensions, clustered unit vectors; k = ${K}, inner product`);

const base = clusteredUnitVectors(1, N, DIM);
const queries = clusteredUnitVectors(2, QUERIES, DIM);
const rows: Row[] = [];
rows.push(await measure(device, 'flat (f32)', 'flat', {}, base, queries));
rows.push(await measure(device, 'flat-int8 (rescore exact)', 'flat-int8', {}, base, queries));
rows.push(await measure(device, 'flat-int8 (rescoring none)', 'flat-int8', { rescoring: 'none' }, base, queries));
device.destroy();

printTable(rows.map((r) => ({ ...r, indexBytes: `${(r.indexBytes / 2 ** 20).toFixed(1)} MiB` })));
if (software) console.log('(software adapter: proof that it runs, not speed)');
const file = writeResults('retrieval-gpu', { machine: machine(), adapter: { ...adapter, name: adapterName, software, note: software ? 'proof that it runs, not speed' : undefined }, n: N, queries: QUERIES, dim: DIM, k: K, repeat: REPEAT, rows });
console.log(`results: ${file}`);
