import { requireInCi } from '@cvf/core/testing';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/client.js';
import type { Job } from '../../src/api/schemas.js';
import { FASHION, startStudioFixture, tinyPipeline, type StudioFixture } from '../testing/studio-fixture.js';

const fashionMissing = requireInCi(`Debian's Fashion-MNIST (dataset-fashion-mnist)`, existsSync(`${FASHION}/t10k-images-idx3-ubyte.gz`) || `no ${FASHION}`);

/** Width and height from a PNG's IHDR, after checking the signature. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe.skipIf(fashionMissing)('studio data page API and misclassified cases over real data', () => {
  let fixture: StudioFixture;
  /** The map before any model exists (of the preprocessed pixels). */
  let pixelMap: { id: string; x: number }[] = [];
  beforeAll(async () => {
    fixture = await startStudioFixture({ files: { 'tiny.yaml': tinyPipeline('tiny', { epochs: 3, limit: 300, register: true }) } });
  });
  afterAll(() => fixture.close());

  const fetchPng = async (path: string) => {
    const response = await fetch(`${fixture.base}${path}`);
    expect(response.status, path).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    return new Uint8Array(await response.arrayBuffer());
  };

  it('class counts per split, sample thumbnails and the embedding map of a pipeline', async () => {
    const data = await fixture.client.data('tiny.yaml');
    expect(data.classes).toHaveLength(10);
    const total = data.splits.flatMap((s) => s.counts).reduce((a, b) => a + b, 0);
    expect(total).toBe(300);
    expect(data.splits.map((s) => s.split)).toEqual(['train', 'val', 'test']);
    expect(data.splits.every((s) => s.counts.length === 10)).toBe(true);

    const train = data.splits[0]!.counts.reduce((a, b) => a + b, 0);
    expect(data.embedding).toHaveLength(Math.min(400, train));
    expect(data.embedding.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && data.classes.includes(p.label))).toBe(true);
    // A real projection spreads the points: not all on one spot.
    expect(new Set(data.embedding.map((p) => p.x.toFixed(3))).size).toBeGreaterThan(10);
    // No model of the pipeline yet: the map is of the preprocessed pixels.
    expect(data.embeddingOf).toEqual({ kind: 'pixels' });
    pixelMap = data.embedding;

    const perLabel = new Map<string, number>();
    for (const sample of data.samples) perLabel.set(sample.label, (perLabel.get(sample.label) ?? 0) + 1);
    expect(Math.max(...perLabel.values())).toBeLessThanOrEqual(8);
    expect(pngSize(await fetchPng(data.samples[0]!.thumbnailUrl))).toEqual({ width: 28, height: 28 });
    // Embedding points open their image too, each of them (not only those among the samples).
    const last = data.embedding.at(-1)!;
    expect(data.samples.some((s) => s.id === last.id)).toBe(false);
    expect(pngSize(await fetchPng(last.thumbnailUrl))).toEqual({ width: 28, height: 28 });
  });

  it('unknown samples and paths out of the configs folder are refused', async () => {
    const missing = await fetch(fixture.client.thumbnailUrl('tiny.yaml', 'no-such-sample'));
    expect(missing.status).toBe(404);
    const outside = await fixture.client.data('../tiny.yaml').catch((error: unknown) => error as ApiError);
    expect(outside).toMatchObject({ status: 400, code: 'CONFIG_PATH_INVALID' });
  });

  it("a confusion-matrix cell's cases are the run's test images predicted into it", async () => {
    const queued = await fixture.client.enqueue({ config: 'tiny.yaml' });
    const job = await new Promise<Job>((resolve, reject) => fixture.client.followJob(queued.id, { onEnd: resolve, onError: reject }));
    expect(job.state, job.error ?? '').toBe('succeeded');
    const { evaluation } = await fixture.client.getRun(job.runId!);
    const matrix = evaluation!.test.confusionMatrix;
    let listed = 0;
    for (let actual = 0; actual < matrix.length; actual++) {
      for (let predicted = 0; predicted < matrix.length; predicted++) {
        const { cases } = await fixture.client.misclassified(job.runId!, actual, predicted);
        expect(cases.length, `cell ${actual},${predicted}`).toBe(matrix[actual]![predicted]);
        for (const c of cases) expect([c.label, c.predicted]).toEqual([evaluation!.test.classes[actual], evaluation!.test.classes[predicted]]);
        listed += cases.length;
      }
    }
    expect(listed).toBe(evaluation!.test.samples);
    const offDiagonal = matrix.flatMap((row, a) => row.map((n, p) => ({ a, p, n }))).find((cell) => cell.a !== cell.p && cell.n > 0)!;
    const { cases } = await fixture.client.misclassified(job.runId!, offDiagonal.a, offDiagonal.p);
    expect(pngSize(await fetchPng(cases[0]!.thumbnailUrl))).toEqual({ width: 28, height: 28 });
    const bad = await fixture.client.misclassified(job.runId!, 10, 0).catch((error: unknown) => error as ApiError);
    expect(bad).toMatchObject({ status: 400, code: 'REQUEST_INVALID' });

    // Once the pipeline has a registered model, the map is of that model's features, for the same samples.
    const mapped = await fixture.client.data('tiny.yaml');
    expect(mapped.embeddingOf).toEqual({ kind: 'model', name: 'tiny', version: 1 });
    expect(mapped.embedding.map((p) => p.id)).toEqual(pixelMap.map((p) => p.id));
    expect(mapped.embedding.map((p) => p.x)).not.toEqual(pixelMap.map((p) => p.x));
    expect(new Set(mapped.embedding.map((p) => p.x.toFixed(3))).size).toBeGreaterThan(10);
  });
});
