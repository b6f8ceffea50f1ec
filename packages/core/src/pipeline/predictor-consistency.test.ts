import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../bundle/sha256.js';
import { memorySource } from '../bundle/source.js';
import { CpuDevice } from '../compute/cpu-device.js';
import { createOrtNodeRuntime } from '../node/ort-node.js';
import { OnnxGraphBuilder } from '../onnx/graph-builder.js';
import { Predictor } from './predictor.js';

// The committed v1 fixture (classes bag, trouser; PCA-4; an MLP head), edited by hand as a careless
// user or an attacker would: every edit keeps the other files' checksums valid.
const FIXTURE = fileURLToPath(new URL('../bundle/fixtures/v1/bundle/', import.meta.url));

function fixtureWith(edit: (manifest: Record<string, any>) => void): Map<string, Uint8Array> {
  const files = new Map(readdirSync(FIXTURE).map((name) => [name, new Uint8Array(readFileSync(join(FIXTURE, name)))]));
  const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json')));
  edit(manifest);
  files.set('manifest.json', new TextEncoder().encode(JSON.stringify(manifest)));
  return files;
}

async function load(files: Map<string, Uint8Array>): Promise<Predictor> {
  return Predictor.load(memorySource(files), { device: new CpuDevice(), onnxRuntime: await createOrtNodeRuntime() });
}

describe('a bundle whose manifest no longer matches its stages is refused', () => {
  it('loads the unedited fixture', async () => {
    await (await load(fixtureWith(() => {}))).release();
  });

  it('a class added: the head maps to 2 classes, the manifest lists 3', async () => {
    await expect(load(fixtureWith((m) => m.classes.push('coat')))).rejects.toMatchObject({ code: 'BUNDLE_INVALID', message: expect.stringContaining('to 2 classes, but the index holds 4 features and the manifest lists 3 classes') });
  });

  it('a class renamed: indexed cases carry a label the manifest no longer lists', async () => {
    await expect(load(fixtureWith((m) => (m.classes[0] = 'handbag')))).rejects.toMatchObject({ code: 'BUNDLE_INVALID', message: expect.stringContaining('"bag", which is not one of the manifest\'s classes') });
  });

  it('a class listed twice, a threshold for an unknown class, topK above the class count', async () => {
    await expect(load(fixtureWith((m) => (m.classes = ['bag', 'bag'])))).rejects.toMatchObject({ code: 'BUNDLE_INVALID', message: expect.stringContaining('a class is listed twice') });
    await expect(load(fixtureWith((m) => (m.thresholds = { coat: 0.5 })))).rejects.toMatchObject({ code: 'BUNDLE_INVALID', message: expect.stringContaining('"coat" is not one of the classes') });
    await expect(load(fixtureWith((m) => (m.postprocess.topK = 5)))).rejects.toMatchObject({ code: 'BUNDLE_INVALID', message: expect.stringContaining('topK 5 exceeds the 2 classes') });
  });

  it('garbage behind a valid checksum gives a coded error naming the file, never a raw parser error', async () => {
    const cases: [string, Uint8Array, string, string][] = [
      ['thumbnails.bin', Uint8Array.of(1, 2, 3, 4), 'BUNDLE_INVALID', '"thumbnails.bin" is not gzip\'d thumbnails'],
      ['head.bin', new Uint8Array(9), 'BUNDLE_INVALID', '"head.bin" is not a saved head'],
      ['cases.json', new TextEncoder().encode('{"ids": 3'), 'BUNDLE_INVALID', '"cases.json" is not JSON'],
      ['head.onnx', new Uint8Array(0), 'ONNX_LOAD_FAILED', 'could not load the model (0 bytes)'],
      ['head.onnx', nanHead(), 'BUNDLE_INVALID', 'non-finite probabilities'],
    ];
    for (const [file, bytes, code, message] of cases) {
      const files = fixtureWith(() => {});
      await replaceSealed(files, file, bytes);
      await expect(load(files), file).rejects.toMatchObject({ code, message: expect.stringContaining(message) });
    }
  });
});

/** Replaces a file and updates its size and checksum in the manifest, as someone editing a bundle would. */
async function replaceSealed(files: Map<string, Uint8Array>, file: string, bytes: Uint8Array): Promise<void> {
  const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json')));
  manifest.files[file] = { size: bytes.length, sha256: await sha256Hex(bytes) };
  files.set(file, bytes);
  files.set('manifest.json', new TextEncoder().encode(JSON.stringify(manifest)));
}

/** A head graph of the fixture's shape (4 features → 2 classes) whose weights are NaN, as a garbled file behind an updated checksum gives. */
function nanHead(): Uint8Array {
  const g = new OnnxGraphBuilder('nan-head');
  const x = g.input('features', 'float32', ['batch', 4]);
  g.output(g.softmax(g.matmul(x, g.initializer('w', new Float32Array(8).fill(Number.NaN), [4, 2])), -1), 'probabilities', ['batch', 2]);
  return g.toBytes();
}
