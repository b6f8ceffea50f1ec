import { describe, expect, it } from 'vitest';
import { preprocessSchema } from '../config/sections/preprocess.js';
import { findStage, parseManifest, requireStage, sealBundle, stageFiles } from './bundle.js';
import { MANIFEST_FILE } from './bundle-path.js';
import { BUNDLE_SCHEMA_VERSION, type UnsealedManifest } from './manifest.js';
import { loadBundle, memorySource } from './source.js';
import { readTar, writeTar } from './tar.js';
import { tarSource } from './sources/tar-source.js';

const manifest: UnsealedManifest = {
  schemaVersion: BUNDLE_SCHEMA_VERSION,
  name: 'garments',
  version: 3,
  createdAt: '2026-12-06T05:00:00.000Z',
  coreVersion: '0.1.0',
  configHash: 'c0ffee',
  classes: ['coat', 'bag'],
  input: { height: 28, width: 28, channels: 1, formats: ['png', 'dicom'], photometricInterpretations: ['MONOCHROME2'], modalities: [] },
  preprocess: preprocessSchema.parse({ resize: { height: 28, width: 28 } }),
  stages: [
    { kind: 'head', params: { head: 'softmax', inputName: 'features', outputName: 'probabilities' }, files: { graph: 'head.onnx', state: 'model/head.bin' } },
    { kind: 'postprocess', params: { temperature: 1.5, topK: 2 }, files: {} },
    { kind: 'thresholds', params: { perClass: { bag: 0.4 } }, files: {} },
  ],
  metrics: { test: { accuracy: 0.9, auroc: null } },
};
const files = new Map([
  ['head.onnx', new Uint8Array([1, 2, 3])],
  ['model/head.bin', new Uint8Array([4, 5])],
]);

async function sealedFiles(m: UnsealedManifest = manifest, f: ReadonlyMap<string, Uint8Array> = files): Promise<Map<string, Uint8Array>> {
  const { manifestBytes } = await sealBundle(m, f);
  return new Map([[MANIFEST_FILE, manifestBytes], ...f]);
}

function editManifest(all: Map<string, Uint8Array>, edit: (json: Record<string, any>) => void): Map<string, Uint8Array> {
  const json = JSON.parse(new TextDecoder().decode(all.get(MANIFEST_FILE)));
  edit(json);
  return new Map([...all, [MANIFEST_FILE, new TextEncoder().encode(JSON.stringify(json))]]);
}

describe('bundle contract', () => {
  it('seals a manifest with the checksum of every file and loads it back, its stages typed by kind', async () => {
    const bundle = await loadBundle(memorySource(await sealedFiles()));
    expect(Object.keys(bundle.manifest.files)).toEqual(['head.onnx', 'model/head.bin']);
    expect(bundle.manifest.files['head.onnx']).toEqual({ size: 3, sha256: '039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81' });
    const head = requireStage(bundle.manifest, 'head');
    expect(head.params.head).toBe('softmax');
    expect(Array.from(stageFiles(bundle, head).state)).toEqual([4, 5]);
    expect(findStage(bundle.manifest, 'postprocess')?.params.temperature).toBe(1.5);
    expect(findStage(bundle.manifest, 'pca')).toBeUndefined();
    expect(() => requireStage(bundle.manifest, 'extractor')).toThrow(expect.objectContaining({ code: 'BUNDLE_INVALID', message: expect.stringContaining('"extractor"') }));
  });

  it('refuses a tampered or missing file with BUNDLE_CORRUPT naming it', async () => {
    const all = await sealedFiles();
    const tampered = new Map([...all, ['model/head.bin', new Uint8Array([4, 6])]]);
    await expect(loadBundle(memorySource(tampered))).rejects.toMatchObject({ code: 'BUNDLE_CORRUPT', message: expect.stringContaining('"model/head.bin"') });
    const missing = new Map(all);
    missing.delete('head.onnx');
    await expect(loadBundle(memorySource(missing))).rejects.toMatchObject({ code: 'BUNDLE_CORRUPT', message: expect.stringContaining('"head.onnx" is missing') });
    await expect(loadBundle(memorySource(new Map(), 'somewhere'))).rejects.toMatchObject({ code: 'BUNDLE_NOT_FOUND', message: expect.stringContaining('somewhere') });
  });

  it('refuses manifest paths that leave the bundle, before reading anything', async () => {
    const all = await sealedFiles();
    for (const path of ['../secret', '/etc/passwd', 'a/../../b', 'C:/x', 'a\\..\\b', './head.onnx']) {
      const read: string[] = [];
      const source = memorySource(
        editManifest(all, (json) => {
          json.files[path] = json.files['head.onnx'];
          delete json.files['head.onnx'];
          json.stages[0].files.graph = path;
        }),
      );
      const spy = { location: 'x', read: (p: string) => (read.push(p), source.read(p)) };
      await expect(loadBundle(spy), path).rejects.toMatchObject({ code: 'BUNDLE_INVALID', message: expect.stringContaining(path) });
      expect(read).toEqual([MANIFEST_FILE]);
    }
    await expect(sealBundle(manifest, new Map([...files, ['../x', new Uint8Array(1)]]))).rejects.toMatchObject({ code: 'BUNDLE_INVALID', message: expect.stringContaining('../x') });
  });

  it('refuses stages and files that do not match: a missing file, an unowned file, a repeated kind, bad params', async () => {
    await expect(sealBundle(manifest, new Map([['head.onnx', new Uint8Array(1)]]))).rejects.toMatchObject({ code: 'BUNDLE_INVALID', message: expect.stringContaining('model/head.bin') });
    await expect(sealBundle(manifest, new Map([...files, ['extra.bin', new Uint8Array(1)]]))).rejects.toMatchObject({ code: 'BUNDLE_INVALID', message: expect.stringContaining('"extra.bin" belongs to no stage') });
    const twice = { ...manifest, stages: [...manifest.stages, { kind: 'postprocess' as const, params: { temperature: 1, topK: 1 }, files: {} }] };
    await expect(sealBundle(twice, files)).rejects.toMatchObject({ code: 'BUNDLE_INVALID', message: expect.stringContaining('a second "postprocess" stage') });
    const all = await sealedFiles();
    const badParams = editManifest(all, (json) => (json.stages[1].params.temperature = -1));
    await expect(loadBundle(memorySource(badParams))).rejects.toMatchObject({ code: 'BUNDLE_INVALID', message: expect.stringContaining('stages.1.params.temperature') });
    const unknownKind = editManifest(all, (json) => (json.stages[1].kind = 'magic'));
    await expect(loadBundle(memorySource(unknownKind))).rejects.toMatchObject({ code: 'BUNDLE_INVALID' });
  });

  it('names unsupported schema versions and non-JSON manifests', async () => {
    const all = await sealedFiles();
    expect(() => parseManifest(all.get(MANIFEST_FILE)!.map((b) => b))).not.toThrow();
    await expect(loadBundle(memorySource(editManifest(all, (json) => (json.schemaVersion = 9))))).rejects.toMatchObject({ code: 'BUNDLE_VERSION_UNSUPPORTED', message: expect.stringContaining('version 9') });
    expect(() => parseManifest(new TextEncoder().encode('{"hello":'))).toThrow(expect.objectContaining({ code: 'BUNDLE_INVALID' }));
  });
});

describe('bundle archives (.tar)', () => {
  it('round-trip a bundle through tarSource', async () => {
    const all = await sealedFiles();
    const archive = writeTar(all);
    expect(archive.byteLength % 512).toBe(0);
    const bundle = await loadBundle(tarSource(archive));
    expect(Array.from(bundle.files.get('model/head.bin')!)).toEqual([4, 5]);
  });

  it('read long names through the ustar prefix, and drop a leading ./', () => {
    const long = `${'d'.repeat(120)}/${'f'.repeat(90)}.bin`;
    expect([...readTar(writeTar([[long, new Uint8Array([7])]])).keys()]).toEqual([long]);
    const dotted = writeTar([['x.bin', new Uint8Array([1])]]);
    dotted.set(new TextEncoder().encode('./x.bin'), 0);
    fixChecksum(dotted, 0);
    expect([...readTar(dotted).keys()]).toEqual(['x.bin']);
  });

  it('refuse links, traversal, repeated entries, bad checksums and truncation', () => {
    const archive = writeTar([['a.bin', new Uint8Array(600)]]);
    const link = archive.slice();
    link[156] = '2'.charCodeAt(0);
    fixChecksum(link, 0);
    expect(() => readTar(link)).toThrow(expect.objectContaining({ code: 'BUNDLE_INVALID', message: expect.stringContaining('not a regular file') }));
    const traversal = archive.slice();
    traversal.set(new TextEncoder().encode('../a.bin'), 0);
    fixChecksum(traversal, 0);
    expect(() => readTar(traversal)).toThrow(expect.objectContaining({ code: 'BUNDLE_INVALID', message: expect.stringContaining('../a.bin') }));
    expect(() => readTar(writeTar([['a.bin', new Uint8Array(1)], ['a.bin', new Uint8Array(1)]]))).toThrow(expect.objectContaining({ message: expect.stringContaining('twice') }));
    const corrupt = archive.slice();
    corrupt[10] = 65;
    expect(() => readTar(corrupt)).toThrow(expect.objectContaining({ message: expect.stringContaining('checksum') }));
    expect(() => readTar(archive.subarray(0, 1024))).toThrow(expect.objectContaining({ message: expect.stringContaining('runs past the end') }));
    expect(() => readTar(archive.subarray(0, 1536))).toThrow(expect.objectContaining({ message: expect.stringContaining('two zero blocks') }));
  });
});

/** Recomputes a ustar header's checksum after a test edited it. */
function fixChecksum(archive: Uint8Array, offset: number): void {
  const header = archive.subarray(offset, offset + 512);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
  header.set(new TextEncoder().encode(`${sum.toString(8).padStart(7, '0')}\0`), 148);
}
