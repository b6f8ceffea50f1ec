import { describe, expect, it } from 'vitest';
import { Rng } from '../../compute/random.js';
import { KERNEL_BACKENDS, wasmSimdSupported } from '../../compute/wasm/backend.js';
import { LinearMemory } from '../../compute/wasm/linear-memory.js';
import { PANEL, QUERY_BLOCK } from './flat-scan-kernels.js';
import { createReferenceKernels, decodeF16Bits } from './reference-kernels.js';
import { boundStages, instantiateSearchKernels, searchKernelModule, type SearchKernelExports } from './search-kernels.js';

/** Records every insert call and answers with a running "best 3 per query" threshold. */
function recorder() {
  const calls: string[] = [];
  const best = new Map<number, number[]>();
  let scores: Float32Array = new Float32Array(0);
  return {
    calls,
    bind(view: () => Float32Array) {
      scores = new Float32Array(0);
      return (query: number, panel: number): number => {
        scores = view();
        const lanes = Array.from(scores.subarray(0, PANEL));
        calls.push(`${query}:${panel}:${lanes.join(',')}`);
        const kept = [...(best.get(query) ?? []), ...lanes.filter((v) => v > -Infinity)].sort((a, b) => b - a).slice(0, 3);
        best.set(query, kept);
        return kept.length < 3 ? -Infinity : kept[2]!;
      };
    },
  };
}

/** Runs one scenario on both kernel sets over identical memory, returning their insert logs; `graphBlock` as in searchKernelModule. */
async function both(dim: number, fill: (memory: LinearMemory, rng: Rng) => void, run: (k: SearchKernelExports, memory: LinearMemory) => void, graphBlock = 0): Promise<[string[], string[], LinearMemory, LinearMemory]> {
  const logs: string[][] = [];
  const memories: LinearMemory[] = [];
  for (const backend of KERNEL_BACKENDS) {
    const memory = new LinearMemory(backend);
    memory.declare('panels', 'codes', 'halves', 'decoded', 'rows', 'bias', 'tails0', 'tails1', 'queries', 'queryTails', 'thresholds', 'scales', 'ids', 'out', 'scratch');
    memory.resize('scratch', 64);
    fill(memory, new Rng(7));
    const r = recorder();
    const insert = r.bind(() => memory.f32('scratch', PANEL));
    const kernels = backend === 'wasm-simd' ? await instantiateSearchKernels(dim, memory.wasm!, insert, undefined, false, graphBlock) : createReferenceKernels(dim, () => memory.buffer, insert);
    run(kernels, memory);
    logs.push(r.calls);
    memories.push(memory);
  }
  return [logs[0]!, logs[1]!, memories[0]!, memories[1]!];
}

const DIMS = [1, 3, 8, 17, 64, 300];

describe.skipIf(!wasmSimdSupported())('WebAssembly SIMD search kernels against the TypeScript reference', () => {
  it('the generated modules validate for every dimension shape (unrolled and looped)', () => {
    for (const dim of DIMS) expect(WebAssembly.validate(searchKernelModule(dim) as Uint8Array<ArrayBuffer>), `dim ${dim}`).toBe(true);
  });

  for (const dim of DIMS) {
    it(`f32 panel scans (single, blocked, bounded) make the same insert calls with the same scores, dim ${dim}`, async () => {
      const panels = 13;
      const m = QUERY_BLOCK + 1;
      const fill = (memory: LinearMemory, rng: Rng): void => {
        memory.resize('panels', panels * PANEL * dim * 4);
        memory.resize('bias', panels * PANEL * 4);
        memory.resize('tails0', panels * PANEL * 4);
        memory.resize('tails1', panels * PANEL * 4);
        memory.resize('queries', m * dim * 4);
        memory.resize('queryTails', m * 2 * 4);
        memory.resize('thresholds', m * 4);
        memory.f32('panels').set(rng.floats(panels * PANEL * dim));
        const bias = memory.f32('bias');
        for (let i = 0; i < bias.length; i++) bias[i] = i % 11 === 5 ? -Infinity : rng.uniform(-1, 0);
        memory.f32('tails0').fill(1e6); // loose bounds: every panel is finished
        memory.f32('tails1').fill(1e6);
        memory.f32('queries').set(rng.floats(m * dim));
        memory.f32('queryTails').fill(1);
      };
      const [wasm, reference] = await both(dim, fill, (k, memory) => {
        for (const bounded of [false, true]) {
          memory.f32('thresholds').fill(-Infinity);
          const args = (q: number) => [memory.ptr('panels'), panels, 0, memory.ptr('queries') + q * dim * 4, q, memory.ptr('bias'), memory.ptr('thresholds') + q * 4, memory.ptr('scratch')] as const;
          if (bounded) {
            const stages = boundStages(dim).length;
            const tails = [memory.ptr('tails0'), memory.ptr('tails1')].slice(0, stages);
            k.scan_f32_qb_bounded(...args(0), ...tails, memory.ptr('queryTails'));
            k.scan_f32_q1_bounded(...args(QUERY_BLOCK), ...tails, memory.ptr('queryTails') + QUERY_BLOCK * stages * 4);
          } else {
            k.scan_f32_qb(...args(0));
            k.scan_f32_q1(...args(QUERY_BLOCK));
          }
        }
      });
      expect(wasm.length).toBeGreaterThan(m);
      expect(wasm).toEqual(reference);
    });
  }

  it('the bounded scan skips panels whose bound cannot beat the threshold, and only those', async () => {
    const dim = 64;
    const prefix = boundStages(dim)[0]!;
    const panels = 40;
    // Vectors with energy only in the first stage's prefix: the tail bounds are 0, so the bound is
    // exact and a panel is finished only when its exact score beats the threshold.
    const fill = (memory: LinearMemory, rng: Rng): void => {
      memory.resize('panels', panels * PANEL * dim * 4);
      memory.resize('bias', panels * PANEL * 4);
      memory.resize('tails0', panels * PANEL * 4);
      memory.resize('tails1', panels * PANEL * 4);
      memory.resize('queries', dim * 4);
      memory.resize('queryTails', 2 * 4);
      memory.resize('thresholds', 4);
      const p = memory.f32('panels');
      for (let i = 0; i < panels * PANEL; i++) for (let j = 0; j < prefix; j++) p[Math.floor(i / PANEL) * dim * PANEL + j * PANEL + (i % PANEL)] = rng.uniform(-1, 1);
      memory.f32('queries').set(rng.floats(dim));
      memory.f32('queryTails').fill(0);
      memory.f32('thresholds').fill(-Infinity);
    };
    const [wasm, reference] = await both(dim, fill, (k, memory) =>
      k.scan_f32_q1_bounded(memory.ptr('panels'), panels, 0, memory.ptr('queries'), 0, memory.ptr('bias'), memory.ptr('thresholds'), memory.ptr('scratch'), memory.ptr('tails0'), memory.ptr('tails1'), memory.ptr('queryTails')),
    );
    expect(wasm).toEqual(reference);
  });

  for (const dim of [1, 5, 64, 301]) {
    it(`int8 scans (single and blocked) match the reference exactly, dim ${dim}`, async () => {
      const panels = 9;
      const pairs = Math.ceil(dim / 2);
      const m = QUERY_BLOCK + 2;
      const fill = (memory: LinearMemory, rng: Rng): void => {
        memory.resize('codes', panels * pairs * 16);
        memory.resize('bias', panels * PANEL * 4);
        memory.resize('queries', m * pairs * 4);
        memory.resize('scales', m * 4);
        memory.resize('thresholds', m * 4);
        memory.u8('codes').set(Uint8Array.from({ length: panels * pairs * 16 }, () => rng.int(0, 255)));
        memory.f32('bias').set(rng.floats(panels * PANEL));
        memory.i16('queries').set(Int16Array.from({ length: m * pairs * 2 }, () => rng.int(-32767, 32767)));
        memory.f32('scales').set(rng.floats(m, 1e-6, 1e-4));
        memory.f32('thresholds').fill(-Infinity);
      };
      const [wasm, reference] = await both(dim, fill, (k, memory) => {
        const args = (q: number) => [memory.ptr('codes'), panels, 0, memory.ptr('queries') + q * pairs * 4, q, memory.ptr('bias'), memory.ptr('thresholds') + q * 4, memory.ptr('scratch'), memory.ptr('scales') + q * 4] as const;
        k.scan_i8_qb(...args(0));
        k.scan_i8_q1(...args(QUERY_BLOCK));
        k.scan_i8_q1(...args(QUERY_BLOCK + 1));
      });
      expect(wasm.length).toBeGreaterThan(m);
      expect(wasm).toEqual(reference);
    });
  }

  it('f16 decoding matches the reference for every normal, zero and subnormal half', async () => {
    const halves = Uint16Array.from({ length: 65536 }, (_, h) => ((h & 0x7c00) === 0x7c00 ? h & 0x83ff : h)); // no inf/NaN
    let outputs: Uint32Array[] = [];
    await both(8, (memory) => {
      memory.resize('halves', halves.byteLength);
      memory.resize('decoded', halves.length * 4);
      memory.u16('halves').set(halves);
    }, (k, memory) => {
      k.decode_f16(memory.ptr('halves'), memory.ptr('decoded'), halves.length / PANEL);
      outputs.push(new Uint32Array(memory.buffer, memory.ptr('decoded'), halves.length).slice());
    });
    expect(outputs[0]).toEqual(outputs[1]);
    // Spot checks against IEEE values: 1.0, −2.0, 65504, smallest normal, a subnormal read as 0.
    const asFloat = (h: number) => new Float32Array(Uint32Array.of(decodeF16Bits(h)).buffer)[0];
    expect([asFloat(0x3c00), asFloat(0xc000), asFloat(0x7bff), asFloat(0x0400), asFloat(0x0001)]).toEqual([1, -2, 65504, 2 ** -14, 0]);
    outputs = [];
  });

  for (const dim of [1, 4, 6, 64, 299]) {
    it(`gather_keys gives the reference's keys bit for bit, dim ${dim}`, async () => {
      const stride = Math.ceil(dim / 4) * 16;
      const rows = 50;
      const count = 37;
      const keys: Float32Array[] = [];
      await both(dim, (memory, rng) => {
        memory.resize('rows', rows * stride);
        memory.resize('bias', rows * 4);
        memory.resize('queries', stride);
        memory.resize('ids', count * 4);
        memory.resize('out', count * 4);
        const r = memory.f32('rows');
        for (let i = 0; i < rows; i++) r.set(rng.floats(dim), (i * stride) / 4);
        memory.f32('bias').set(rng.floats(rows));
        memory.f32('queries').set(rng.floats(dim));
        memory.i32('ids').set(Int32Array.from({ length: count }, () => rng.int(0, rows - 1)));
      }, (k, memory) => {
        k.gather_keys(memory.ptr('rows'), stride, memory.ptr('queries'), memory.ptr('ids'), count, memory.ptr('bias'), memory.ptr('out'));
        keys.push(memory.f32('out', count).slice());
      });
      expect(Array.from(keys[0]!)).toEqual(Array.from(keys[1]!));
      // …and both are the dot product plus bias to f32 accuracy.
      expect(keys[0]!.every(Number.isFinite)).toBe(true);
    });
  }

  it('search_layer0 (touching whole node blocks ahead) and search_upper give the reference\'s results pair for pair, with each accept rule', async () => {
    const dim = 20;
    const n = 400;
    const links = 8;
    const rowBytes = Math.ceil(dim / 4) * 16;
    const stride = 48 + rowBytes; // count + 8 links, padded to 16, then the row
    const upperLevels = 2;
    const linkBlock = 5; // count + 4 links per upper level
    const outputs: string[][] = [];
    await both(dim, (memory, rng) => {
      memory.resize('rows', n * stride); // node blocks
      memory.resize('bias', n * 4);
      memory.resize('queries', rowBytes);
      memory.resize('ids', n * 4 + 64); // visit marks (u16) and a little room
      memory.resize('tails0', n); // flags
      memory.resize('codes', (n + 1) * 8); // candidate heap
      memory.resize('halves', (64 + 1) * 8); // result heap
      memory.resize('panels', links * 8); // neighbour scratch: ids, keys
      memory.resize('out', n * 4); // upper offsets
      memory.resize('decoded', n * upperLevels * linkBlock * 4); // upper pool
      const blocks = memory.i32('rows');
      const floats = memory.f32('rows');
      for (let node = 0; node < n; node++) {
        blocks[(node * stride) / 4] = rng.int(1, links);
        for (let i = 0; i < links; i++) blocks[(node * stride) / 4 + 1 + i] = rng.int(0, n - 1);
        floats.set(rng.floats(dim), (node * stride + 48) / 4);
      }
      memory.f32('bias').set(rng.floats(n));
      // search_layer0 reads each row's bias from its copy in the 4 bytes before the row (HnswLayout.writeRow).
      memory.f32('bias').forEach((bias, node) => (floats[(node * stride + 48) / 4 - 1] = bias));
      memory.f32('queries').set(rng.floats(dim));
      memory.u8('tails0').set(Uint8Array.from({ length: n }, () => rng.int(0, 1)));
      const offsets = memory.i32('out');
      const pool = memory.i32('decoded');
      for (let node = 0; node < n; node++) {
        offsets[node] = node * upperLevels * linkBlock;
        for (let level = 0; level < upperLevels; level++) {
          const at = node * upperLevels * linkBlock + level * linkBlock;
          pool[at] = rng.int(0, 4);
          for (let i = 0; i < 4; i++) pool[at + 1 + i] = rng.int(0, n - 1);
        }
      }
    }, (k, memory) => {
      const log: string[] = [];
      let epoch = 0;
      for (const [want, ef] of [[-1, 16], [0, 24], [1, 7]] as const) {
        const rows = memory.ptr('rows');
        const count = k.search_layer0(memory.ptr('queries'), 3, 0.5, ef, ++epoch, rows + 4, rows, stride, memory.ptr('ids'), rows + 48, memory.ptr('bias'), memory.ptr('tails0'), want, memory.ptr('codes'), memory.ptr('halves'), memory.ptr('panels'), memory.ptr('panels') + links * 4);
        log.push(`${want}:${count}:${Array.from(new Uint32Array(memory.buffer, memory.ptr('halves'), count * 2)).join(',')}`);
      }
      const node = k.search_upper(memory.ptr('queries'), 5, -10, upperLevels, 1, memory.ptr('out'), memory.ptr('decoded'), linkBlock, memory.ptr('rows') + 48, stride, memory.ptr('bias'), memory.ptr('scratch'));
      log.push(`upper:${node}:${memory.f32('scratch', 1)[0]}`);
      outputs.push(log);
    }, stride);
    expect(outputs[0]).toEqual(outputs[1]);
    expect(outputs[0]![0]).toMatch(/^-1:16:/);
  });
});
