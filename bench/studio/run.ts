// bench/studio: the studio's first load on loopback, in headless Chromium against the real studio
// server, over a store of 10 runs beside a store of 1,000 (the list is virtualised: the paint should
// not grow with the store). First meaningful paint of /runs = navigation start → the first run row
// on screen (a fresh browser context each time: no cache). Also the built app's JavaScript, gzipped
// (what /runs fetches, and every app chunk except onnxruntime-web, which only the viewer loads).
// Goals (issue 13): first meaningful paint of /runs < 1.5 s; app JS < 400 KB gzipped.
// The studio API's /api/runs alone (Node fetch, same server) is timed too, to tell the server's
// share from the page's.
// Usage: npx tsx --conditions=source bench/studio/run.ts [--repeat N]   (after npm run build -w apps/studio)
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { SqliteTrackingStore } from '@cvf/core/node';
import { startStudioServer } from '@cvf/studio/server';
import { launchChromium } from '../../e2e/support/chromium.js';
import { machine, printTable, writeResults } from '../support/report.js';

const args = process.argv.slice(2);
const repeat = Number(args[args.indexOf('--repeat') + 1] ?? 0) || 7;
const dist = fileURLToPath(new URL('../../apps/studio/dist', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'cvf-bench-studio-'));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const gzipKb = (file: string) => gzipSync(readFileSync(join(dist, file))).length / 1024;

/** A store of `count` finished runs with params, per-epoch metrics and tags, as training writes them. */
async function seedStore(root: string, count: number): Promise<void> {
  const store = SqliteTrackingStore.open(root);
  for (let i = 0; i < count; i++) {
    const run = await store.startRun({ experiment: i % 2 ? 'fashion-mnist' : 'medical', name: `run-${i}` });
    await store.logParams(run.id, { 'train.epochs': 10, 'train.optimizer.lr': 0.001 * (1 + (i % 5)), 'model.head': 'mlp' });
    for (let epoch = 1; epoch <= 10; epoch++) await store.logMetrics(run.id, { 'train.loss': 2 / epoch, 'val.accuracy': 0.5 + epoch / 25 }, epoch);
    await store.logMetrics(run.id, { 'test.accuracy': 0.8 + (i % 17) / 100, 'test.f1': 0.78 + (i % 13) / 100 }, 0);
    await store.setTags(run.id, { device: 'cpu' });
    await store.endRun(run.id, 'finished');
  }
  store.close();
}

const browser = await launchChromium();
const rows: Record<string, string | number>[] = [];
const results: Record<string, unknown> = { machine: machine(), repeat };
try {
  for (const runs of [10, 1000]) {
    const store = join(scratch, `store-${runs}`);
    await seedStore(store, runs);
    const configs = join(scratch, 'configs');
    mkdirSync(configs, { recursive: true });
    writeFileSync(join(configs, 'demo.yaml'), 'version: 1\nname: demo\ndata:\n  source: { kind: folder, root: data }\n');
    const server = await startStudioServer({ port: 0, host: '127.0.0.1', store, configs, dist, trainCommand: { command: process.execPath, args: [] }, log: () => {} });
    const api: number[] = [];
    for (let k = 0; k < repeat; k++) {
      const start = performance.now();
      await (await fetch(`${server.url}api/runs`)).json();
      api.push(performance.now() - start);
    }
    const paints: number[] = [];
    const contentful: number[] = [];
    let fetched: string[] = [];
    try {
      for (let k = 0; k < repeat; k++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        const scripts: string[] = [];
        let shown = false;
        page.on('response', (response) => {
          const path = new URL(response.url()).pathname;
          if (path.endsWith('.js') && !shown) scripts.push(path.slice(1));
        });
        await page.goto(`${server.url}runs`);
        await page.getByTestId('run-row').first().waitFor();
        shown = true;
        const timing = await page.evaluate(() => ({
          rowShown: performance.now(),
          fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
        }));
        paints.push(timing.rowShown);
        contentful.push(timing.fcp);
        fetched = scripts;
        await context.close();
      }
      // What the editor page fetches: CodeMirror and the pipeline validator, not the rest of @cvf/core.
      const context = await browser.newContext();
      const page = await context.newPage();
      const scripts: string[] = [];
      page.on('response', (response) => {
        const path = new URL(response.url()).pathname;
        if (path.endsWith('.js')) scripts.push(path.slice(1));
      });
      await page.goto(`${server.url}pipelines?file=demo.yaml`);
      await page.locator('[data-testid=pipeline-editor] .cm-content').waitFor();
      results.pipelinesPageScripts = scripts;
      await context.close();
    } finally {
      await server.close();
    }
    rows.push({ store: `${runs} runs`, 'first run row (ms, median)': median(paints), 'first contentful paint (ms)': median(contentful), 'GET /api/runs alone (ms)': median(api), 'min (ms)': Math.min(...paints), 'max (ms)': Math.max(...paints) });
    results[`runs${runs}`] = { firstRunRowMs: paints, firstContentfulPaintMs: contentful, apiRunsMs: api };
    results.runsPageScripts = fetched;
  }
} finally {
  await browser.close();
  rmSync(scratch, { recursive: true, force: true });
}

const assets = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);
const isOrt = (file: string) => /\/ort[.-]/.test(file);
const runsPageKb = (results.runsPageScripts as string[]).reduce((sum, f) => sum + gzipKb(f), 0);
const pipelinesPageKb = [...new Set(results.pipelinesPageScripts as string[])].reduce((sum, f) => sum + gzipKb(f), 0);
const appKb = assets.filter((f) => !isOrt(f)).reduce((sum, f) => sum + gzipKb(f), 0);
const ortKb = assets.filter(isOrt).reduce((sum, f) => sum + gzipKb(f), 0);
results.bundle = { runsPageJsGzipKb: runsPageKb, pipelinesPageJsGzipKb: pipelinesPageKb, appJsGzipKb: appKb, onnxruntimeWebJsGzipKb: ortKb };

console.log('\nFirst meaningful paint of /runs on loopback (headless Chromium, fresh context, goal < 1500 ms)');
printTable(rows);
console.log('\nJavaScript of the built studio, gzipped (goal: app < 400 KB, onnxruntime-web lazy)');
printTable([
  { what: 'fetched by /runs before its first run row', kb: runsPageKb },
  { what: 'fetched by /pipelines (editor and validator; the compute probe after 1.5 s included)', kb: pipelinesPageKb },
  { what: 'all app chunks (every page, codecs included), without onnxruntime-web', kb: appKb },
  { what: 'onnxruntime-web (viewer only, lazy)', kb: ortKb },
]);
console.log(`\n${writeResults('studio', results)}`);
