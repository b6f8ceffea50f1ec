import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/api/schemas.js';
import { SOURCE_TRAIN_COMMAND, startStudioFixture, type StudioFixture } from '../testing/studio-fixture.js';

/** Runs `cvf ARGS` from the CLI's sources in `cwd`, as a user in a terminal; answers the exit code and stdout. */
function cvf(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(SOURCE_TRAIN_COMMAND.command, [...SOURCE_TRAIN_COMMAND.args, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

// A DICOM pipeline with relative data paths (cvf data make-demo medical: CT slices, normal vs
// abnormal), trained from a terminal — not through the studio's queue — into the studio's store.
const OVERRIDES = ['train.epochs=3', 'pca.components=8', 'compute.device=cpu'];

describe('studio data API for a DICOM pipeline, and the cases of a run trained from a terminal', () => {
  let fixture: StudioFixture;
  let runId: string;
  beforeAll(async () => {
    fixture = await startStudioFixture();
    const demo = await cvf(['data', 'make-demo', 'medical', join(fixture.configsDir, 'demo'), '--patients', '12', '--slices', '6', '--size', '64', '--json'], fixture.dir);
    expect(demo.code, demo.stderr).toBe(0);
    const train = await cvf(
      ['train', join(fixture.configsDir, 'demo', 'train.yaml'), '--store', fixture.storeDir, ...OVERRIDES.flatMap((o) => ['--set', o]), '--json'],
      fixture.dir,
    );
    expect(train.code, train.stdout.slice(-500)).toBe(0);
    runId = (JSON.parse(train.stdout.trim().split('\n').at(-1)!) as { runId: string }).runId;
  });
  afterAll(() => fixture.close());

  it('counts, thumbnails (windowed CT) and the map of the DICOM dataset', async () => {
    const data = await fixture.client.data('demo/train.yaml');
    expect(data.classes).toEqual(['normal', 'abnormal']);
    expect(data.splits.flatMap((s) => s.counts).reduce((a, b) => a + b, 0)).toBe(72);
    expect(data.samples.length).toBeGreaterThan(0);
    const png = await fetch(`${fixture.base}${data.samples[0]!.thumbnailUrl}`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(data.embedding.length).toBe(data.splits[0]!.counts.reduce((a, b) => a + b, 0));
  });

  it("finds the run's data through its config's folder and lists every test case once", async () => {
    const { evaluation, run } = await fixture.client.getRun(runId);
    expect(run.tags.studioJob).toBeUndefined();
    const matrix = evaluation!.test.confusionMatrix;
    let listed = 0;
    for (let actual = 0; actual < 2; actual++) {
      for (let predicted = 0; predicted < 2; predicted++) {
        const { cases } = await fixture.client.misclassified(runId, actual, predicted);
        expect(cases.length, `cell ${actual},${predicted}`).toBe(matrix[actual]![predicted]);
        listed += cases.length;
      }
    }
    expect(listed).toBe(evaluation!.test.samples);
  });

  it('the same config and overrides run from the studio queue have the terminal run\'s config hash (the job tag is outside the config)', async () => {
    const queued = await fixture.client.enqueue({ config: 'demo/train.yaml', overrides: OVERRIDES });
    const job = await new Promise<Job>((resolve, reject) => fixture.client.followJob(queued.id, { onEnd: resolve, onError: reject }));
    expect(job.state, job.error ?? '').toBe('succeeded');
    const [fromStudio, fromTerminal] = await Promise.all([fixture.client.getRun(job.runId!), fixture.client.getRun(runId)]);
    expect(fromStudio.run.tags.studioJob).toBe(queued.id);
    expect(fromStudio.run.configHash).toBe(fromTerminal.run.configHash);
  });
});
