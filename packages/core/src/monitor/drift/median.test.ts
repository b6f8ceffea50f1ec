import { describe, expect, it } from 'vitest';
import { Rng } from '../../compute/random.js';
import { middleValuesInPlace } from './median.js';

/** The two middle values by a full sort: what selection must give. */
function bySort(values: Float64Array): [number, number] {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  return [sorted[(n - 1) >> 1]!, sorted[n >> 1]!];
}

describe('middleValuesInPlace', () => {
  const rng = new Rng(3);
  const cases = [
    { name: 'odd count', values: Float64Array.from({ length: 1001 }, () => rng.normal()) },
    { name: 'even count', values: Float64Array.from({ length: 1000 }, () => rng.normal()) },
    { name: 'many ties', values: Float64Array.from({ length: 777 }, () => rng.int(0, 5)) },
    { name: 'sorted descending', values: Float64Array.from({ length: 64 }, (_, i) => 64 - i) },
    { name: 'two values', values: Float64Array.of(2, 1) },
    { name: 'one value', values: Float64Array.of(7) },
  ];
  for (const c of cases) it(c.name, () => expect(middleValuesInPlace(Float64Array.from(c.values))).toEqual(bySort(c.values)));

  it('is NaN for no values', () => expect(middleValuesInPlace(new Float64Array(0))).toEqual([Number.NaN, Number.NaN]));
});
