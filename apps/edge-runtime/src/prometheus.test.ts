import { Rng } from '@cvf/core';
import { commandRuns, requireInCi } from '@cvf/core/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeServer, type EdgeServer } from './edge-server.js';
import { createLogger } from './logger.js';
import { patternDicom, patternPng } from './testing/test-images.js';
import { TEST_CLASSES, TEST_IMAGE_SIZE, testPattern, trainTestModel } from './testing/train-test-model.js';

// A real Prometheus (Debian's `prometheus`, which scripts/setup.sh installs) scrapes a real edge
// server on loopback every second; the series are read back through Prometheus's HTTP query API,
// as a dashboard or an alert rule would read them.
const prometheusMissing = requireInCi('Prometheus (Debian package prometheus)', commandRuns('prometheus', ['--version']));

const MODEL = 'patterns';
const PNG_REQUESTS = 3;
const DICOM_REQUESTS = 2;
const V2_IMAGES = 4;

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** Starts Prometheus on an ephemeral loopback port; resolves once it says which port it took. */
function startPrometheus(dir: string, target: string): Promise<{ child: ChildProcess; url: string }> {
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: cvf-edge
    static_configs:
      - targets: ['${target}']
`,
  );
  const child = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, '--web.listen-address=127.0.0.1:0'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let log = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const port = /msg="Listening on" address=127\.0\.0\.1:(\d+)/.exec(log)?.[1];
      if (port) resolve({ child, url: `http://127.0.0.1:${port}` });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`prometheus exited (${code}) before listening:\n${log.slice(-2000)}`)));
  });
}

describe.skipIf(prometheusMissing)('Prometheus scraping the edge runtime', () => {
  let dir: string;
  let server: EdgeServer;
  let prometheus: { child: ChildProcess; url: string };
  let version: string;

  /** An instant query's samples. */
  async function query(promql: string): Promise<Sample[]> {
    const response = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { status: string; data: { resultType: string; result: Sample[] }; error?: string };
    expect(body.status, body.error).toBe('success');
    return body.data.result;
  }

  /** Polls a query until `done` holds for its samples (new scrapes land every second); the test timeout bounds the wait. */
  async function queryUntil(promql: string, done: (samples: Sample[]) => boolean): Promise<Sample[]> {
    for (;;) {
      const samples = await query(promql);
      if (done(samples)) return samples;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  const valueOf = (samples: Sample[]): number => Number(samples[0]?.value[1] ?? Number.NaN);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-prometheus-'));
    const { bundle } = await trainTestModel(join(dir, 'model'), { name: MODEL, register: false });
    server = await createEdgeServer({ models: [bundle], logger: createLogger({ level: 'silent' }) });
    version = server.models()[0]!.version;
    prometheus = await startPrometheus(dir, new URL(server.url).host);

    for (let i = 0; i < PNG_REQUESTS; i++) {
      const response = await fetch(`${server.url}/v1/models/${MODEL}/predict`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(await patternPng(i % 3)) });
      expect(response.status).toBe(200);
    }
    for (let i = 0; i < DICOM_REQUESTS; i++) {
      const response = await fetch(`${server.url}/v1/models/${MODEL}/predict`, { method: 'POST', headers: { 'content-type': 'application/dicom' }, body: new Uint8Array(patternDicom(1, { seed: i })) });
      expect(response.status).toBe(200);
    }
    // One v2 request of several images: one request, V2_IMAGES predictions, a batch of that size.
    const rng = new Rng(3);
    const pixels = Array.from({ length: V2_IMAGES }, (_, i) => Array.from(testPattern(i % 3, rng))).flat();
    const infer = await fetch(`${server.url}/v2/models/${MODEL}/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ name: 'image', datatype: 'UINT8', shape: [V2_IMAGES, TEST_IMAGE_SIZE, TEST_IMAGE_SIZE, 1], data: pixels }] }),
    });
    expect(infer.status, await infer.clone().text()).toBe(200);
    // An unsupported upload: a 415 the metrics must count too.
    const refused = await fetch(`${server.url}/v1/models/${MODEL}/predict`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'not an image' });
    expect(refused.status).toBe(415);
  });

  afterAll(async () => {
    if (prometheus) {
      const exited = new Promise((resolve) => prometheus.child.on('exit', resolve));
      prometheus.child.kill('SIGTERM');
      await exited;
    }
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('scrapes the server: the target is up', async () => {
    const up = await queryUntil('up{job="cvf-edge"}', (s) => valueOf(s) === 1);
    expect(up).toHaveLength(1);
  });

  it('counts requests by model, version, route and status', async () => {
    const route = '/v1/models/{model}/predict';
    const ok = await queryUntil(`cvf_requests_total{job="cvf-edge", route="${route}", status="200"}`, (s) => valueOf(s) === PNG_REQUESTS + DICOM_REQUESTS);
    expect(ok[0]!.metric).toMatchObject({ model: MODEL, version, route, status: '200' });
    const v2 = await queryUntil(`cvf_requests_total{job="cvf-edge", route="/v2/models/{model}/infer", status="200"}`, (s) => valueOf(s) === 1);
    expect(v2[0]!.metric).toMatchObject({ model: MODEL, version });
    const refused = await queryUntil(`sum(cvf_requests_total{job="cvf-edge", status="415"})`, (s) => valueOf(s) === 1);
    expect(valueOf(refused)).toBe(1);
  });

  it('counts predictions by class, one per image, under the served version', async () => {
    const images = PNG_REQUESTS + DICOM_REQUESTS + V2_IMAGES;
    const total = await queryUntil(`sum(cvf_predictions_total{job="cvf-edge", model="${MODEL}", version="${version}"})`, (s) => valueOf(s) === images);
    expect(valueOf(total)).toBe(images);
    const byClass = await query(`cvf_predictions_total{job="cvf-edge", model="${MODEL}"}`);
    for (const sample of byClass) expect(TEST_CLASSES).toContain(sample.metric.class);
  });

  it('has the latency histograms, the batch-size histogram and the queue depth', async () => {
    const requests = await queryUntil(`sum(cvf_request_duration_seconds_count{job="cvf-edge", model="${MODEL}"})`, (s) => valueOf(s) === PNG_REQUESTS + DICOM_REQUESTS + 1);
    expect(valueOf(requests)).toBe(PNG_REQUESTS + DICOM_REQUESTS + 1);
    // Every request's image(s) were decoded, queued and run: each histogram saw them.
    expect(valueOf(await query(`sum(cvf_decode_duration_seconds_count{job="cvf-edge", model="${MODEL}"})`))).toBeGreaterThanOrEqual(PNG_REQUESTS + DICOM_REQUESTS);
    expect(valueOf(await query(`sum(cvf_queue_duration_seconds_count{job="cvf-edge", model="${MODEL}"})`))).toBe(PNG_REQUESTS + DICOM_REQUESTS + 1);
    const batches = valueOf(await query(`sum(cvf_inference_duration_seconds_count{job="cvf-edge", model="${MODEL}"})`));
    expect(batches).toBeGreaterThanOrEqual(1);
    // Rows over all batches are the images sent (plus none for warm-up, which is not a request).
    expect(valueOf(await query(`sum(cvf_batch_size_sum{job="cvf-edge", model="${MODEL}"})`))).toBe(PNG_REQUESTS + DICOM_REQUESTS + V2_IMAGES);
    // The 4-image request ran as one batch of at least 4 rows: the histogram's "≤ 2" bucket holds fewer batches than all of them.
    const small = valueOf(await query(`sum(cvf_batch_size_bucket{job="cvf-edge", model="${MODEL}", le="2"})`));
    expect(small).toBeLessThan(valueOf(await query(`sum(cvf_batch_size_count{job="cvf-edge", model="${MODEL}"})`)));
    expect(await query(`cvf_queue_depth{job="cvf-edge", model="${MODEL}"}`)).toEqual([expect.objectContaining({ value: [expect.any(Number), '0'] })]);
  });

  it('names the model being served with its version and config hash, and exports process metrics', async () => {
    const info = await queryUntil(`cvf_model_info{job="cvf-edge"}`, (s) => s.length === 1);
    expect(info[0]!.metric).toMatchObject({ model: MODEL, version, config_hash: expect.stringMatching(/^[0-9a-f]{16,}$/) });
    expect(valueOf(info)).toBe(1);
    expect(valueOf(await query(`cvf_process_resident_memory_bytes{job="cvf-edge"}`))).toBeGreaterThan(0);
    expect(valueOf(await query(`cvf_process_cpu_seconds_total{job="cvf-edge"}`))).toBeGreaterThan(0);
  });
});
