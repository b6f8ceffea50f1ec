import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createProgram } from '@cvf/cli';
import { makeDemoCtSet } from '@cvf/medical';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';

// The HTML report of `cvf evaluate` in real Chromium: one file that renders its figures and tables
// without fetching anything, fits the screen and prints. The demo CT set (two makers, both sexes)
// trains a small model first, so the report is of a real evaluation.
const skip = chromiumUnavailable();
const scratch = mkdtempSync(join(tmpdir(), 'cvf-e2e-evaluate-'));
/** Screenshots for a person to look at (not compared). */
const SCREENSHOTS = process.env.CVF_SCREENSHOTS ?? join(scratch, 'screenshots');
const report = join(scratch, 'report.html');
let browser: Browser | undefined;

/** `cvf ...args` in this process; its output is kept for the failure message only. */
async function cvf(...args: string[]): Promise<void> {
  let output = '';
  const write = (chunk: unknown) => ((output += String(chunk)), true);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(write);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(write);
  const program = createProgram(args);
  // A usage error throws here instead of exiting the test process.
  const commands = (command: Command): Command[] => [command, ...command.commands.flatMap(commands)];
  for (const command of commands(program)) command.exitOverride();
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  expect(code, output.slice(-3000)).toBe(0);
}

beforeAll(async () => {
  if (skip) return;
  const set = makeDemoCtSet({ patients: 8, slices: 8, size: 48, seed: 11 });
  for (const file of set.files) {
    mkdirSync(dirname(join(scratch, file.path)), { recursive: true });
    writeFileSync(join(scratch, file.path), file.bytes);
  }
  writeFileSync(join(scratch, 'labels.csv'), set.labelsCsv);
  writeFileSync(
    join(scratch, 'pipeline.yaml'),
    `version: 1
name: ct-report
data:
  source: { kind: dicom-folder, root: dicom, labels: { path: labels.csv } }
  classes: [normal, abnormal]
  splits: { train: 0.5, val: 0.25, test: 0.25, seed: 4, groupBy: patientId }
preprocess:
  resize: { height: 48, width: 48, mode: bilinear }
  color: gray
  window: { preset: ct-lung }
  normalize: { mean: [0.5], std: [0.25] }
features: { kind: hog, hog: { cellSize: 8, blockSize: 2, bins: 9 } }
pca: { enabled: true, components: 12 }
index: { kind: flat, metric: cosine, k: 3 }
model: { head: softmax }
train: { epochs: 25, batchSize: 16, optimizer: { kind: adam, lr: 0.01 }, seed: 1 }
evaluate: { positiveClass: abnormal }
decision: { operatingPoint: { target: sensitivity, value: 0.9 }, positiveClass: abnormal }
registry: { register: true, alias: staging }
tracking: { store: ${join(scratch, '.cvf')} }
`,
  );
  await cvf('train', join(scratch, 'pipeline.yaml'));
  const store = join(scratch, '.cvf');
  await cvf('evaluate', 'ct-report@staging', join(scratch, 'pipeline.yaml'), '--store', store, '--split', 'all', '--by', 'Manufacturer', '--by', 'PatientSex', '--resamples', '300', '--device', 'cpu', '--report', report);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (!process.env.CVF_SCREENSHOTS) rmSync(scratch, { recursive: true, force: true });
});

it.skipIf(skip)('renders the report offline: figures, tables and subgroups on screen and in print', async () => {
  const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.setContent(readFileSync(report, 'utf8'), { waitUntil: 'load' });

  expect(await page.title()).toBe('Clinical evaluation — ct-report');
  const figures = await page.$$eval('svg.plot', (svgs) => svgs.map((svg) => svg.getBoundingClientRect().width));
  expect(figures).toHaveLength(3);
  for (const width of figures) expect(width).toBeGreaterThan(250);
  const headings = await page.$$eval('h2', (nodes) => nodes.map((node) => node.textContent));
  expect(headings).toEqual(expect.arrayContaining(['Summary — abnormal against the rest', 'Curves and calibration', 'Subgroups by Manufacturer', 'Subgroups by PatientSex', 'Methods']));
  const makers = await page.$$eval('h2 + p + h3 + table tbody tr td:first-child', (cells) => cells.map((cell) => cell.textContent));
  expect(makers).toEqual(expect.arrayContaining(['CVF Demo Scanners', 'Phantom Medical Systems', 'F', 'M']));
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'evaluate-report.png'), fullPage: true });
  // Fits the screen: nothing wider than the window.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1100);

  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe('%PDF-');
  await page.screenshot({ path: join(SCREENSHOTS, 'evaluate-report-print.png'), fullPage: true });
  console.log(`evaluate report screenshots: ${SCREENSHOTS}`);

  // One self-contained file: nothing was fetched, nothing failed.
  expect(requests.filter((url) => url !== 'about:blank')).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});
