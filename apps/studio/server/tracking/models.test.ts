import { loadBundle, httpSource } from '@cvf/core';
import { SqliteTrackingStore } from '@cvf/core/node';
import { requireInCi } from '@cvf/core/testing';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/client.js';
import type { Job } from '../../src/api/schemas.js';
import { FASHION, startStudioFixture, tinyPipeline, type StudioFixture } from '../testing/studio-fixture.js';

/** Bytes compared by digest: a deep equality over 200 kB arrays is slow enough to outlast keep-alive. */
const digest = (bytes: Uint8Array | ArrayBuffer) => createHash('sha256').update(new Uint8Array(bytes)).digest('hex');

const fashionMissing = requireInCi(`Debian's Fashion-MNIST (dataset-fashion-mnist)`, existsSync(`${FASHION}/t10k-images-idx3-ubyte.gz`) || `no ${FASHION}`);

describe.skipIf(fashionMissing)('studio models API over a real registry', () => {
  let fixture: StudioFixture;
  let job: Job;
  let bundleDir: string;
  beforeAll(async () => {
    fixture = await startStudioFixture({ files: { 'tiny.yaml': tinyPipeline('tiny', { epochs: 1, limit: 200, register: true }) } });
    const queued = await fixture.client.enqueue({ config: 'tiny.yaml' });
    job = await new Promise<Job>((resolve, reject) => fixture.client.followJob(queued.id, { onEnd: resolve, onError: reject }));
    expect(job.state, job.error ?? '').toBe('succeeded');
    // A second version of the same bundle, registered as the CLI's registry does.
    const store = SqliteTrackingStore.open(fixture.storeDir);
    try {
      const first = await store.getVersion('tiny', 1);
      bundleDir = first.bundle;
      await store.registerVersion('tiny', { bundle: first.bundle, metrics: { accuracy: 0.5 }, ...(first.bundleDigest ? { bundleDigest: first.bundleDigest } : {}) });
    } finally {
      store.close();
    }
  });
  afterAll(() => fixture.close());

  it('lists versions newest first with lineage, metrics and the input contract', async () => {
    const { models } = await fixture.client.listModels();
    expect(models.map((m) => m.name)).toEqual(['tiny']);
    const [model] = models;
    expect(model!.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(model!.versions[1]).toMatchObject({ runId: job.runId, aliases: [], bundleDigest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(model!.versions[1]!.inputContract).toMatchObject({ height: 28, width: 28, channels: 1 });
    expect(Object.keys(model!.versions[1]!.metrics)).toContain('accuracy');
    expect(model!.aliases).toEqual([]);
  });

  it('promotes: the answer names the version the alias left; the history keeps each move', async () => {
    expect(await fixture.client.promote('tiny', 'production', 1)).toEqual({ alias: 'production', version: 1, previous: null });
    expect(await fixture.client.promote('tiny', 'production', 2)).toEqual({ alias: 'production', version: 2, previous: 1 });
    const { models } = await fixture.client.listModels();
    expect(models[0]!.aliases).toEqual([{ alias: 'production', version: 2, history: [expect.objectContaining({ version: 2, previous: 1 }), expect.objectContaining({ version: 1, previous: null })] }]);
    expect(models[0]!.versions.map((v) => v.aliases)).toEqual([['production'], []]);
    const missing = await fixture.client.promote('tiny', 'production', 9).catch((error: unknown) => error as ApiError);
    expect(missing).toMatchObject({ status: 404, code: 'TRACKING_NOT_FOUND', message: expect.stringContaining('versions: 1, 2') });
    const badAlias = await fixture.client.promote('tiny', 'Not An Alias!', 1).catch((error: unknown) => error as ApiError);
    expect(badAlias).toMatchObject({ status: 400 });
  });

  it("serves a version's bundle files with their bytes, so core's httpSource loads the bundle", async () => {
    const base = fixture.client.bundleUrl('tiny', 1);
    const manifestText = readFileSync(join(bundleDir, 'manifest.json'));
    const served = await fetch(`${base}/manifest.json`);
    expect(served.status).toBe(200);
    expect(served.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(digest(await served.arrayBuffer())).toBe(digest(manifestText));
    const manifest = JSON.parse(manifestText.toString('utf8')) as { files: Record<string, { size: number }> };
    for (const file of Object.keys(manifest.files)) {
      const response = await fetch(`${base}/${file.split('/').map(encodeURIComponent).join('/')}`);
      expect(digest(await response.arrayBuffer()), file).toBe(digest(readFileSync(join(bundleDir, ...file.split('/')))));
    }
    // Unsigned: the signature is answered 204, not 404, so a browser logs no failed request.
    expect((await fetch(`${base}/manifest.sig`)).status).toBe(204);
    const bundle = await loadBundle(httpSource(base));
    expect(bundle.signature).toBeUndefined();
    expect(bundle.manifest.name).toBe('tiny');
    expect(bundle.manifest.classes).toHaveLength(10);
    // Files the manifest does not list are not served, nor paths out of the bundle.
    for (const path of ['not-listed.bin', '..%2F..%2Ftracking.db', '%2E%2E/%2E%2E/tracking.db']) {
      expect((await fetch(`${base}/${path}`)).status, path).toBe(404);
    }
  });
});
