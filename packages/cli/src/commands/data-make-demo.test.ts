import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

describe('cvf data make-demo medical', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-make-demo-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a CT set, its labels and the medical pipeline; cvf train trains it (n < d for PCA) and cvf predict reads a .dcm of it', async () => {
    const out = join(dir, 'demo-ct');
    const made = await runCli('data', 'make-demo', 'medical', out, '--json');
    expect(made.exitCode, made.stdout + made.stderr).toBe(0);
    const written = JSON.parse(made.stdout);
    expect(written).toMatchObject({ patients: 10, series: 10, images: 160, size: 96, seed: 7, config: join(out, 'train.yaml'), labels: join(out, 'data', 'labels.csv') });
    expect(written.normal + written.abnormal).toBe(160);
    expect(readdirSync(join(out, 'data', 'dicom')).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `CVFDEMO-${String(i + 1).padStart(3, '0')}`));
    expect(readFileSync(join(out, 'train.yaml'), 'utf8')).toBe(readFileSync(join(repo, 'configs/medical/train.yaml'), 'utf8'));

    const store = join(dir, '.cvf');
    const trained = await runCli('train', join(out, 'train.yaml'), '--set', `tracking.store=${store}`, '--json');
    expect(trained.exitCode, trained.stdout + trained.stderr).toBe(0);
    const summary = JSON.parse(trained.stdout.trim().split('\n').at(-1)!);
    expect(summary.model).toEqual({ name: 'ct-slice-classifier', version: 1 });
    // The lesion is visible in the lung window: a linear probe over HOG + PCA separates the slices of unseen patients.
    expect(summary.metrics.test.auroc).toBeGreaterThan(0.8);

    const slice = join(out, 'data', 'dicom', 'CVFDEMO-003', 'series-1', 'slice-008.dcm');
    const predicted = await runCli('predict', 'ct-slice-classifier@staging', slice, '--json', '--store', store);
    expect(predicted.exitCode, predicted.stdout + predicted.stderr).toBe(0);
    const [result] = JSON.parse(predicted.stdout);
    expect(['normal', 'abnormal']).toContain(result.label);
    expect(result.similar.length).toBeGreaterThan(0);
  });

  it('refuses a folder that is not empty, and a kind it does not know, naming the kinds', async () => {
    const full = join(dir, 'full');
    await runCli('data', 'make-demo', 'medical', full, '--patients', '1', '--slices', '1', '--size', '16');
    writeFileSync(join(full, 'mine.txt'), 'keep me');
    const again = await runCli('data', 'make-demo', 'medical', full, '--json');
    expect(again.exitCode).toBe(2);
    expect(JSON.parse(again.stdout).error).toEqual({ code: 'USAGE_INVALID', message: `the output folder "${full}" is not empty; give a new or empty folder` });
    expect(readFileSync(join(full, 'mine.txt'), 'utf8')).toBe('keep me');

    const kind = await runCli('data', 'make-demo', 'fashion', join(dir, 'other'), '--json');
    expect(kind.exitCode).toBe(2);
    expect(JSON.parse(kind.stdout).error.message).toBe('no demo dataset of kind "fashion"; kinds: medical');
    expect(existsSync(join(dir, 'other'))).toBe(false);

    const size = await runCli('data', 'make-demo', 'medical', join(dir, 'other'), '--size', '4');
    expect(size.exitCode).not.toBe(0);
    expect(size.stderr).toContain('expected an integer in 16..1024');
  });
});
