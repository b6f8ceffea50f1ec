import { createSecondaryCapture, writeDicom } from '@cvf/medical';
import { encodePng, imageTensor, Rng } from '@cvf/core';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

// A CT model (data.source.modality: [CT]) given an MR image, a PNG and a CT slice: refused per
// file by its input contract, or predicted and marked with --allow-contract-mismatch.

const PYDICOM_CORPUS = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const available = existsSync(PYDICOM_CORPUS);
if (!available && process.env.CI === 'true') throw new Error(`CI needs ${PYDICOM_CORPUS} (scripts/setup.sh installs it)`);

/** A 28×28 CT slice in HU: air, a body disc, a bright nodule for "abnormal". */
function slice(abnormal: boolean, rng: Rng): Uint16Array {
  return Uint16Array.from({ length: 28 * 28 }, (_, i) => {
    const [x, y] = [i % 28, Math.floor(i / 28)];
    const body = (x - 14) ** 2 + (y - 14) ** 2 < 100;
    const nodule = abnormal && (x - 10) ** 2 + (y - 12) ** 2 < 9;
    const hu = nodule ? 60 : body ? -800 : -1000;
    return Math.round(hu + 2048 + 15 * rng.normal());
  });
}

describe.skipIf(!available)('cvf predict and the input contract', () => {
  let dir: string;
  let bundle: string;
  let files: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-predict-contract-'));
    const root = join(dir, 'dicom');
    mkdirSync(root);
    const rng = new Rng(2);
    const rows = ['sopInstanceUID,label'];
    for (let i = 0; i < 40; i++) {
      const sop = `2.25.${3000 + i}`;
      const file = createSecondaryCapture({ rows: 28, columns: 28, pixels: slice(i % 2 === 1, rng), bitsStored: 12, modality: 'CT', rescale: { slope: 1, intercept: -2048 }, patientId: `P${i}`, sopInstanceUID: sop });
      writeFileSync(join(root, `${i}.dcm`), writeDicom(file));
      rows.push(`${sop},${i % 2 === 1 ? 'abnormal' : 'normal'}`);
    }
    writeFileSync(join(dir, 'labels.csv'), `${rows.join('\n')}\n`);
    writeFileSync(
      join(dir, 'pipeline.yaml'),
      `version: 1
name: ct-contract
data:
  source: { kind: dicom-folder, root: dicom, labels: { path: labels.csv }, modality: [CT] }
  splits: { train: 0.6, val: 0.2, test: 0.2, seed: 3 }
preprocess:
  resize: { height: 32, width: 32, mode: nearest }
  color: gray
  window: { preset: ct-lung }
features: { kind: pixels }
index: { kind: flat, metric: cosine, k: 3 }
model: { head: softmax }
train: { epochs: 10, batchSize: 16, optimizer: { kind: adam, lr: 0.01 }, earlyStopping: { enabled: false } }
registry: { register: false }
tracking: { store: ${join(dir, '.cvf')} }
`,
    );
    const trained = await runCli('train', join(dir, 'pipeline.yaml'), '--json');
    expect(trained.exitCode, trained.stdout.slice(-2000) + trained.stderr).toBe(0);
    const lines = trained.stdout.trim().split('\n');
    bundle = (JSON.parse(lines[lines.length - 1]!) as { bundle: string }).bundle;
    const png = join(dir, 'handbag.png');
    writeFileSync(png, await encodePng(imageTensor('u8', { height: 28, width: 28, channels: 3 }, Uint8Array.from({ length: 28 * 28 * 3 }, (_, i) => (i * 37) % 256))));
    files = [join(root, '1.dcm'), join(PYDICOM_CORPUS, 'MR_small.dcm'), png];
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses the MR image and the PNG per file with INPUT_CONTRACT_MISMATCH (exit 1); the CT slice is predicted', async () => {
    const result = await runCli('predict', bundle, ...files, '--json');
    expect(result.exitCode).toBe(1);
    const [ct, mr, png] = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(ct).toMatchObject({ label: 'abnormal', outOfDistribution: false });
    expect(ct).not.toHaveProperty('contractMismatches');
    expect(mr).toMatchObject({ error: { code: 'INPUT_CONTRACT_MISMATCH', field: 'modality', expected: 'CT', found: 'MR' } });
    expect((mr!.error as { message: string }).message).toMatch(/MR_small\.dcm: the input does not suit this model: modality is MR, its input contract expects CT; to predict anyway/);
    expect(png).toMatchObject({ error: { code: 'INPUT_CONTRACT_MISMATCH', field: 'modality', found: 'none (a PNG image has no DICOM Modality)' } });
  });

  it('--allow-contract-mismatch predicts them anyway and marks the results', async () => {
    const result = await runCli('predict', bundle, ...files, '--json', '--allow-contract-mismatch');
    expect(result.exitCode, result.stderr).toBe(0);
    const [ct, mr, png] = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(ct).not.toHaveProperty('contractMismatches');
    expect(mr).toMatchObject({ contractMismatches: [{ field: 'modality', expected: 'CT', found: 'MR' }] });
    expect(png).toMatchObject({ contractMismatches: [{ field: 'modality', expected: 'CT' }] });
    for (const p of [ct, mr, png]) expect(typeof p!.nearestCaseDistance).toBe('number');
    const text = await runCli('predict', bundle, files[1]!, '--allow-contract-mismatch');
    expect(text.stdout).toMatch(/MR_small\.dcm: .*\[contract mismatch: modality MR, expected CT\]/);
  });
});
