import { describe, expect, it } from 'vitest';
import { TrainOutputParser } from './train-output.js';

describe('TrainOutputParser (cvf train --json stdout)', () => {
  it('one-line progress and summary, split anywhere across chunks', () => {
    const text = `${JSON.stringify({ type: 'progress', stage: 'train', done: 1, total: 3, metrics: { loss: 0.5 } })}\n${JSON.stringify({ runId: 'r1', metrics: { test: { accuracy: 0.9 }, val: {} }, bundle: '/b', model: null, seconds: 2 })}\n`;
    for (const cut of [1, 17, text.indexOf('\n'), text.indexOf('\n') + 1, text.length - 1]) {
      const parser = new TrainOutputParser();
      const lines = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut)), ...parser.end()];
      expect(lines, `cut at ${cut}`).toEqual([
        { type: 'progress', stage: 'train', done: 1, total: 3, metrics: { loss: 0.5 } },
        { runId: 'r1', metrics: { test: { accuracy: 0.9 }, val: {} }, bundle: '/b', model: null, seconds: 2 },
      ]);
    }
  });

  it('the indented error report that ends a failed run is one value', () => {
    const parser = new TrainOutputParser();
    const report = JSON.stringify({ error: { code: 'INTERRUPTED', message: 'training interrupted by SIGTERM' } }, null, 2);
    expect(parser.push(`${JSON.stringify({ type: 'progress', stage: 'data', done: 0, total: 1 })}\n${report}\n`)).toEqual([
      { type: 'progress', stage: 'data', done: 0, total: 1 },
      { error: { code: 'INTERRUPTED', message: 'training interrupted by SIGTERM' } },
    ]);
  });

  it('text that is not a training line is skipped, and does not swallow what follows', () => {
    const parser = new TrainOutputParser();
    const progress = (stage: string) => JSON.stringify({ type: 'progress', stage, done: 1, total: 1 });
    const lines = parser.push(`warning: something a library printed\n{ not json\n}\n{"unrelated":true}\n${progress('pca')}\n{\n  "cut": \n${progress('train')}\n`);
    expect(lines).toEqual([
      { type: 'progress', stage: 'pca', done: 1, total: 1 },
      { type: 'progress', stage: 'train', done: 1, total: 1 },
    ]);
  });
});
