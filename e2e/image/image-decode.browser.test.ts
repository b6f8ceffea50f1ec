import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuDevice, decodeInput, encodePng, imageTensor, pipelineConfigSchema, preprocessImages, Rng, type DecodeImageOptions, type ImageChannels } from '@cvf/core';
import { sharpImageDecoder } from '@cvf/core/node';
import { dicomInputDecoder } from '@cvf/medical';
import { openBundledPage, type BundledPage } from '../support/browser-page.js';
import { chromiumUnavailable } from '../support/chromium.js';

const skip = chromiumUnavailable();
let opened: BundledPage | undefined;

beforeAll(async () => {
  if (skip) return;
  // @cvf/medical's compressed-syntax codecs load lazily, each in its own chunk; the Emscripten glue
  // requires fs/path only on its Node code path.
  opened = await openBundledPage(new URL('./browser-entry.ts', import.meta.url), { ready: 'decodeInputToModel', title: 'image decode', build: { splitting: true, external: ['fs', 'path'] } });
});
afterAll(() => opened?.close());

function decodeInBrowser(bytes: Uint8Array, options?: DecodeImageOptions) {
  return opened!.page.evaluate(([b, o]) => window.decodeImage(b, o), [Array.from(bytes), options] as const);
}

async function decodeInNode(bytes: Uint8Array) {
  const image = await sharpImageDecoder.decode(bytes);
  return { dtype: image.dtype, shape: [...image.shape], data: Array.from(image.data) };
}

const rng = new Rng(17);

/** Random pixels, opaque where there is alpha: a canvas premultiplies alpha, so translucent colours are not exact. */
function opaque(height: number, width: number, channels: ImageChannels): Uint8Array {
  return Uint8Array.from({ length: height * width * channels }, (_, i) => (channels % 2 === 0 && i % channels === channels - 1 ? 255 : rng.int(0, 255)));
}

describe.skipIf(skip)('the browser decoder gives the tensors sharp gives in Node', () => {
  it('PNG: gray, gray + alpha, RGB, RGBA (8-bit) are equal sample for sample', async () => {
    for (const channels of [1, 2, 3, 4] as const) {
      const png = await encodePng(imageTensor('u8', { height: 9, width: 13, channels }, opaque(9, 13, channels)));
      const node = await decodeInNode(png);
      expect(node.shape).toEqual([9, 13, channels]);
      expect(await decodeInBrowser(png), `${channels} channels`).toEqual(node);
    }
  });

  it('palette PNG and lossless WebP are equal; JPEG agrees within the IDCT rounding of two libjpeg builds', async () => {
    const rgb = opaque(12, 10, 3);
    const palette = await sharp(rgb, { raw: { width: 10, height: 12, channels: 3 } }).png({ palette: true, colours: 8 }).toBuffer();
    expect(await decodeInBrowser(palette)).toEqual(await decodeInNode(palette));
    const webp = await sharp(rgb, { raw: { width: 10, height: 12, channels: 3 } }).webp({ lossless: true }).toBuffer();
    expect(await decodeInBrowser(webp)).toEqual(await decodeInNode(webp));

    const ramp = Uint8Array.from({ length: 32 * 32 * 3 }, (_, i) => (i * 5 + Math.floor(i / 96) * 3) % 256);
    const jpeg = await sharp(ramp, { raw: { width: 32, height: 32, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
    const node = await decodeInNode(jpeg);
    const browserJpeg = await decodeInBrowser(jpeg);
    if (!('data' in browserJpeg)) throw new Error(JSON.stringify(browserJpeg));
    expect(browserJpeg.shape).toEqual(node.shape);
    const worst = Math.max(...browserJpeg.data.map((v, i) => Math.abs(v - node.data[i]!)));
    console.log(`JPEG: largest browser − sharp difference ${worst} levels`);
    expect(worst).toBeLessThanOrEqual(2);
  });

  it('16-bit PNG: refused at native depth (a canvas holds 8 bits), decoded to 8 bits on request', async () => {
    const values = Uint16Array.from({ length: 4 * 6 }, (_, i) => 257 * ((i * 37) % 256));
    const png = await encodePng(imageTensor('u16', { height: 4, width: 6, channels: 1 }, values));
    expect(await decodeInBrowser(png)).toMatchObject({ error: { code: 'IMAGE_UNSUPPORTED', message: expect.stringContaining('depth: 8') } });
    // Values that came from 8 bits (v = 257·k) survive any 16 → 8 conversion exactly.
    const node = await sharpImageDecoder.decode(png, { depth: 8 });
    expect(await decodeInBrowser(png, { depth: 8 })).toEqual({ dtype: 'u8', shape: [4, 6, 1], data: Array.from(node.data) });
  });

  it('a foreign format is refused with its code', async () => {
    expect(await decodeInBrowser(new TextEncoder().encode('BM not a png'))).toMatchObject({ error: { code: 'IMAGE_UNSUPPORTED_FORMAT' } });
  });
});

const CORPUS = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

/** The model input Node computes for the same bytes: decodeInput (sharp, @cvf/medical) and preprocessing on the CPU. */
async function modelInputInNode(bytes: Uint8Array, preprocess: Record<string, unknown>) {
  const cpu = new CpuDevice();
  const config = pipelineConfigSchema.shape.preprocess.parse(preprocess);
  const decoded = await decodeInput(bytes, undefined, { device: cpu, decoder: sharpImageDecoder, dicom: dicomInputDecoder, window: config.window });
  const batch = await preprocessImages(cpu, [decoded], config);
  return { shape: [...batch.shape], input: Array.from(batch.data) };
}

function modelInputInBrowser(bytes: Uint8Array, preprocess: Record<string, unknown>, mediaType?: string) {
  return opened!.page.evaluate(([b, t, p]) => window.decodeInputToModel(b, t ?? undefined, p), [Array.from(bytes), mediaType ?? null, preprocess] as const);
}

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

describe.skipIf(skip)('decodeInput in the browser, into preprocessing on the page\'s WebGPU', () => {
  const preprocess = { resize: { height: 40, width: 24 }, normalize: { mean: [0.5], std: [0.25] } };

  it('PNG (sniffed, and named): a host image, and the model input Node computes', async () => {
    const png = await encodePng(imageTensor('u8', { height: 9, width: 13, channels: 3 }, opaque(9, 13, 3)));
    const node = await modelInputInNode(png, preprocess);
    for (const type of [undefined, 'image/png']) {
      const page = await modelInputInBrowser(png, preprocess, type);
      if ('error' in page) throw new Error(JSON.stringify(page.error));
      expect(page).toMatchObject({ backend: 'webgpu', kind: 'host-image', shape: node.shape });
      expect(maxAbsDiff(page.input, node.input)).toBeLessThanOrEqual(1e-4);
    }
  });

  it.skipIf(!existsSync(CORPUS))('DICOM through @cvf/medical: windowed into a device image on the GPU, nothing read back, the model input Node computes', async () => {
    const cases = [
      { file: 'CT_small.dcm', window: { preset: 'ct-lung' } },
      { file: 'MR_small.dcm', window: {} },
    ];
    for (const { file, window } of cases) {
      const bytes = new Uint8Array(readFileSync(join(CORPUS, file)));
      const config = { ...preprocess, resize: { height: 40, width: 24, mode: 'nearest' }, window };
      const node = await modelInputInNode(bytes, config);
      const page = await modelInputInBrowser(bytes, config);
      if ('error' in page) throw new Error(`${file}: ${JSON.stringify(page.error)}`);
      expect(page, file).toMatchObject({ backend: 'webgpu', kind: 'device-image', location: 'gpu', reads: 0, shape: node.shape });
      const worst = maxAbsDiff(page.input, node.input);
      console.log(`${file}: browser (WebGPU) − Node (CPU) model input, max |Δ| ${worst.toExponential(2)}`);
      expect(worst, file).toBeLessThanOrEqual(1e-4);
    }
  });

  it('unrecognised bytes and an unsupported media type are INPUT_UNSUPPORTED_MEDIA', async () => {
    expect(await modelInputInBrowser(new TextEncoder().encode('GIF89a not supported'), preprocess)).toMatchObject({ error: { code: 'INPUT_UNSUPPORTED_MEDIA' } });
    expect(await modelInputInBrowser(new Uint8Array(8), preprocess, 'image/gif')).toMatchObject({ error: { code: 'INPUT_UNSUPPORTED_MEDIA', message: expect.stringContaining('image/gif') } });
  });
});
