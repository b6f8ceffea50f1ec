import { hash32 } from '../compute/kernels/dropout/dropout-mask.js';

/**
 * Independent 32-bit seeds derived from the run's seed and a position (purpose, epoch, step,
 * layer). Every random stream of a run is one of these, so the run's whole random state is its
 * seed plus how far it got: a checkpoint needs no generator state to resume exactly.
 */
export function deriveSeed(seed: number, ...parts: readonly number[]): number {
  let h = hash32(seed >>> 0);
  for (const part of parts) h = hash32((h ^ hash32(part >>> 0)) + 0x9e3779b9);
  return h >>> 0;
}

/** What each derived seed is for (the first part). */
export const SEED_PURPOSE = { init: 1, shuffle: 2, dropout: 3, augment: 4 } as const;
