import { AuditLog, auditPaths } from '@cvf/medical/node';
import { createSecondaryCapture, writeDicom } from '@cvf/medical';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

/** A 16×16 slice: a bright horizontal band (label 0) or a bright vertical band (label 1), with noise. */
function band(label: number, seed: number): Uint8Array {
  const pixels = new Uint8Array(256);
  let s = seed * 7919 + 17;
  for (let y = 0; y < 16; y++) {
    for (let x = 0; x < 16; x++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      const on = label === 0 ? Math.abs(y - 7.5) < 2 : Math.abs(x - 7.5) < 2;
      pixels[y * 16 + x] = (on ? 200 : 40) + (s % 30);
    }
  }
  return pixels;
}

describe('cvf audit', () => {
  let dir: string;
  let store: string;
  let bundle: string;
  const sops: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-audit-cli-'));
    store = join(dir, '.cvf');
    mkdirSync(join(dir, 'dicom'));
    const rows = ['sopInstanceUID,label'];
    for (let i = 0; i < 24; i++) {
      const sop = `2.25.${9100 + i}`;
      sops.push(sop);
      const file = createSecondaryCapture({ rows: 16, columns: 16, pixels: band(i % 2, i), patientId: `P${i}`, patientName: 'Doe^Jane', sopInstanceUID: sop });
      writeFileSync(join(dir, 'dicom', `${i}.dcm`), writeDicom(file));
      rows.push(`${sop},${i % 2 ? 'vertical' : 'horizontal'}`);
    }
    writeFileSync(join(dir, 'labels.csv'), `${rows.join('\n')}\n`);
    writeFileSync(
      join(dir, 'pipeline.yaml'),
      `version: 1
name: audit-bands
data:
  source: { kind: dicom-folder, root: dicom, labels: { path: labels.csv } }
  splits: { train: 0.6, val: 0.2, test: 0.2, seed: 3 }
preprocess:
  resize: { height: 16, width: 16 }
  color: gray
  normalize: { mean: [0.5], std: [0.25] }
features:
  kind: hog
  hog: { cellSize: 4, blockSize: 2, bins: 9 }
pca: { enabled: true, components: 8 }
index: { kind: flat, metric: cosine, k: 3 }
model: { head: softmax }
train: { epochs: 10, batchSize: 8, optimizer: { kind: adam, lr: 0.02 } }
registry: { register: true, modelName: audit-bands }
tracking: { store: ${store} }
`,
    );
    const trained = await runCli('train', join(dir, 'pipeline.yaml'), '--json');
    expect(trained.exitCode, trained.stdout.slice(-2000) + trained.stderr).toBe(0);
    const lines = trained.stdout.trim().split('\n');
    bundle = (JSON.parse(lines[lines.length - 1]!) as { bundle: string }).bundle;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('cvf predict appends one record per decided file, with the salted instance hash and nothing of the patient', async () => {
    const files = [0, 1, 2].map((i) => join(dir, 'dicom', `${i}.dcm`));
    const predicted = await runCli('predict', bundle, ...files, '--store', store, '--device', 'cpu', '--json');
    expect(predicted.exitCode, predicted.stderr).toBe(0);
    const labels = (JSON.parse(predicted.stdout) as { label: string }[]).map((p) => p.label);
    const text = readFileSync(auditPaths(store).log, 'utf8');
    const records = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(records.map((r) => r.sequence)).toEqual([1, 2, 3]);
    expect(records.map((r) => r.source)).toEqual(['cli', 'cli', 'cli']);
    expect(records.map((r) => r.decision.class)).toEqual(labels);
    // A bundle given by path has no registry version.
    expect(records[0].model).toEqual({ name: 'audit-bands', version: null, configHash: expect.stringMatching(/^[0-9a-f]+$/) });
    const log = await AuditLog.open(store);
    expect(records.map((r) => r.instance)).toEqual(await Promise.all(sops.slice(0, 3).map((s) => log.hashInstance(s))));
    for (const secret of ['2.25.910', 'Doe', 'P0', dir]) expect(text).not.toContain(secret);
    // --no-audit: nothing appended.
    expect((await runCli('predict', bundle, files[0]!, '--store', store, '--device', 'cpu', '--no-audit', '--json')).exitCode).toBe(0);
    expect(readFileSync(auditPaths(store).log, 'utf8')).toBe(text);
    // A registered model is named with its registry version.
    expect((await runCli('predict', 'audit-bands@1', files[0]!, '--store', store, '--device', 'cpu', '--json')).exitCode).toBe(0);
    const last = JSON.parse(readFileSync(auditPaths(store).log, 'utf8').trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ sequence: 4, model: { name: 'audit-bands', version: 1 } });
  });

  it('verify says the chain is intact, then names the record whose byte was edited (exit 1); export gives JSON lines of a range', async () => {
    const intact = await runCli('audit', 'verify', '--store', store);
    expect(intact.exitCode, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/4 record\(s\), chain intact; head [0-9a-f]{64}/);

    const exported = await runCli('audit', 'export', '--store', store, '--from', '2000-01-01', '--to', '2999-01-01');
    expect(exported.exitCode).toBe(0);
    expect(exported.stdout.trim().split('\n').map((l) => JSON.parse(l).sequence)).toEqual([1, 2, 3, 4]);
    expect((await runCli('audit', 'export', '--store', store, '--to', '2000-01-01')).stdout).toBe('');
    const badRange = await runCli('audit', 'export', '--store', store, '--from', 'last week', '--json');
    expect(badRange.exitCode).toBe(2);
    expect(JSON.parse(badRange.stdout).error).toMatchObject({ code: 'AUDIT_INVALID', message: expect.stringContaining('"last week"') });

    const path = auditPaths(store).log;
    const bytes = readFileSync(path);
    const second = bytes.indexOf('"probability":', bytes.indexOf('\n') + 1) + '"probability":0.'.length;
    bytes[second] = bytes[second] === 0x39 ? 0x38 : bytes[second]! + 1;
    writeFileSync(path, bytes);
    const broken = await runCli('audit', 'verify', '--store', store, '--json');
    expect(broken.exitCode).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ records: 1, broken: { sequence: 2, line: 2, reason: expect.stringContaining('does not match its hash') } });
    const partial = await runCli('audit', 'export', '--store', store);
    expect(partial.exitCode).toBe(1);
    expect(partial.stdout.trim().split('\n')).toHaveLength(1);
    expect(partial.stderr).toContain('record 2');
  });
});
