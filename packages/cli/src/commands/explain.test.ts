import { CpuDevice, decodeInput, isDeviceImage, Rng } from '@cvf/core';
import { sharpImageDecoder } from '@cvf/core/node';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternPipeline, patternPng, PATTERN_CLASSES, PATTERN_SIZE, writePatternFolders } from '../testing/pattern-images.js';
import { runCli } from '../testing/run-cli.js';
import { explainJson, trainBundle } from '../testing/trained-bundle.js';

// `cvf explain` on a model trained here (HOG + softmax over 16×16 bars and squares): each method's
// map at the image's size, the PNG overlay, SHAP's efficiency and the seed's determinism.
describe('cvf explain', () => {
  let dir: string;
  let bundle: string;
  let square: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-explain-'));
    await writePatternFolders(join(dir, 'data'), { perClass: 12, seed: 5 });
    const config = join(dir, 'patterns.yaml');
    writeFileSync(config, patternPipeline({ name: 'patterns-explain', root: join(dir, 'data'), store: join(dir, '.cvf'), model: 'patterns-explain' }));
    bundle = await trainBundle(config);
    square = join(dir, 'square.png');
    writeFileSync(square, await patternPng(PATTERN_CLASSES.indexOf('square'), new Rng(9), 10));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const explain = (...args: string[]) => explainJson(bundle, square, ...args);

  it.each(['occlusion', 'lime', 'shap'])('%s: a map of the top class at the image size, written as an RGB PNG overlay', async (method) => {
    const out = join(dir, `${method}.png`);
    const result = await explain('--method', method, '--out', out, '--samples', '120');
    expect(result.method).toBe(method);
    expect(result.class.label).toBe('square');
    expect(result.map).toMatchObject({ height: PATTERN_SIZE, width: PATTERN_SIZE });
    expect(result.map.max).toBeGreaterThan(0);
    expect(result.map.max).toBeGreaterThanOrEqual(result.map.mean);
    expect(result.out).toBe(out);
    const device = new CpuDevice();
    const png = await decodeInput(readFileSync(out), 'image/png', { device, decoder: sharpImageDecoder });
    if (isDeviceImage(png)) throw new Error('a PNG decoded on the CPU device stays on the host');
    expect(png.shape).toEqual([PATTERN_SIZE, PATTERN_SIZE, 3]);
    // The burnt-in colour: somewhere the overlay is not grey any more.
    const { data } = png;
    expect(Array.from({ length: PATTERN_SIZE * PATTERN_SIZE }, (_, i) => Math.abs(data[i * 3]! - data[i * 3 + 2]!)).some((d) => d > 30)).toBe(true);
    if (method !== 'occlusion') expect(result.evaluations).toBe(method === 'lime' ? 121 : 122);
  });

  it('shap: the superpixel attributions sum to the score minus the score with all hidden', async () => {
    const result = await explain('--method', 'shap', '--samples', '200', '--segments', '16', '--seed', '3');
    expect(result.superpixels!.count).toBe(16);
    const sum = result.superpixels!.attributions.reduce((s, a) => s + a, 0);
    expect(Math.abs(sum - (result.class.score - result.baselineScore!))).toBeLessThan(1e-6);
  });

  it('lime: the same seed gives the same map, another seed another one', async () => {
    const a = await explain('--method', 'lime', '--samples', '100', '--seed', '4');
    const b = await explain('--method', 'lime', '--samples', '100', '--seed', '4');
    const c = await explain('--method', 'lime', '--samples', '100', '--seed', '5');
    expect(b.superpixels).toEqual(a.superpixels);
    expect(c.superpixels!.attributions).not.toEqual(a.superpixels!.attributions);
  });

  it('gradcam and ig refuse a model without a convolutional network, naming the methods that work for it', async () => {
    for (const method of ['gradcam', 'ig']) {
      const refused = await runCli('explain', bundle, square, '--device', 'cpu', '--json', '--method', method);
      expect(refused.exitCode).toBe(2);
      expect(refused.stdout).toMatch(/extractor is hog: use occlusion, lime or shap/);
    }
  });

  it('explains another class when asked by label, and refuses an unknown one naming the classes', async () => {
    const result = await explain('--method', 'occlusion', '--class', 'hbars');
    expect(result.class.label).toBe('hbars');
    const refused = await runCli('explain', bundle, square, '--device', 'cpu', '--json', '--class', 'circles');
    expect(refused.exitCode).toBe(2);
    expect(refused.stdout).toMatch(/circles.*hbars, square, vbars/);
  });
});
