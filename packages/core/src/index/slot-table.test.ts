import { describe, expect, it } from 'vitest';
import { IndexError } from '../errors.js';
import { SlotTable } from './slot-table.js';
import type { VectorMetric } from './types.js';

const DIM = 3;
/** Slot s holds the vector [s, 1, -s] in a row-major array, read by copy like a flat kind. */
const rows = Float32Array.from({ length: 16 * DIM }, (_, i) => [Math.floor(i / DIM), 1, -Math.floor(i / DIM)][i % DIM]!);
const read = (slot: number, out: Float32Array): Float32Array => {
  out.set(rows.subarray(slot * DIM, (slot + 1) * DIM));
  return out;
};

/** Ids 10, 11, … in slots 0, 1, … with metadata { site, label: slot }. */
function filled(metric: VectorMetric, n: number): SlotTable {
  const table = new SlotTable(DIM, metric);
  table.reserve(n);
  const ids = Array.from({ length: n }, (_, s) => 10 + s);
  const metadata = ids.map((_, s) => ({ site: s % 2 ? 'odd' : 'even', label: s }));
  expect(table.checkAdd(ids, new Float32Array(n * DIM), metadata)).toBe(n);
  ids.forEach((id, s) => table.assign(s, id, metadata[s]));
  return table;
}

describe('SlotTable', () => {
  it('flat deletes move the last slot into the hole: ids, slots, metadata and filters follow', () => {
    const table = filled('dot', 5);
    // Delete id 11 (slot 1): slot 4 (id 14) moves into slot 1.
    expect(table.release(11)).toBe(1);
    table.move(4, 1);
    expect(table.size).toBe(4);
    expect(table.has(11)).toBe(false);
    expect(table.find(14)).toBe(1);
    expect(table.idAt(1)).toBe(14);
    expect(table.ids(4)).toEqual(Int32Array.of(10, 14, 12, 13));
    expect(table.getMetadata(14)).toEqual({ site: 'even', label: 4 });
    expect(table.metadata.get(4)).toBeUndefined();
    const even = table.filter({ site: 'even' });
    expect([0, 1, 2, 3].map((s) => even.test(s))).toEqual([true, true, true, false]);
    const isEven = table.matcher({ site: 'even' });
    expect([10, 11, 12, 13, 14, 99].map(isEven)).toEqual([true, false, true, false, true, false]);
    expect(() => table.slot(11)).toThrow(IndexError);
    expect(table.release(11)).toBeUndefined();
    // The freed id can come back in a new slot.
    table.assign(4, 11, { site: 'new', label: 40 });
    expect(table.ids(5)).toEqual(Int32Array.of(10, 14, 12, 13, 11));
    expect(table.matcher({ label: { gte: 40 } })(11)).toBe(true);
  });

  it('tombstones keep their id unmapped; ids() skips them, a re-added id takes its new slot', () => {
    const table = filled('dot', 4);
    table.release(11);
    table.release(13);
    expect(table.ids(4)).toEqual(Int32Array.of(10, 12));
    expect(table.idAt(1)).toBe(11);
    table.reserve(5);
    table.assign(4, 11, undefined);
    expect(table.ids(5)).toEqual(Int32Array.of(10, 12, 11));
    expect(table.getMetadata(11)).toBeUndefined();
    expect(table.snapshot(5).ids).toEqual(Int32Array.of(10, 11, 12, 13, 11));
  });

  it('refuses repeated, invalid or present ids and bad metadata before anything changes', () => {
    const table = filled('dot', 2);
    const vectors = new Float32Array(2 * DIM);
    expect(() => table.checkAdd([20, 20], vectors, undefined)).toThrow(/already in the index/);
    expect(() => table.checkAdd([10, 21], vectors, undefined)).toThrow(/id 10 is already/);
    expect(() => table.checkAdd([-1, 21], vectors, undefined)).toThrow(/must be an integer/);
    expect(() => table.checkAdd([20], vectors, undefined)).toThrow(/1 ids for 2 vectors/);
    expect(() => table.checkAdd([20, 21], vectors, [{ label: 'x' }, undefined])).toThrow(/holds numbers/);
    expect(() => table.checkUpdate(99, [1, 2, 3], undefined)).toThrow(/id 99 is not in the index/);
    expect(() => table.checkUpdate(10, [1, 2], undefined)).toThrow(/dim 3/);
    expect(table.size).toBe(2);
  });

  it('rescores exactly in float64 and sorts by the metric; unknown ids score NaN', () => {
    const dot = filled('dot', 6);
    const q = Float32Array.of(0.5, 2, 0.25);
    // dot(q, [s, 1, −s]) = 2 + 0.25·s.
    expect(dot.rescore(q, [1, 5, -1, 3], read)).toEqual([
      { id: 15, score: 3.25 },
      { id: 13, score: 2.75 },
      { id: 11, score: 2.25 },
    ]);
    expect(Array.from(dot.score([0.5, 2, 0.25], [12, 77], read))).toEqual([2.5, NaN]);
    const l2 = filled('l2', 6);
    // ‖q − [s, 1, −s]‖² with q = [2, 1, −2]: 2·(s − 2)².
    expect(l2.rescore(Float32Array.of(2, 1, -2), [0, 2, 5, 3], read)).toEqual([
      { id: 12, score: 0 },
      { id: 13, score: 2 },
      { id: 10, score: 8 },
      { id: 15, score: 18 },
    ]);
    // Cosine scores against the unit query.
    const cosine = filled('cosine', 3);
    expect(cosine.score([0, 3, 0], [10, 12], read)[1]).toBeCloseTo(1, 12);
  });

  it('restores persisted ids and metadata; tombstones stay unmapped; a repeated live id is refused', () => {
    const source = filled('dot', 4);
    source.release(12);
    const { ids, metadata } = source.snapshot(4);
    const copy = new SlotTable(DIM, 'dot');
    copy.restore(ids, metadata, (id) => new IndexError('INDEX_CORRUPT', `bad ${id}`), (slot) => slot !== 2);
    expect(copy.ids(4)).toEqual(Int32Array.of(10, 11, 13));
    expect(copy.getMetadata(13)).toEqual({ site: 'odd', label: 3 });
    expect(copy.has(12)).toBe(false);
    const twice = new SlotTable(DIM, 'dot');
    expect(() => twice.restore(Int32Array.of(10, 10), { fields: [], columns: [] }, (id) => new IndexError('INDEX_CORRUPT', `bad ${id}`))).toThrow(/bad 10/);
  });
});
