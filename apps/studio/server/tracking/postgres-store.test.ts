import { postgresUnavailable, requireInCi, startPostgres, type PostgresServer } from '@cvf/core/testing';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/api/schemas.js';
import { FASHION, startStudioFixture, tinyPipeline, type StudioFixture } from '../testing/studio-fixture.js';

const fashionMissing = requireInCi(`Debian's Fashion-MNIST (dataset-fashion-mnist)`, existsSync(`${FASHION}/t10k-images-idx3-ubyte.gz`) || `no ${FASHION}`);

describe.skipIf(postgresUnavailable() ?? fashionMissing)('the studio over a PostgreSQL store', () => {
  let server: PostgresServer;
  let fixture: StudioFixture;
  let files: string;
  beforeAll(async () => {
    server = await startPostgres();
    files = mkdtempSync(join(tmpdir(), 'cvf-studio-pg-files-'));
    const store = `${await server.createSchema()}&artifacts=${encodeURIComponent(files)}`;
    fixture = await startStudioFixture({ store, files: { 'tiny.yaml': tinyPipeline('tiny', { epochs: 1, limit: 200, register: true }) } });
  });
  afterAll(async () => {
    await fixture?.close();
    await server?.stop();
  });

  it('trains a queued run into the database (cvf train --store URL), lists it, serves its model and promotes it', async () => {
    const queued = await fixture.client.enqueue({ config: 'tiny.yaml' });
    const job = await new Promise<Job>((resolve, reject) => fixture.client.followJob(queued.id, { onEnd: resolve, onError: reject }));
    expect(job.state, job.error ?? '').toBe('succeeded');
    const { runs } = await fixture.client.listRuns();
    expect(runs.map((r) => r.id)).toEqual([job.runId]);
    expect(runs[0]).toMatchObject({ status: 'finished' });
    const { models } = await fixture.client.listModels();
    expect(models.map((m) => m.name)).toEqual(['tiny']);
    // The bundle lies in the store's file folder, read back for the input contract.
    expect(models[0]!.versions[0]!.inputContract).toMatchObject({ height: 28, width: 28, channels: 1 });
    expect(existsSync(join(files, 'bundles', job.runId!, 'manifest.json'))).toBe(true);
    expect(await fixture.client.promote('tiny', 'production', 1)).toEqual({ alias: 'production', version: 1, previous: null });
    // The top bar names the database, not the file folder.
    expect((await fixture.client.info()).store).toMatch(new RegExp(`^postgres://cvf@127\\.0\\.0\\.1:${server.port}/postgres\\?options=`));
  });
});
