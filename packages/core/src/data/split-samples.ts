import { Rng } from '../compute/random.js';
import { DatasetError } from '../errors.js';
import { SPLIT_NAMES, type Sample, type SplitName } from './dataset.js';

export interface SplitOptions {
  readonly train: number;
  readonly val: number;
  readonly test: number;
  readonly seed: number;
  /** Keep every sample of one patient (or study) in one split; default: each sample on its own. */
  readonly groupBy?: 'patientId' | 'studyUID' | undefined;
}

export type Splits<T> = Record<SplitName, T[]>;

/** Fisher–Yates with the seeded generator: the same seed gives the same order everywhere. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** At most `limit` items, a random subset drawn from the seed, kept in their original order. */
export function seededSubset<T>(items: readonly T[], limit: number | undefined, seed: number): readonly T[] {
  if (limit === undefined || limit >= items.length) return items;
  const keep = shuffleInPlace(items.map((_, i) => i), new Rng(seed)).slice(0, limit).sort((a, b) => a - b);
  return keep.map((i) => items[i]!);
}

interface Group {
  readonly key: string;
  readonly members: number[]; // sample indices
}

/**
 * Splits samples into train/val/test, reproducibly for a seed, stratified by label and group-aware:
 * with `groupBy`, all samples of one patient (or study) land in the same split, so no patient is
 * both trained on and tested on.
 *
 * Samples whose source fixed a split (`sample.split`) keep it, and pull the other samples of their
 * group into it; a group fixed into two splits is an error. The other groups are visited in a
 * seeded random order, largest first, and each goes to the split (of non-zero fraction) that
 * brings the per-class and total counts closest to their targets (fraction × total): a greedy
 * stratified group split. Within a split, samples keep the source order.
 */
export function splitSamples<T extends Sample>(samples: readonly T[], options: SplitOptions): Splits<T> {
  const { groupBy } = options;
  const fractions: Record<SplitName, number> = { train: options.train, val: options.val, test: options.test };
  const keyOf = (sample: T, index: number): string => {
    if (groupBy === undefined) return `#${index}`;
    const key = sample[groupBy];
    if (key === undefined) throw new DatasetError('DATASET_MALFORMED', `splits.groupBy is ${groupBy}, but sample "${sample.id}" has no ${groupBy}`);
    return key;
  };

  const groups = new Map<string, Group>();
  const fixed = new Map<string, { split: SplitName; id: string }>();
  samples.forEach((sample, index) => {
    const key = keyOf(sample, index);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, members: [] }));
    group.members.push(index);
    if (sample.split === undefined) return;
    const earlier = fixed.get(key);
    if (earlier && earlier.split !== sample.split) {
      throw new DatasetError(
        'DATASET_MALFORMED',
        `${groupBy} "${key}" is fixed in two splits by the source: "${earlier.id}" in ${earlier.split}, "${sample.id}" in ${sample.split}; one ${groupBy} must stay in one split`,
      );
    }
    fixed.set(key, { split: sample.split, id: sample.id });
  });

  const labels = [...new Set(samples.map((s) => s.label))];
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const classTotals = new Array<number>(labels.length).fill(0);
  for (const sample of samples) classTotals[labelIndex.get(sample.label)!]!++;
  const total = samples.length;
  const counts = Object.fromEntries(SPLIT_NAMES.map((s) => [s, { size: 0, perClass: new Array<number>(labels.length).fill(0) }])) as Record<
    SplitName,
    { size: number; perClass: number[] }
  >;
  const assignment = new Array<SplitName>(total);
  const assign = (group: Group, split: SplitName) => {
    for (const index of group.members) {
      assignment[index] = split;
      counts[split].size++;
      counts[split].perClass[labelIndex.get(samples[index]!.label)!]!++;
    }
  };

  const free: Group[] = [];
  for (const group of groups.values()) {
    const pinned = fixed.get(group.key);
    if (pinned) assign(group, pinned.split);
    else free.push(group);
  }
  // Random order for the seed, then largest groups first: big patients are hardest to place.
  shuffleInPlace(free, new Rng(options.seed));
  free.sort((a, b) => b.members.length - a.members.length);

  const open = SPLIT_NAMES.filter((s) => fractions[s] > 0);
  if (open.length === 0) throw new DatasetError('DATASET_MALFORMED', 'every split fraction is 0');
  for (const group of free) {
    const perClass = new Map<number, number>();
    for (const index of group.members) {
      const c = labelIndex.get(samples[index]!.label)!;
      perClass.set(c, (perClass.get(c) ?? 0) + 1);
    }
    const m = group.members.length;
    let best = open[0]!;
    let bestCost = Infinity;
    for (const split of open) {
      // Change of Σ ((count − target) / total)² over this split's classes and size, were the group added.
      const f = fractions[split];
      const sizeTarget = f * total;
      const size = counts[split].size;
      let cost = ((size + m - sizeTarget) ** 2 - (size - sizeTarget) ** 2) / total ** 2;
      for (const [c, g] of perClass) {
        const target = f * classTotals[c]!;
        const have = counts[split].perClass[c]!;
        cost += ((have + g - target) ** 2 - (have - target) ** 2) / classTotals[c]! ** 2;
      }
      if (cost < bestCost) {
        best = split;
        bestCost = cost;
      }
    }
    assign(group, best);
  }

  const out: Splits<T> = { train: [], val: [], test: [] };
  samples.forEach((sample, index) => out[assignment[index]!].push(sample));
  return out;
}
