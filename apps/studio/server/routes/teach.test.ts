import { CpuDevice, httpSource, loadBundle, requireStage, STAGE_KINDS, stageFiles } from '@cvf/core';
import { requireInCi } from '@cvf/core/testing';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/api/schemas.js';
import { teachUrl, type TeachRequest } from '../../src/pages/viewer/teach-schema.js';
import { taughtStages, teachHead, toBase64 } from '../../src/pages/viewer/teach-training.js';
import { FASHION, startStudioFixture, tinyPipeline, type StudioFixture } from '../testing/studio-fixture.js';

// POST /api/models/:name/teach over a real registry: a head taught on embeddings (as the viewer
// sends it) becomes a new version with the base version's extractor; bad requests change nothing.
const fashionMissing = requireInCi(`Debian's Fashion-MNIST (dataset-fashion-mnist)`, existsSync(`${FASHION}/t10k-images-idx3-ubyte.gz`) || `no ${FASHION}`);

describe.skipIf(fashionMissing)('teaching a new version from the viewer', () => {
  let fixture: StudioFixture;
  let request: TeachRequest;

  beforeAll(async () => {
    fixture = await startStudioFixture({ files: { 'tiny.yaml': tinyPipeline('tiny', { epochs: 1, limit: 200, register: true }) } });
    const queued = await fixture.client.enqueue({ config: 'tiny.yaml' });
    const job = await new Promise<Job>((resolve, reject) => fixture.client.followJob(queued.id, { onEnd: resolve, onError: reject }));
    expect(job.state, job.error ?? '').toBe('succeeded');
    const base = await loadBundle(httpSource(fixture.client.bundleUrl('tiny', 1)));
    const indexStage = requireStage(base.manifest, 'index');
    const { index } = await STAGE_KINDS.index.load(indexStage, stageFiles(base, indexStage));
    // Two separable groups of embeddings of the base's dimension, as the page would compute them.
    const examples = Array.from({ length: 8 }, (_, i) => ({ label: i % 2 ? 'lesion' : 'clear', features: Float32Array.from({ length: index.dim }, (_, d) => (d === 0 ? (i % 2 ? 5 : -5) : ((i * 7 + d) % 5) / 100)) }));
    const taught = await teachHead(new CpuDevice(), examples);
    const stages = await taughtStages(taught, examples, 'cosine', 5);
    const files: Record<string, string> = {};
    for (const saved of [stages.head, stages.index]) for (const [path, bytes] of saved.files) files[path] = toBase64(bytes);
    request = {
      baseVersion: 1,
      classes: [...taught.classes],
      stages: { head: { ...stages.head.stage }, index: { ...stages.index.stage } },
      files,
      metrics: { examples: 8, heldOut: taught.heldOut, heldOutAccuracy: taught.heldOutAccuracy, perClassAccuracy: { ...taught.perClassAccuracy } },
    };
  }, 240_000);
  afterAll(() => fixture.close());

  const post = (body: unknown) => fetch(`${fixture.base}${teachUrl('tiny')}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: fixture.base }, body: JSON.stringify(body) });
  const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;

  it('refuses files no taught stage names, and a stage that would overwrite the base extractor', async () => {
    const extra = await post({ ...request, files: { ...request.files, 'extractor.bin': 'AAAA' } });
    expect(extra.status).toBe(400);
    expect(await errorOf(extra)).toMatchObject({ code: 'REQUEST_INVALID', message: expect.stringContaining('extractor.bin') });
    const { 'head.onnx': graph, ...others } = request.files;
    const clash = await post({ ...request, files: { ...others, 'extractor.bin': graph }, stages: { ...request.stages, head: { ...request.stages.head, files: { graph: 'extractor.bin', state: 'head.bin' } } } });
    expect(clash.status).toBe(400);
    expect((await errorOf(clash)).message).toContain('"extractor.bin" is a file of the base bundle');
  });

  it('refuses a head whose classes are not the class list, before registering anything', async () => {
    const wrong = await post({ ...request, classes: ['clear', 'lesion', 'other'] });
    expect(wrong.status).toBe(400);
    expect(await errorOf(wrong)).toMatchObject({ code: 'BUNDLE_INVALID' });
    const { models } = await fixture.client.listModels();
    expect(models[0]!.versions.map((v) => v.version)).toEqual([1]);
  });

  it('registers the taught head as version 2: the base extractor, the taught classes and index, loadable over HTTP', async () => {
    const response = await post(request);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name: 'tiny', version: 2, bundleDigest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const [base, taught] = await Promise.all([1, 2].map((v) => loadBundle(httpSource(fixture.client.bundleUrl('tiny', v)))));
    expect(taught!.manifest.classes).toEqual(['clear', 'lesion']);
    expect(taught!.manifest.stages.map((s) => s.kind)).toEqual(['extractor', 'index', 'head', 'postprocess']);
    expect(taught!.manifest.files['extractor.bin']).toEqual(base!.manifest.files['extractor.bin']);
    expect(taught!.manifest.metrics).toMatchObject({ heldOut: { accuracy: 1, 'accuracy:clear': 1, 'accuracy:lesion': 1 } });
  });
});
