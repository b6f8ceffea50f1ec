/** One rung of successive halving: how many trials train, and to how many epochs in all. */
export interface HalvingRung {
  readonly epochs: number;
  readonly trials: number;
}

export interface HalvingSchedule {
  readonly minEpochs: number;
  readonly maxEpochs: number;
  readonly eta: number;
}

/**
 * The rungs of a synchronous successive halving (Jamieson & Talwalkar; one bracket of
 * Hyperband): every trial trains `minEpochs`; each next rung keeps ⌊n/η⌋ of the n trials before
 * it (at least one) and trains them η times as many epochs in all, up to `maxEpochs`. Once a
 * single trial is left it goes straight to `maxEpochs`, so the winner always trains the full
 * budget. E.g. 9 trials, 1 to 9 epochs, η 3: 9 × 1, 3 × 3, 1 × 9.
 */
export function halvingRungs(trials: number, { minEpochs, maxEpochs, eta }: HalvingSchedule): HalvingRung[] {
  const rungs: HalvingRung[] = [{ trials, epochs: Math.min(minEpochs, maxEpochs) }];
  while (rungs.at(-1)!.epochs < maxEpochs) {
    const last = rungs.at(-1)!;
    const kept = Math.max(1, Math.floor(last.trials / eta));
    rungs.push({ trials: kept, epochs: kept === 1 ? maxEpochs : Math.min(maxEpochs, last.epochs * eta) });
  }
  return rungs;
}
