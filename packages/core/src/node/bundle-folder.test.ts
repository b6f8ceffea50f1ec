import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundleFolder, writeBundleFolder } from './bundle-folder.js';
import type { BundleManifest } from '../pipeline/bundle-manifest.js';

const manifest: Omit<BundleManifest, 'files'> = {
  schemaVersion: 1,
  name: 'fashion-mnist',
  version: 3,
  createdAt: '2026-11-27T05:00:00.000Z',
  coreVersion: '0.1.0',
  configHash: 'c0ffee',
  classes: ['coat', 'bag'],
  input: { height: 28, width: 28, channels: 1, formats: ['png', 'dicom'], photometricInterpretations: ['MONOCHROME2'], modalities: [] },
  preprocess: { color: 'gray' },
  stages: [{ name: 'head', kind: 'softmax', params: { inputName: 'x' }, files: ['head.onnx'] }],
  thresholds: null,
  metrics: { accuracy: 0.9 },
};
const files = new Map([
  ['head.onnx', new Uint8Array([1, 2, 3])],
  ['index/cases.jsonl', new TextEncoder().encode('{"id":"a"}\n')],
]);

describe('bundle folders', () => {
  it('round-trip with checksums of every file', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cvf-bundle-')), 'b');
    const written = await writeBundleFolder(dir, manifest, files);
    expect(Object.keys(written.files)).toEqual(['head.onnx', 'index/cases.jsonl']);
    const bundle = await readBundleFolder(dir);
    expect(bundle.manifest).toEqual(written);
    expect([...bundle.files.keys()]).toEqual(['head.onnx', 'index/cases.jsonl']);
    expect(Array.from(bundle.files.get('head.onnx')!)).toEqual([1, 2, 3]);
  });

  it('are never overwritten', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cvf-bundle-')), 'b');
    await writeBundleFolder(dir, manifest, files);
    await expect(writeBundleFolder(dir, manifest, files)).rejects.toMatchObject({ code: 'BUNDLE_INVALID' });
  });

  it('refuse a damaged file, a missing file, an unknown schema version and a non-bundle', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cvf-bundle-')), 'b');
    await writeBundleFolder(dir, manifest, files);
    writeFileSync(join(dir, 'head.onnx'), new Uint8Array([1, 2, 4]));
    await expect(readBundleFolder(dir)).rejects.toMatchObject({ code: 'BUNDLE_CORRUPT', message: expect.stringContaining('head.onnx') });

    const manifestPath = join(dir, 'manifest.json');
    const json = JSON.parse(readFileSync(manifestPath, 'utf8'));
    writeFileSync(manifestPath, JSON.stringify({ ...json, schemaVersion: 9 }));
    await expect(readBundleFolder(dir)).rejects.toMatchObject({ code: 'BUNDLE_VERSION_UNSUPPORTED' });
    writeFileSync(join(dir, 'head.onnx'), new Uint8Array([1, 2, 3]));
    writeFileSync(manifestPath, JSON.stringify({ ...json, files: { ...json.files, 'gone.bin': { size: 1, sha256: '0'.repeat(64) } } }));
    await expect(readBundleFolder(dir)).rejects.toMatchObject({ code: 'BUNDLE_CORRUPT', message: expect.stringContaining('gone.bin') });
    writeFileSync(manifestPath, '{"hello":');
    await expect(readBundleFolder(dir)).rejects.toMatchObject({ code: 'BUNDLE_INVALID' });
    await expect(readBundleFolder(join(dir, 'nope'))).rejects.toMatchObject({ code: 'BUNDLE_NOT_FOUND' });
  });

  it('reject a stage that names a file the bundle lacks, and paths that escape', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cvf-bundle-')), 'b');
    await expect(writeBundleFolder(dir, manifest, new Map())).rejects.toMatchObject({ code: 'BUNDLE_INVALID', message: expect.stringContaining('head.onnx') });
    await expect(writeBundleFolder(dir, manifest, new Map([...files, ['../x', new Uint8Array(1)]]))).rejects.toMatchObject({ code: 'BUNDLE_INVALID' });
  });
});
