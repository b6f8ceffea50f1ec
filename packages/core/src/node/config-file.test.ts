import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, FileError } from '../errors.js';
import { loadPipelineConfigFile } from './config-file.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const fashionConfig = join(repoRoot, 'configs/fashion-mnist/train.yaml');
const medicalConfig = join(repoRoot, 'configs/medical/train.yaml');

describe('loadPipelineConfigFile', () => {
  it('validates the committed Fashion-MNIST pipeline: IDX files, HOG, PCA, MLP head', async () => {
    const config = await loadPipelineConfigFile(fashionConfig);
    expect(config.data.source).toEqual({
      kind: 'idx',
      images: '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz',
      labels: '/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz',
    });
    expect(config.data.classes).toHaveLength(10);
    expect(config.preprocess).toMatchObject({ resize: { height: 28, width: 28 }, color: 'gray' });
    expect(config.features).toEqual({ kind: 'hog', hog: { cellSize: 4, blockSize: 2, bins: 9 } });
    expect(config.pca).toMatchObject({ enabled: true, components: 128 });
    expect(config.model.head).toBe('mlp');
  });

  it.skipIf(!existsSync('/usr/share/datasets/fashion-mnist'))(
    'points the Fashion-MNIST pipeline at the files of the Debian dataset-fashion-mnist package',
    async () => {
      const config = await loadPipelineConfigFile(fashionConfig);
      for (const source of [config.data.source, config.data.test]) {
        if (source?.kind !== 'idx') throw new Error('expected IDX sources');
        expect(existsSync(source.images), source.images).toBe(true);
        expect(existsSync(source.labels), source.labels).toBe(true);
      }
    },
  );

  it('validates the committed medical pipeline: DICOM folder, labels CSV, CT windowing', async () => {
    const config = await loadPipelineConfigFile(medicalConfig);
    expect(config.data.source).toMatchObject({ kind: 'dicom-folder', labels: { key: 'sopInstanceUID' }, modality: ['CT'] });
    expect(config.data.splits.groupBy).toBe('patientId');
    expect(config.preprocess.window).toMatchObject({ preset: 'ct-lung', function: 'LINEAR' });
    expect(config.evaluate.positiveClass).toBe('abnormal');
    expect(config.train.earlyStopping.mode).toBe('max');
  });

  it('reports a missing file as FILE_UNREADABLE', async () => {
    const missing = join(tmpdir(), 'cvf-no-such-dir', 'pipeline.yaml');
    const error = await loadPipelineConfigFile(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect(error).toMatchObject({ code: 'FILE_UNREADABLE', message: `cannot read pipeline config "${missing}": no such file` });
  });

  it('labels the issues of an invalid file with its path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cvf-config-'));
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'version: 1\nname: x\ndata:\n  source: { kind: folder }\n');
    const error = await loadPipelineConfigFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      { file, line: 4, column: 11, path: 'data.source.root', message: 'missing required key "root"' },
    ]);
  });
});
