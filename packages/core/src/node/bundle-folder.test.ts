import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findStage, parseManifest } from '../bundle/bundle.js';
import { BUNDLE_SCHEMA_VERSION } from '../bundle/manifest.js';
import { loadBundle } from '../bundle/source.js';
import { CpuDevice } from '../compute/cpu-device.js';
import { Predictor } from '../pipeline/predictor.js';
import { bundleSourceAt, folderSource, readBundleFolder, writeBundleFolder, writeBundleTar } from './bundle-folder.js';
import { sharpImageDecoder } from './image-decode-sharp.js';
import { createOrtNodeRuntime } from './ort-node.js';

// A schema v1 bundle written by `cvf train` before schema v2, with the predictions it gave then.
const V1 = fileURLToPath(new URL('../bundle/fixtures/v1/', import.meta.url));
const tarAvailable = spawnSync('tar', ['--version']).status === 0;

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'cvf-bundle-'));
}

describe('bundle folders and .tar files', () => {
  it('load a v1 bundle as schema v2 stages, and predict what it predicted when it was written', async () => {
    const bundle = await readBundleFolder(join(V1, 'bundle'));
    expect(bundle.manifest.schemaVersion).toBe(BUNDLE_SCHEMA_VERSION);
    expect(bundle.manifest.stages.map((s) => s.kind)).toEqual(['extractor', 'pca', 'index', 'thumbnails', 'head', 'postprocess', 'evaluation']);
    expect(findStage(bundle.manifest, 'postprocess')?.params).toEqual({ temperature: 1, topK: 2 });
    expect(findStage(bundle.manifest, 'index')?.params).toMatchObject({ kind: 'flat', metric: 'cosine', k: 3 });
    const expected = JSON.parse(readFileSync(join(V1, 'expected-predictions.json'), 'utf8')) as { file: string; probabilities: number[]; similar: { id: string }[]; top: unknown[] }[];
    const predictor = await Predictor.load(folderSource(join(V1, 'bundle')), { device: new CpuDevice(), onnxRuntime: await createOrtNodeRuntime() });
    try {
      const images = await Promise.all(expected.map((e) => sharpImageDecoder.decode(readFileSync(join(V1, 'inputs', e.file)))));
      const predictions = await predictor.predict(images);
      predictions.forEach((p, i) => {
        p.probabilities.forEach((v, c) => expect(Math.abs(v - expected[i]!.probabilities[c]!), expected[i]!.file).toBeLessThan(1e-6));
        expect(p.similar.map((s) => s.id)).toEqual(expected[i]!.similar.map((s) => s.id));
        expect(p.top).toHaveLength(expected[i]!.top.length);
      });
      expect(predictor.thumbnail(predictions[0]!.similar[0]!.id)?.shape).toEqual([24, 24, 1]);
      // The PCA features on request (for the inference log), the same predictions either way.
      expect(predictions[0]!.features).toBeUndefined();
      const withFeatures = await predictor.predict(images, { features: true });
      const components = findStage(bundle.manifest, 'pca')!.params.components;
      withFeatures.forEach((p, i) => {
        expect(p.features).toHaveLength(components);
        expect(p.features!.every(Number.isFinite)).toBe(true);
        expect(p.probabilities).toEqual(predictions[i]!.probabilities);
      });
    } finally {
      await predictor.release();
    }
  });

  it('upgrade v1 thresholds, and v1 manifests written before postprocess existed', () => {
    const v1 = JSON.parse(readFileSync(join(V1, 'bundle', 'manifest.json'), 'utf8'));
    const { postprocess: _postprocess, ...older } = { ...v1, thresholds: { bag: 0.3 } };
    const upgraded = parseManifest(new TextEncoder().encode(JSON.stringify(older)));
    expect(findStage(upgraded, 'thresholds')?.params.perClass).toEqual({ bag: 0.3 });
    expect(findStage(upgraded, 'postprocess')?.params).toEqual({ temperature: 1, topK: 2 });
    expect(() => parseManifest(new TextEncoder().encode(JSON.stringify({ ...v1, stages: [...v1.stages, { name: 'mystery', kind: 'x', params: {}, files: [] }] })))).toThrow(
      expect.objectContaining({ code: 'BUNDLE_INVALID', message: expect.stringContaining('mystery') }),
    );
  });

  it('write a folder once, by rename, and never overwrite it', async () => {
    const v1 = await readBundleFolder(join(V1, 'bundle'));
    const { files: _files, ...unsealed } = v1.manifest;
    const dir = join(scratch(), 'b');
    const written = await writeBundleFolder(dir, unsealed, v1.files);
    expect(written).toEqual(v1.manifest);
    expect(readdirSync(join(dir, '..'))).toEqual(['b']);
    expect((await readBundleFolder(dir)).manifest).toEqual(v1.manifest);
    await expect(writeBundleFolder(dir, unsealed, v1.files)).rejects.toMatchObject({ code: 'BUNDLE_INVALID', message: expect.stringContaining('already exists') });
  });

  it('refuse a tampered folder, naming the file, and a missing one', async () => {
    const v1 = await readBundleFolder(join(V1, 'bundle'));
    const { files: _files, ...unsealed } = v1.manifest;
    const dir = join(scratch(), 'b');
    await writeBundleFolder(dir, unsealed, v1.files);
    const head = readFileSync(join(dir, 'head.onnx'));
    head[head.length - 1] = head[head.length - 1]! ^ 1;
    writeFileSync(join(dir, 'head.onnx'), head);
    await expect(readBundleFolder(dir)).rejects.toMatchObject({ code: 'BUNDLE_CORRUPT', message: expect.stringContaining('"head.onnx"') });
    await expect(readBundleFolder(join(dir, 'nope'))).rejects.toMatchObject({ code: 'BUNDLE_NOT_FOUND' });
    await expect(folderSource(dir).read('../manifest.json')).rejects.toMatchObject({ code: 'BUNDLE_INVALID' });
  });

  it('refuse bundle files that are not regular files of the bundle, before reading them', async () => {
    const v1 = await readBundleFolder(join(V1, 'bundle'));
    const { files: _files, ...unsealed } = v1.manifest;
    const dir = join(scratch(), 'b');
    await writeBundleFolder(dir, unsealed, v1.files);
    // A symlink to /dev/zero used to be read until memory ran out.
    rmSync(join(dir, 'index.bin'));
    symlinkSync('/dev/zero', join(dir, 'index.bin'));
    await expect(readBundleFolder(dir)).rejects.toMatchObject({ code: 'BUNDLE_CORRUPT', message: expect.stringContaining('symbolic link') });
    rmSync(join(dir, 'index.bin'));
    execFileSync('mkfifo', [join(dir, 'index.bin')]);
    await expect(readBundleFolder(dir)).rejects.toMatchObject({ code: 'BUNDLE_CORRUPT', message: expect.stringContaining('FIFO') });
    rmSync(join(dir, 'index.bin'));
    writeFileSync(join(dir, 'index.bin'), new Uint8Array(10 << 20));
    await expect(readBundleFolder(dir)).rejects.toMatchObject({ code: 'BUNDLE_CORRUPT', message: expect.stringContaining('not the 880 expected') });
  });

  it.skipIf(!tarAvailable)('export a bundle as a .tar that tar lists, load it back, and read a tar made by tar', async () => {
    const v1 = await readBundleFolder(join(V1, 'bundle'));
    const dir = scratch();
    const archive = join(dir, 'model.tar');
    await writeBundleTar(v1, archive);
    await expect(writeBundleTar(v1, archive)).rejects.toMatchObject({ code: 'BUNDLE_INVALID' });
    const listed = execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).trim().split('\n');
    expect(listed).toEqual(['manifest.json', ...Object.keys(v1.manifest.files)]);
    const fromTar = await loadBundle(await bundleSourceAt(archive));
    expect(fromTar.manifest).toEqual(v1.manifest);

    // GNU tar of the fixture folder: "./"-prefixed names and a directory entry.
    const gnu = join(dir, 'gnu.tar');
    execFileSync('tar', ['-cf', gnu, '-C', join(V1, 'bundle'), '.']);
    expect((await loadBundle(await bundleSourceAt(gnu))).manifest).toEqual(v1.manifest);

    // A symbolic link in an archive is refused, not followed.
    const linked = join(dir, 'linked');
    execFileSync('mkdir', [linked]);
    execFileSync('tar', ['-xf', archive, '-C', linked]);
    symlinkSync('/etc/passwd', join(linked, 'evil'));
    execFileSync('tar', ['-cf', join(dir, 'evil.tar'), '-C', linked, '.']);
    await expect(bundleSourceAt(join(dir, 'evil.tar'))).rejects.toMatchObject({ code: 'BUNDLE_INVALID', message: expect.stringContaining('not a regular file') });
  });
});
