import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../api/schemas.js';
import { keyMetrics, visibleRuns } from './runs-store.js';

const run = (id: string, startedAt: number, extra: Partial<RunSummary> = {}): RunSummary => ({
  id,
  name: id,
  experiment: 'exp',
  status: 'finished',
  startedAt,
  endedAt: startedAt + 10,
  durationMs: 10,
  model: null,
  metrics: {},
  tags: {},
  parentId: null,
  configHash: null,
  failureReason: null,
  ...extra,
});

describe('visibleRuns', () => {
  const runs = [run('search', 1, { tags: { kind: 'tune' } }), run('trial-a', 2, { parentId: 'search' }), run('trial-b', 3, { parentId: 'search' }), run('solo', 4, { status: 'failed' })];
  const newest = { key: 'startedAt' as const, descending: true };

  it('sorts, and places each child under its parent with its depth', () => {
    expect(visibleRuns(runs, '', '', newest).map((r) => `${r.run.id}:${r.depth}`)).toEqual(['solo:0', 'search:0', 'trial-b:1', 'trial-a:1']);
  });

  it('filters by text (tags too) and status; a child whose parent is filtered out stands alone', () => {
    expect(visibleRuns(runs, 'kind=tune', '', newest).map((r) => r.run.id)).toEqual(['search']);
    expect(visibleRuns(runs, '', 'failed', newest).map((r) => r.run.id)).toEqual(['solo']);
    expect(visibleRuns(runs, 'trial-a', '', newest)).toEqual([{ run: runs[1], depth: 0 }]);
  });

  it('sorts by a metric, runs without it last when descending', () => {
    const scored = [run('a', 1, { metrics: { 'test.accuracy': 0.5 } }), run('b', 2), run('c', 3, { metrics: { 'test.accuracy': 0.9 } })];
    expect(visibleRuns(scored, '', '', { key: 'metric:test.accuracy', descending: true }).map((r) => r.run.id)).toEqual(['c', 'a', 'b']);
  });
});

describe('keyMetrics', () => {
  it('prefers test scores, then fills with the other keys', () => {
    expect(keyMetrics([run('a', 1, { metrics: { 'val.loss': 1, 'test.f1': 0.5, 'test.accuracy': 0.6, lr: 0.1 } })])).toEqual(['test.accuracy', 'test.f1', 'lr']);
  });
});
