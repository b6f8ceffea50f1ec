import { requireInCi } from '@cvf/core/testing';
import { SqliteTrackingStore } from '@cvf/core/node';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, RunSummary, TrainLine } from '../../src/api/schemas.js';
import type { StudioClient } from '../../src/api/client.js';
import { FASHION, startStudioFixture, tinyPipeline, type StudioFixture } from '../testing/studio-fixture.js';

const fashionMissing = requireInCi(`Debian's Fashion-MNIST (dataset-fashion-mnist)`, existsSync(`${FASHION}/t10k-images-idx3-ubyte.gz`) || `no ${FASHION}`);

/** Follows a job over SSE until its end event, collecting every line; `onLine` may act mid-run. */
function followJob(client: StudioClient, jobId: string, onLine: (line: TrainLine) => void = () => {}): Promise<{ lines: TrainLine[]; end: Job }> {
  const lines: TrainLine[] = [];
  return new Promise((resolve, reject) => {
    client.followJob(jobId, {
      onLine: (line) => {
        lines.push(line);
        onLine(line);
      },
      onEnd: (end) => resolve({ lines, end }),
      onError: reject,
    });
  });
}

/** Waits until the queue linked the job to its tracking run, then follows the run's events and cancels the job at its first line. */
async function followRunAndCancel(fixture: StudioFixture, jobId: string): Promise<{ lines: TrainLine[]; end: RunSummary }> {
  let runId: string | null = null;
  while (runId === null) {
    runId = (await fixture.client.queue()).jobs.find((j) => j.id === jobId)!.runId;
    if (runId === null) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const lines: TrainLine[] = [];
  return new Promise((resolve, reject) => {
    fixture.client.followRun(runId, {
      onLine: (line) => {
        if (lines.push(line) === 1) fixture.client.cancelJob(jobId).catch(reject);
      },
      onEnd: (end) => resolve({ lines, end }),
      onError: reject,
    });
  });
}

const isStage = (stage: string) => (line: TrainLine) => 'type' in line && line.type === 'progress' && line.stage === stage;

describe.skipIf(fashionMissing)('studio run queue: real cvf train children', () => {
  let fixture: StudioFixture;
  beforeAll(async () => {
    fixture = await startStudioFixture({
      files: { 'tiny.yaml': tinyPipeline('tiny', { epochs: 2, limit: 200, register: true }), 'long.yaml': tinyPipeline('long', { epochs: 100_000, limit: 200 }) },
    });
  });
  afterAll(() => fixture.close());

  it('runs a queued training to the end, live over SSE; the run, its evaluation and its model are served', async () => {
    const queued = await fixture.client.enqueue({ config: 'tiny.yaml' });
    expect(queued).toMatchObject({ config: 'tiny.yaml', state: expect.stringMatching(/queued|running/), overrides: [] });
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

  it('one run at a time: a second job waits queued; cancelling it drops it, cancelling the running one ends its run as killed', async () => {
    const first = await fixture.client.enqueue({ config: 'long.yaml' });
    const second = await fixture.client.enqueue({ config: 'long.yaml', overrides: ['train.batchSize=16'] });
    expect(second.state).toBe('queued');

    const cancelledSecond = await fixture.client.cancelJob(second.id);
    expect(cancelledSecond).toMatchObject({ state: 'cancelled', startedAt: null });

    // Once head training is under way, follow the run itself (as /runs/:id does) and cancel the job from there.
    let runEvents: Promise<{ lines: TrainLine[]; end: RunSummary }> | null = null;
    const { end } = await followJob(fixture.client, first.id, (line) => {
      if (!runEvents && isStage('train')(line)) runEvents = followRunAndCancel(fixture, first.id);
    });
    expect(runEvents).not.toBeNull();
    const run = await runEvents!;
    expect(run.lines.length).toBeGreaterThan(0);
    expect(run.end).toMatchObject({ id: end.runId, status: 'killed' });
    expect(end).toMatchObject({ state: 'cancelled', runId: expect.any(String) });
    const detail = await fixture.client.getRun(end.runId!);
    expect(detail.run.status).toBe('killed');
    expect(detail.run.failureReason).toMatch(/SIGTERM/);
    expect((await fixture.client.queue()).jobs.find((j) => j.id === second.id)!.state).toBe('cancelled');
  });
});
