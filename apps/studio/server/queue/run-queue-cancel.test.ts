import { requireInCi } from '@cvf/core/testing';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary, TrainLine } from '../../src/api/schemas.js';
import { FASHION, startStudioFixture, tinyPipeline, type StudioFixture } from '../testing/studio-fixture.js';
import { followJob, followRunAndCancel, isStage } from '../testing/train-events.js';

const fashionMissing = requireInCi(`Debian's Fashion-MNIST (dataset-fashion-mnist)`, existsSync(`${FASHION}/t10k-images-idx3-ubyte.gz`) || `no ${FASHION}`);

describe.skipIf(fashionMissing)('studio run queue: order and cancel', () => {
  let fixture: StudioFixture;
  beforeAll(async () => {
    fixture = await startStudioFixture({
      files: { 'long.yaml': tinyPipeline('long', { epochs: 100_000, limit: 200 }) },
    });
  });
  afterAll(() => fixture.close());

  it('one run at a time: a second job waits queued; cancelling it drops it, cancelling the running one ends its run as killed', async () => {
    const first = await fixture.client.enqueue({ config: 'long.yaml' });
    expect(first.state).toBe('running');
    const second = await fixture.client.enqueue({ config: 'long.yaml', overrides: ['train.batchSize=16'] });
    expect(second).toMatchObject({ state: 'queued', startedAt: null, overrides: ['train.batchSize=16'] });

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
