import { describe, expect, it } from 'vitest';
import { Rng } from '../compute/random.js';
import { imageTensor } from '../image/image-tensor.js';
import type { Sample, SplitName } from './dataset.js';
import { splitSamples, type Splits } from './split-samples.js';

const load = async () => imageTensor('u8', { height: 1, width: 1, channels: 1 });

/** A cohort: patients with 1–12 images each; a patient's images mostly share a label, as a patient's slices do. */
function cohort(patients: number, seed: number): Sample[] {
  const rng = new Rng(seed);
  const samples: Sample[] = [];
  for (let p = 0; p < patients; p++) {
    const main = rng.next() < 0.25 ? 'nodule' : rng.next() < 0.5 ? 'normal' : 'other';
    const images = rng.int(1, 12);
    for (let i = 0; i < images; i++) {
      const label = rng.next() < 0.8 ? main : rng.pick(['nodule', 'normal', 'other']);
      samples.push({ id: `p${p}/img${i}`, label, patientId: `P${p}`, studyUID: `1.2.${p}.${i % 2}`, load });
    }
  }
  return samples;
}

function splitOf(splits: Splits<Sample>): Map<string, SplitName> {
  const map = new Map<string, SplitName>();
  for (const name of ['train', 'val', 'test'] as const) for (const s of splits[name]) map.set(s.id, name);
  return map;
}

describe('splitSamples', () => {
  const fractions = { train: 0.7, val: 0.15, test: 0.15 };

  it('never puts one patient in two splits, and keeps the split and class proportions close to the targets', () => {
    const samples = cohort(400, 1);
    const splits = splitSamples(samples, { ...fractions, seed: 7, groupBy: 'patientId' });
    expect(splits.train.length + splits.val.length + splits.test.length).toBe(samples.length);
    const where = new Map<string, Set<SplitName>>();
    for (const name of ['train', 'val', 'test'] as const) {
      for (const s of splits[name]) where.set(s.patientId!, (where.get(s.patientId!) ?? new Set()).add(name));
    }
    const crossing = [...where].filter(([, set]) => set.size > 1).map(([p]) => p);
    expect(crossing).toEqual([]);
    for (const name of ['train', 'val', 'test'] as const) {
      expect(Math.abs(splits[name].length / samples.length - fractions[name]), `${name} size`).toBeLessThan(0.01);
      for (const label of ['nodule', 'normal', 'other']) {
        const total = samples.filter((s) => s.label === label).length;
        const here = splits[name].filter((s) => s.label === label).length;
        expect(Math.abs(here / total - fractions[name]), `${name} ${label}`).toBeLessThan(0.03);
      }
    }
  });

  it('groups by study when asked', () => {
    const splits = splitSamples(cohort(100, 2), { ...fractions, seed: 1, groupBy: 'studyUID' });
    const where = new Map<string, SplitName>();
    for (const [id, split] of splitOf(splits)) {
      const study = [...splits.train, ...splits.val, ...splits.test].find((s) => s.id === id)!.studyUID!;
      expect(where.get(study) ?? split, study).toBe(split);
      where.set(study, split);
    }
  });

  it('is reproducible for a seed and changes with it; keeps the source order within a split', () => {
    const samples = cohort(200, 3);
    const a = splitOf(splitSamples(samples, { ...fractions, seed: 5, groupBy: 'patientId' }));
    const b = splitOf(splitSamples(samples, { ...fractions, seed: 5, groupBy: 'patientId' }));
    const c = splitOf(splitSamples(samples, { ...fractions, seed: 6, groupBy: 'patientId' }));
    expect([...a]).toEqual([...b]);
    expect([...a].filter(([id, split]) => c.get(id) !== split).length).toBeGreaterThan(samples.length / 10);
    const train = splitSamples(samples, { ...fractions, seed: 5 }).train;
    const order = train.map((s) => samples.indexOf(s));
    expect(order).toEqual([...order].sort((x, y) => x - y));
  });

  it('without groups, stratifies each class to within one sample of its quota', () => {
    const samples: Sample[] = Array.from({ length: 1000 }, (_, i) => ({ id: `s${i}`, label: i % 10 < 3 ? 'a' : 'b', load }));
    const splits = splitSamples(samples, { train: 0.8, val: 0.2, test: 0, seed: 42 });
    expect(splits.test).toEqual([]);
    expect(splits.train.filter((s) => s.label === 'a').length).toBeGreaterThanOrEqual(239);
    expect(splits.train.filter((s) => s.label === 'a').length).toBeLessThanOrEqual(241);
    expect(splits.val.length).toBe(200);
  });

  it('keeps splits fixed by the source, pulls the rest of their patient along, and refuses a patient fixed in two splits', () => {
    const samples: Sample[] = [
      { id: 'a', label: 'x', patientId: 'P1', split: 'test', load },
      { id: 'b', label: 'x', patientId: 'P1', load },
      ...Array.from({ length: 50 }, (_, i) => ({ id: `c${i}`, label: 'x', patientId: `Q${i}`, load })),
    ];
    const where = splitOf(splitSamples(samples, { ...fractions, seed: 1, groupBy: 'patientId' }));
    expect([where.get('a'), where.get('b')]).toEqual(['test', 'test']);
    const conflict = [...samples, { id: 'd', label: 'x', patientId: 'P1', split: 'train' as const, load }];
    expect(() => splitSamples(conflict, { ...fractions, seed: 1, groupBy: 'patientId' })).toThrow(/patientId "P1" is fixed in two splits.*"a" in test, "d" in train/);
    expect(() => splitSamples([{ id: 'e', label: 'x', load }], { ...fractions, seed: 1, groupBy: 'patientId' })).toThrow(/sample "e" has no patientId/);
  });
});
