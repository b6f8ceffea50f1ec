import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { FASHION, startTestStudio, STUDIO_DIST, walkPipeline, type TestStudio } from './test-studio.js';

// The user's walk through the studio, in Chromium, against the real server, a real store and
// real `cvf train` children: break a config and read the error with its line, fix it, run it,
// follow it live to the end, find it among the runs, compare it, promote it, reload.
// Pages settle in seconds on a busy CI machine, not in expect.poll's default second.
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 });
const skip = chromiumUnavailable() ?? (existsSync(FASHION) ? undefined : `no Fashion-MNIST at ${FASHION} (scripts/setup.sh installs dataset-fashion-mnist)`);
// The README's figure is refreshed on request only, so `npm test` leaves the tracked image alone.
const README_FIGURE = fileURLToPath(new URL('../../docs/images/studio-run.png', import.meta.url));
const updateReadmeFigure = process.env.CVF_UPDATE_README_FIGURES === '1';
const shots = mkdtempSync(join(tmpdir(), 'cvf-studio-shots-'));

let browser: Browser | undefined;
let walk: TestStudio | undefined;

beforeAll(async () => {
  if (skip) return;
  if (!existsSync(STUDIO_DIST)) throw new Error(`no studio build at ${STUDIO_DIST}: run scripts/setup.sh (or npm run build -w apps/studio)`);
  // Two at once: the earlier run to compare with trains while the walk edits its config.
  walk = await startTestStudio({ 'walk/train.yaml': walkPipeline(40), 'walk/baseline.yaml': walkPipeline(3) }, { concurrency: 2 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await walk?.close();
});

/** The API as a script would call it (the Origin the server expects on mutations). */
async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${walk!.base}${path}`, {
    method,
    headers: { origin: walk!.base, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const payload = (await response.json()) as unknown;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(payload)}`);
  return payload;
}

async function jobEnded(jobId: string): Promise<{ state: string; error: string | null; runId: string | null }> {
  for (;;) {
    const { jobs } = (await call('GET', '/api/queue')) as { jobs: { id: string; state: string; error: string | null; runId: string | null }[] };
    const job = jobs.find((j) => j.id === jobId)!;
    if (!['queued', 'running'].includes(job.state)) return job;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Replaces the editor's whole text, as a paste would. */
async function replaceText(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid=pipeline-editor] .cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
}

it.skipIf(skip)('edit, run, follow, find, compare, promote, cancel: the studio walk', { timeout: 170_000 }, async () => {
  // An earlier run to compare with (a script launches it; the walk waits for it before comparing).
  const baseline = (await call('POST', '/api/queue', { config: 'walk/baseline.yaml' })) as { id: string };

  const page = await browser!.newPage({ viewport: { width: 1440, height: 1000 } });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));

  // Break the config: the error is listed with its line and column, and underlined in the editor.
  await page.goto(`${walk!.base}/pipelines?file=walk/train.yaml`);
  await page.locator('[data-testid=pipeline-editor] .cm-content').waitFor();
  const good = walkPipeline(40);

  // Completion from the schema: keys of the mapping being typed, then an enum's values.
  await replaceText(page, 'version: 1\nname: walk\ntrain:\n  optimizer:\n    ki');
  const option = (label: string) => page.locator('.cm-tooltip-autocomplete .cm-completionLabel').getByText(label, { exact: true });
  await option('kind').waitFor();
  await page.keyboard.press('Escape');
  await replaceText(page, 'version: 1\nname: walk\ntrain:\n  optimizer:\n    kind: ad');
  await page.keyboard.press('Control+Space');
  await option('adamw').waitFor();
  await page.keyboard.press('Escape');
  // Hover documentation: the description and default of the key under the pointer.
  await replaceText(page, good);
  const epochsKey = page.locator('.cm-line').filter({ hasText: /^\s*epochs: 40$/ });
  const box = (await epochsKey.boundingBox())!;
  await page.mouse.move(box.x + 30, box.y + box.height / 2);
  await poll(() => page.locator('.cm-tooltip-hover .schema-doc').textContent()).toBe('train.epochsinteger · default 20maximum number of passes over the train split');
  await page.screenshot({ path: join(shots, 'pipelines-hover.png') });
  await replaceText(page, good.replace('epochs: 40', 'epochs: many'));
  const issues = page.getByTestId('validation-errors');
  await poll(() => issues.textContent()).toMatch(/^line 11, col 11: train\.epochs: /);
  await page.locator('.cm-lintRange-error').first().waitFor();
  await page.screenshot({ path: join(shots, 'pipelines-error.png') });

  // Fix it. Someone changed the file on disk meanwhile: Ctrl-S says so, and overwriting is a choice.
  await replaceText(page, good);
  await poll(() => page.getByTestId('validity').textContent()).toBe('valid');
  expect(await issues.textContent()).toBe('');
  writeFileSync(join(walk!.configsDir, 'walk/train.yaml'), walkPipeline(5));
  await page.keyboard.press('ControlOrMeta+s');
  await page.getByTestId('save-conflict').waitFor();
  await page.getByRole('button', { name: 'Overwrite' }).click();
  await page.getByRole('status').filter({ hasText: 'saved walk/train.yaml' }).waitFor();
  expect(readFileSync(join(walk!.configsDir, 'walk/train.yaml'), 'utf8')).toBe(good);
  // Ctrl-Enter queues it.
  await page.keyboard.press('ControlOrMeta+Enter');
  const job = page.getByTestId('queue-job').filter({ hasText: 'walk/train.yaml' });
  await job.getByRole('link', { name: /^run / }).click({ timeout: 60_000 });

  // Live progress over SSE while it runs, then the finished run with its charts and evaluation.
  await page.locator('article.run-page').getByTestId('live-progress').waitFor({ timeout: 60_000 });
  await page.screenshot({ path: join(shots, 'run-live.png') });
  await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 90_000 }).toBe('finished');
  await page.getByTestId('metric-chart').first().waitFor();
  await page.getByTestId('confusion-matrix').waitFor();
  const runId = page.url().split('/').pop()!;
  await page.screenshot({ path: updateReadmeFigure ? README_FIGURE : join(shots, 'run.png') });
  // A confusion: its images, with thumbnails that load.
  let clicked = false;
  for (const cell of await page.locator('[data-testid=confusion-cell]:not([disabled])').all()) {
    const label = (await cell.getAttribute('aria-label'))!;
    const [, actual, predicted] = label.match(/ images of (.+) predicted as (.+)$/)!;
    if (actual === predicted) continue;
    await cell.click();
    clicked = true;
    break;
  }
  expect(clicked, 'the run confused no class with another').toBe(true);
  const thumbnail = page.getByTestId('misclassified').locator('img').first();
  await thumbnail.waitFor();
  await poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

  const baselineJob = await jobEnded(baseline.id);
  expect(baselineJob).toMatchObject({ state: 'succeeded' });

  // g r: the run is in the list, with the baseline.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('g');
  await page.keyboard.press('r');
  await page.getByTestId('run-list').waitFor();
  const row = page.locator(`[data-testid=run-row][data-run-id="${runId}"]`);
  await poll(() => row.getByTestId('run-status').textContent()).toBe('finished');
  await poll(() => page.getByTestId('run-row').count()).toBe(2);
  await page.screenshot({ path: join(shots, 'runs.png') });

  // Compare the two: the epochs differ, and are marked.
  // From the keyboard: j moves down the list, x picks a run for comparison.
  for (const key of ['j', 'x', 'j', 'x']) await page.keyboard.press(key);
  await poll(() => page.getByTestId('run-row').getByRole('checkbox', { checked: true }).count()).toBe(2);
  await page.getByRole('button', { name: 'Compare 2' }).click();
  const epochs = page.getByTestId('compare-params').locator('tr[data-differs]').filter({ hasText: 'train.epochs' });
  await epochs.waitFor();
  const [, ...values] = await epochs.locator('td').allTextContents();
  expect(values.sort()).toEqual(['3', '40']);
  await page.getByTestId('metric-chart').first().waitFor();
  await page.screenshot({ path: join(shots, 'compare.png'), fullPage: true });

  // The baseline's version is in production; promoting the new one names the version the alias leaves.
  const { models } = (await call('GET', '/api/models')) as { models: { name: string; versions: { version: number; runId: string }[] }[] };
  const versionOf = (run: string | null) => models.find((m) => m.name === 'walk')!.versions.find((v) => v.runId === run)!.version;
  const [previous, promoted] = [versionOf(baselineJob.runId), versionOf(runId)];
  await call('POST', '/api/models/walk/aliases/production', { version: previous });
  await page.getByRole('link', { name: 'Models' }).click();
  const model = page.getByTestId('model-list').locator('[data-model=walk]');
  expect(await model.getByTestId('alias-production').textContent()).toBe(`@production → v${previous}`);
  await model.locator(`[data-testid=model-version][data-version="${promoted}"]`).getByRole('button', { name: 'Promote…' }).click();
  expect(await page.getByTestId('promote-consequence').textContent()).toMatch(`moves from v${previous} to v${promoted}`);
  await page.getByRole('button', { name: 'Promote to production' }).click();
  await page.getByTestId('promote-dialog').waitFor({ state: 'hidden' });
  await page.reload();
  await poll(() => page.getByTestId('model-list').locator('[data-model=walk]').getByTestId('alias-production').textContent()).toBe(`@production → v${promoted}`);
  expect(await page.getByTestId('alias-history').locator('li').first().textContent()).toMatch(`@production → v${promoted} (from v${previous})`);
  await page.screenshot({ path: join(shots, 'models.png') });

  // Run it again and cancel it from the queue while it trains.
  await page.goto(`${walk!.base}/pipelines?file=walk/train.yaml`);
  await page.locator('[data-testid=pipeline-editor] .cm-content').waitFor();
  await page.getByRole('button', { name: 'Run' }).click();
  const again = page.locator('[data-testid=queue-job][data-state=running]');
  await again.getByTestId('live-progress').waitFor({ timeout: 60_000 });
  await again.getByRole('button', { name: 'Cancel' }).click();
  await page.locator('[data-testid=queue-job][data-state=cancelled]').waitFor({ timeout: 60_000 });

  // The other pages open without an error.
  await page.goto(`${walk!.base}/data?config=walk/train.yaml`);
  await page.getByTestId('class-counts').waitFor({ timeout: 60_000 });
  const thumbnails = page.getByTestId('sample-grid').locator('img');
  expect(await thumbnails.count()).toBeGreaterThan(0);
  await expect.poll(() => thumbnails.evaluateAll((images: HTMLImageElement[]) => images.every((img) => img.complete && img.naturalWidth > 0)), { timeout: 60_000 }).toBe(true);
  // A point of the embedding map shows its image.
  // The map is of the trained model's features now, whose classes cluster tightly: the point
  // drawn last is the one no other point covers.
  await poll(() => page.getByTestId('embedding-of').textContent()).toMatch(/features of walk v\d/);
  await page.getByTestId('embedding-map').locator('circle').last().click();
  const picked = page.getByTestId('picked-sample').locator('img');
  await poll(() => picked.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await page.screenshot({ path: join(shots, 'data.png') });
  await page.goto(`${walk!.base}/viewer`);
  // The page's lazy chunk has replaced the shell's "Loading…".
  await poll(() => page.locator('main.page').innerText()).toMatch(/\S/);
  await poll(() => page.locator('main.page').innerText()).not.toBe('Loading…');
  await page.goto(`${walk!.base}/device`);
  await page.getByTestId('backend').waitFor();

  // Chromium logs every 4xx response; the one 409 is the conflict this walk provoked on purpose.
  expect(errors.filter((e) => !/pipelines\?file=walk\/train\.yaml: Failed to load resource: .* 409 \(Conflict\)$/.test(e))).toEqual([]);
  process.stdout.write(`studio walk screenshots: ${shots}${updateReadmeFigure ? ` and ${README_FIGURE}` : ''}\n`);
});
