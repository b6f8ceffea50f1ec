import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, FileError } from '../errors.js';
import { MAX_CONFIG_BYTES } from '../config/limits.js';
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

  const MINIMAL = 'version: 1\nname: encoded\ndata:\n  source: { kind: idx, images: images.gz, labels: labels.gz }\n';

  async function fileWith(bytes: Uint8Array | string): Promise<string> {
    const file = join(await mkdtemp(join(tmpdir(), 'cvf-config-')), 'pipeline.yaml');
    await writeFile(file, bytes);
    return file;
  }

  it(`refuses a file over ${MAX_CONFIG_BYTES} bytes as FILE_TOO_LARGE before reading it`, async () => {
    const file = await fileWith(`${MINIMAL}# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    const error = await loadPipelineConfigFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect(error).toMatchObject({ code: 'FILE_TOO_LARGE', message: expect.stringContaining(`more than the ${MAX_CONFIG_BYTES} allowed`) });
  });

  it('refuses a device as FILE_NOT_REGULAR', async () => {
    await expect(loadPipelineConfigFile('/dev/zero')).rejects.toMatchObject({ code: 'FILE_NOT_REGULAR' });
  });

  it.each([
    ['UTF-16 LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(MINIMAL, 'utf16le')])],
    ['UTF-16 BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(MINIMAL, 'utf16le').swap16()])],
    ['UTF-16 LE without a BOM', Buffer.from(MINIMAL, 'utf16le')],
  ])('says a %s file is UTF-16, at 1:1', async (_, bytes) => {
    const file = await fileWith(bytes);
    const error = await loadPipelineConfigFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([{ file, line: 1, column: 1, path: '', message: 'the file is UTF-16; save it as UTF-8' }]);
  });

  it('refuses bytes that are not UTF-8, at 1:1', async () => {
    const file = await fileWith(Buffer.from(MINIMAL.replace('encoded', 'enc\xe9ded'), 'latin1'));
    const error = await loadPipelineConfigFile(file).catch((e: unknown) => e);
    expect((error as ConfigError).issues).toEqual([{ file, line: 1, column: 1, path: '', message: 'the file is not valid UTF-8; save it as UTF-8' }]);
  });

  it('accepts a UTF-8 byte order mark silently (editors on Windows write one)', async () => {
    const file = await fileWith(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(MINIMAL)]));
    expect((await loadPipelineConfigFile(file)).name).toBe('encoded');
  });
});
