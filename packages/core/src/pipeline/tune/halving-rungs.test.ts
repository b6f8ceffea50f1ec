import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../config/load.js';
import { halvingRungs } from './halving-rungs.js';
import { rankTrials } from './trial-ranking.js';

describe('successive halving rungs', () => {
  it('keeps ⌊n/η⌋ trials per rung at η times the epochs, up to the last rung', () => {
    expect(halvingRungs(9, { minEpochs: 1, maxEpochs: 9, eta: 3 })).toEqual([
      { trials: 9, epochs: 1 },
      { trials: 3, epochs: 3 },
      { trials: 1, epochs: 9 },
    ]);
    expect(halvingRungs(8, { minEpochs: 2, maxEpochs: 20, eta: 2 })).toEqual([
      { trials: 8, epochs: 2 },
      { trials: 4, epochs: 4 },
      { trials: 2, epochs: 8 },
      { trials: 1, epochs: 20 },
    ]);
    // The budget runs out before the trials do: the last rung keeps several, capped at maxEpochs.
    expect(halvingRungs(27, { minEpochs: 2, maxEpochs: 5, eta: 3 })).toEqual([
      { trials: 27, epochs: 2 },
      { trials: 9, epochs: 5 },
    ]);
    // A single survivor goes straight to the full budget; one trial trains the first rung, then the rest.
    expect(halvingRungs(4, { minEpochs: 1, maxEpochs: 30, eta: 3 })).toEqual([
      { trials: 4, epochs: 1 },
      { trials: 1, epochs: 30 },
    ]);
    expect(halvingRungs(1, { minEpochs: 3, maxEpochs: 3, eta: 2 })).toEqual([{ trials: 1, epochs: 3 }]);
  });

  it('ranks trials that can win first, by the metric in its direction, ties by val loss then trial order', () => {
    const tune = (metric: string, extra = '') =>
      parsePipelineConfig(`version: 1\nname: t\ndata:\n  source: { kind: idx, images: a.gz, labels: b.gz }\ntune:\n  metric: ${metric}\n${extra}`, 'p.yaml').tune;
    const trials: { id: string; validation: Record<string, number> }[] = [
      { id: 'a', validation: { accuracy: 0.7, loss: 0.9, sensitivity: 0.95 } },
      { id: 'b', validation: { accuracy: 0.9, loss: 0.4, sensitivity: 0.5 } },
      { id: 'c', validation: { loss: 0.3 } },
      { id: 'd', validation: { accuracy: 0.7, loss: 0.5, sensitivity: 0.99 } },
      { id: 'e', validation: { accuracy: 0.7, loss: 0.5, sensitivity: 0.99 } },
    ];
    expect(rankTrials(tune('accuracy'), trials).map((t) => t.id)).toEqual(['b', 'd', 'e', 'a', 'c']);
    expect(rankTrials(tune('loss'), trials).map((t) => t.id)).toEqual(['c', 'b', 'd', 'e', 'a']);
    expect(rankTrials(tune('accuracy', '  constraints: [{ metric: sensitivity, min: 0.9 }]\n'), trials).map((t) => t.id)).toEqual(['d', 'e', 'a', 'c', 'b']);
  });
});
