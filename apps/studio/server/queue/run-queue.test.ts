import { SqliteTrackingStore } from '@cvf/core/node';
import { requireInCi } from '@cvf/core/testing';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/api/schemas.js';
import { FASHION, startStudioFixture, tinyPipeline, type StudioFixture } from '../testing/studio-fixture.js';
import { followJob, isStage } from '../testing/train-events.js';

const fashionMissing = requireInCi(`Debian's Fashion-MNIST (dataset-fashion-mnist)`, existsSync(`${FASHION}/t10k-images-idx3-ubyte.gz`) || `no ${FASHION}`);

describe.skipIf(fashionMissing)('studio run queue: a real cvf train child to the end', () => {
  let fixture: StudioFixture;
  beforeAll(async () => {
    fixture = await startStudioFixture({
      files: { 'tiny.yaml': tinyPipeline('tiny', { epochs: 2, limit: 200, register: true }) },
    });
  });
  afterAll(() => fixture.close());

  it('runs a queued training to the end, live over SSE; the run, its evaluation and its model are served', async () => {
    const queued = await fixture.client.enqueue({ config: 'tiny.yaml' });
    expect(queued).toMatchObject({ config: 'tiny.yaml', state: 'running', startedAt: expect.any(Number), overrides: [] });
    const { lines, end } = await followJob(fixture.client, queued.id);

    expect(end.state, end.error ?? '').toBe('succeeded');
    expect(end.runId).toMatch(/\S/);
    const trainLines = lines.filter(isStage('train'));
    expect(trainLines.length).toBeGreaterThan(0);
    expect(lines.filter(isStage('bundle')).length).toBeGreaterThan(0);
    expect(lines.at(-1)).toMatchObject({ runId: end.runId, model: { name: 'tiny', version: 1 } });
    expect((await fixture.client.queue()).jobs.map((j) => [j.id, j.state])).toContainEqual([queued.id, 'succeeded']);

    const { runs } = await fixture.client.listRuns();
    const run = runs.find((r) => r.id === end.runId)!;
    expect(run).toMatchObject({ status: 'finished', experiment: 'tiny', model: { name: 'tiny', version: 1 }, tags: { studioJob: queued.id } });
    expect(run.durationMs).toBeGreaterThan(0);
    expect(Object.keys(run.metrics)).toContain('test.accuracy');
    expect((await fixture.client.listRuns({ status: 'failed' })).runs).toEqual([]);
    expect((await fixture.client.listRuns({ q: 'TINY' })).runs.map((r) => r.id)).toEqual([end.runId]);
    expect((await fixture.client.listRuns({ q: 'no such text' })).runs).toEqual([]);

    const detail = await fixture.client.getRun(end.runId!);
    expect(detail.params['train.epochs']).toBe(2);
    expect(detail.configText).toMatch(/train:\n(.*\n)*\s+epochs: 2/);
    expect(detail.parentConfigText).toBeNull();
    expect(detail.history.filter((p) => p.key === 'train.loss').map((p) => p.step)).toEqual([1, 2]);
    expect(detail.evaluation!.test.classes).toHaveLength(10);
    expect(detail.evaluation!.test.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(detail.evaluation!.test.samples);

    // The artifact route serves the stored bytes.
    const store = SqliteTrackingStore.open(fixture.storeDir);
    try {
      const stored = await store.readArtifact(end.runId!, 'evaluation.json');
      const served = new Uint8Array(await (await fetch(fixture.client.artifactUrl(end.runId!, 'evaluation.json'))).arrayBuffer());
      expect(Buffer.from(served).equals(Buffer.from(stored))).toBe(true);
    } finally {
      store.close();
    }

    // An ended run's event stream ends at once with the run.
    const ended = await new Promise<RunSummary>((resolve, reject) => fixture.client.followRun(end.runId!, { onEnd: resolve, onError: reject }));
    expect(ended).toMatchObject({ id: end.runId, status: 'finished' });
  });

});
