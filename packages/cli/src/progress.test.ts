import { expect, it } from 'vitest';
import { formatDuration, formatProgress } from './progress.js';

it('draws stage, count, bar, percentage, ETA and metrics', () => {
  const line = formatProgress({ stage: 'epoch 3/30', done: 211, total: 422, etaSeconds: 95, metrics: { loss: 0.41234, accuracy: 0.88 } }, 120);
  expect(line).toMatch(/^epoch 3\/30 211\/422 \[#+-+\]  50%  ETA 1m35s  loss 0\.4123  accuracy 0\.8800$/);
  const bar = /\[(#+)(-+)\]/.exec(line)!;
  expect(bar[1]!.length).toBe(bar[2]!.length);
});

it('drops the ETA once done and formats long durations', () => {
  expect(formatProgress({ stage: 'hog', done: 5, total: 5, etaSeconds: 3 }, 80)).not.toMatch(/ETA/);
  expect([formatDuration(0.4), formatDuration(59.6), formatDuration(3725)]).toEqual(['0s', '1m00s', '1h02m']);
});

it('ends with the message of the event, when it has one', () => {
  expect(formatProgress({ stage: 'pseudo-label', done: 1, total: 2, message: 'round 1: 812 of 5000 unlabelled images labelled' }, 120)).toMatch(/^pseudo-label 1\/2 \[#+-+\]  50%  round 1: 812 of 5000 unlabelled images labelled$/);
});
