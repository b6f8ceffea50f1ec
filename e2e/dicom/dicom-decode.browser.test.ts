// @cvf/medical's DICOM decoder bundled for the browser (esbuild, code splitting) and run in headless
// Chromium: every codec loads lazily from its own chunk and .wasm, and decodes what Node decodes.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrames, parseDicom, TransferSyntax } from '@cvf/medical';
import { buildPart10, imagePixelElements } from '@cvf/medical/testing';
import { requireInCi } from '@cvf/core/testing';
import { openBundledPage, type BundledPage } from '../support/browser-page.js';
import { chromiumUnavailable } from '../support/chromium.js';
import type { StaticFile } from '../support/static-server.js';

const CORPUS = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const FILES = [
  'MR_small_jp2klossless.dcm', // JPEG 2000 (OpenJPEG)
  'MR_small_jpeg_ls_lossless.dcm', // JPEG-LS (CharLS)
  'SC_rgb_dcmtk_+eb+cy+np.dcm', // JPEG baseline YBR_FULL_422 (libjpeg-turbo)
  'JPGExtended.dcm', // JPEG extended 12-bit (CV Factory's decoder)
  'SC_rgb_jpeg_gdcm.dcm', // JPEG lossless SV1 (jpeg-lossless-decoder-js)
  'MR_small_RLE.dcm', // RLE
  'image_dfl.dcm', // deflated data set (fflate)
];
const WASM = [
  '@cornerstonejs/codec-charls/decodewasm',
  '@cornerstonejs/codec-openjpeg/decodewasm',
  '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm',
  '@cornerstonejs/codec-openjph/wasm',
];

const skip = chromiumUnavailable() ?? requireInCi("pydicom's corpus (python3-pydicom)", existsSync(CORPUS) || `no pydicom corpus at ${CORPUS}`);
let opened: BundledPage | undefined;

beforeAll(async () => {
  if (skip) return;
  const require = createRequire(fileURLToPath(new URL('../../packages/medical/package.json', import.meta.url)));
  const files: Record<string, StaticFile> = {};
  for (const spec of WASM) {
    const path = require.resolve(spec);
    files[`/wasm/${basename(path)}`] = { type: 'application/wasm', body: readFileSync(path) };
  }
  opened = await openBundledPage(new URL('./browser-entry.ts', import.meta.url), {
    ready: 'decodeDicom',
    title: 'dicom decode',
    // Each codec in its own chunk; the Emscripten glue requires fs/path only on its Node code path.
    build: { splitting: true, external: ['fs', 'path'] },
    files,
  });
});
afterAll(() => opened?.close());

async function decodeInBrowser(bytes: Uint8Array) {
  return opened!.page.evaluate((b) => window.decodeDicom(b), Array.from(bytes));
}

async function decodeInNode(bytes: Uint8Array) {
  const image = await decodeFrames(parseDicom(bytes));
  return { transferSyntaxUID: image.transferSyntaxUID, photometricInterpretation: image.photometricInterpretation, data: image.data.map((d) => Array.from(d)) };
}

describe.skipIf(skip)('DICOM decoding in Chromium', () => {
  it('loads no codec before a frame needs it', async () => {
    const loaded = await opened!.page.evaluate(() => window.loadedScripts());
    expect(loaded.filter((p) => p.endsWith('.wasm'))).toEqual([]);
  });

  for (const name of FILES) {
    it(`${name}: the page decodes what Node decodes`, async () => {
      const bytes = new Uint8Array(readFileSync(join(CORPUS, name)));
      const inBrowser = await decodeInBrowser(bytes);
      expect(inBrowser).toEqual(await decodeInNode(bytes));
    });
  }

  it('HTJ2K (encoded here with OpenJPH): the page decodes what Node decodes, and has loaded each codec once', async () => {
    const openjph = (await import('@cornerstonejs/codec-openjph/wasmjs')).default;
    const codec = await openjph({ print: () => {}, printErr: () => {} });
    const pixels = new Uint16Array(24 * 16).map((_, i) => (i * 97) % 4096);
    const encoder = new codec.HTJ2KEncoder();
    encoder.getDecodedBuffer({ width: 16, height: 24, bitsPerSample: 16, componentCount: 1, isSigned: false, isUsingColorTransform: false }).set(new Uint8Array(pixels.buffer));
    encoder.encode();
    const frame = encoder.getEncodedBuffer().slice();
    encoder.delete();
    const bytes = buildPart10(imagePixelElements({ rows: 24, columns: 16, bitsAllocated: 16, bitsStored: 12 }), { transferSyntaxUID: TransferSyntax.HTJ2KLossless, encapsulatedFrames: [frame] });
    const inBrowser = await decodeInBrowser(bytes);
    expect(inBrowser).toEqual(await decodeInNode(bytes));
    expect('data' in inBrowser && inBrowser.data[0]).toEqual(Array.from(pixels));
    const wasm = (await opened!.page.evaluate(() => window.loadedScripts())).filter((p) => p.endsWith('.wasm')).sort();
    expect(wasm).toEqual(['/wasm/charlswasm_decode.wasm', '/wasm/libjpegturbowasm_decode.wasm', '/wasm/openjpegwasm_decode.wasm', '/wasm/openjphjs.wasm']);
  });
});
