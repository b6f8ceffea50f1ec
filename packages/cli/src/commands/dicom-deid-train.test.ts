import { makeDemoCtSet, parseDicom } from '@cvf/medical';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

const cvf = runCli;

/** Every file under `dir`, as paths relative to it. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

function pipeline(root: string, labels: string, store: string): string {
  return `version: 1
name: deid-ct
data:
  source:
    kind: dicom-folder
    root: ${root}
    labels: { path: ${labels}, key: sopInstanceUID, labelColumn: label }
    modality: [CT]
  classes: [normal, abnormal]
  splits: { train: 0.5, val: 0.25, test: 0.25, seed: 1, groupBy: patientId }
preprocess:
  resize: { height: 32, width: 32 }
  color: gray
  window: { preset: ct-lung }
features: { kind: hog, hog: { cellSize: 8, blockSize: 2, bins: 9 } }
pca: { enabled: true, components: 8 } # auto: n < d here
index: { kind: flat, metric: cosine, k: 3 }
model: { head: softmax }
train: { epochs: 3, batchSize: 16, optimizer: { kind: adam, lr: 0.01 } }
registry: { register: false }
tracking: { store: ${store} }
`;
}

describe('cvf dicom deid → cvf train (labels keyed by SOPInstanceUID, patient-level splits)', () => {
  let root: string;
  const set = makeDemoCtSet({ patients: 8, slices: 4, size: 32, seed: 11 });
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'cvf-deid-train-'));
    for (const { path, bytes } of set.files) {
      mkdirSync(dirname(join(root, 'in', path)), { recursive: true });
      writeFileSync(join(root, 'in', path), bytes);
    }
    writeFileSync(join(root, 'labels.csv'), set.labelsCsv);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('pseudonymises PatientID with the key file, writes the UID map outside the output, rewrites the labels, and the output trains with groupBy patientId', async () => {
    const key = join(root, 'secrets', 'deid.key');
    const map = join(root, 'secrets', 'uid-map.csv');
    const run = await cvf('dicom', 'deid', join(root, 'in', 'dicom'), join(root, 'out'), '--key-file', key, '--uid-map', map, '--labels', join(root, 'labels.csv'), '--json');
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.written).toHaveLength(32);
    expect(report.keyFile).toEqual({ path: key, created: true, readableByOthers: false });
    expect(report.map).toEqual({ path: map, uids: 32 + 8 + 8, patientIds: 8 });
    expect(report.labels).toEqual({ input: join(root, 'labels.csv'), output: join(root, 'out', 'labels.csv'), rows: 32, columns: ['sopInstanceUID'], unmatched: 0 });
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(statSync(map).mode & 0o777).toBe(0o600);
    expect(readFileSync(key, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);

    // One pseudonym per patient, the same in all of their files, nothing of the original ID left.
    const reidentify = new Map(readFileSync(map, 'utf8').trim().split('\n').slice(1).map((row) => row.split(',')).map(([kind, original, replaced]) => [`${kind}:${replaced}`, original!]));
    const sops = new Map<string, string>(); // new SOPInstanceUID → pseudonym
    for (const path of files(join(root, 'out')).filter((p) => p.endsWith('.dcm'))) {
      const bytes = new Uint8Array(readFileSync(join(root, 'out', path)));
      const file = parseDicom(bytes);
      const pseudonym = file.string('00100020')!;
      expect(pseudonym).toMatch(/^ANON-[0-9A-F]{20}$/);
      expect(reidentify.get(`patientId:${pseudonym}`)).toBe(path.split('/')[0]);
      expect(new TextDecoder('latin1').decode(bytes)).not.toContain('CVFDEMO-');
      expect(reidentify.get(`uid:${file.string('00080018')}`)).toMatch(/^2\.25\./);
      sops.set(file.string('00080018')!, pseudonym);
    }
    expect(new Set(sops.values()).size).toBe(8);
    // The labels follow the files: the same labels, in the same order, under the new UIDs.
    const newLabels = readFileSync(join(root, 'out', 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((row) => row.split(','));
    const oldLabels = set.labelsCsv.trim().split('\n').slice(1).map((row) => row.split(','));
    expect(newLabels.map(([, label]) => label)).toEqual(oldLabels.map(([, label]) => label));
    for (const [[uid], [oldUid]] of newLabels.map((row, i) => [row, oldLabels[i]!] as const)) {
      expect(sops.has(uid!)).toBe(true);
      expect(reidentify.get(`uid:${uid}`)).toBe(oldUid);
    }

    // A real training run on the de-identified copy, split by the pseudonymised patients.
    const store = join(root, '.cvf');
    writeFileSync(join(root, 'deid.yaml'), pipeline(join(root, 'out'), join(root, 'out', 'labels.csv'), store));
    const trained = await cvf('train', join(root, 'deid.yaml'), '--json');
    expect(trained.exitCode, trained.stdout + trained.stderr).toBe(0);
    const summary = JSON.parse(trained.stdout.trim().split('\n').at(-1)!);
    const trainCases = JSON.parse(readFileSync(join(summary.bundle, 'cases.json'), 'utf8')).ids as string[];
    expect(trainCases.length).toBeGreaterThan(0);
    const trainPatients = new Set(trainCases.map((id) => sops.get(id)));
    const otherPatients = new Set([...sops].filter(([id]) => !trainCases.includes(id)).map(([, patient]) => patient));
    expect(otherPatients.size).toBeGreaterThan(0);
    for (const patient of otherPatients) expect(trainPatients.has(patient)).toBe(false);
  });

  it('gives the same UIDs and pseudonyms in a second run with the same key file, other ones with another key', async () => {
    const key = join(root, 'again.key');
    const first = JSON.parse((await cvf('dicom', 'deid', join(root, 'in', 'dicom', 'CVFDEMO-001'), join(root, 'one'), '--key-file', key, '--json')).stdout);
    expect(first.keyFile.created).toBe(true);
    const second = JSON.parse((await cvf('dicom', 'deid', join(root, 'in', 'dicom', 'CVFDEMO-001'), join(root, 'two'), '--key-file', key, '--json')).stdout);
    expect(second.keyFile.created).toBe(false);
    await cvf('dicom', 'deid', join(root, 'in', 'dicom', 'CVFDEMO-001'), join(root, 'three'), '--secret', 'another key');
    const ids = (folder: string) => files(join(root, folder)).map((p) => parseDicom(new Uint8Array(readFileSync(join(root, folder, p))))).map((f) => [f.string('00080018'), f.string('00100020')]);
    expect(ids('two')).toEqual(ids('one'));
    expect(ids('three')[0]![0]).not.toBe(ids('one')[0]![0]);
    expect(ids('three')[0]![1]).not.toBe(ids('one')[0]![1]);
  });

  it('with --layout uids, names the output by the new UIDs, so folder names that hold patient IDs stay behind', async () => {
    const run = await cvf('dicom', 'deid', join(root, 'in', 'dicom'), join(root, 'by-uid'), '--secret', 'k', '--layout', 'uids', '--json');
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const paths = files(join(root, 'by-uid'));
    expect(paths).toHaveLength(32);
    for (const path of paths) {
      expect(path).not.toContain('CVFDEMO');
      const file = parseDicom(new Uint8Array(readFileSync(join(root, 'by-uid', path))));
      expect(path).toBe(`${file.string('0020000D')}/${file.string('0020000E')}/${file.string('00080018')}.dcm`);
    }
    expect(new Set(paths.map((p) => p.split('/')[0])).size).toBe(8);
    const mirrored = await cvf('dicom', 'deid', join(root, 'in', 'dicom'), join(root, 'mirrored'), '--secret', 'k');
    expect(mirrored.stderr).toContain('note: folder and file names were copied as they are; if they hold names or IDs, use --layout uids');
  });

  it.each([
    ['a key file inside the output folder', ['--key-file', 'OUT/deid.key'], /the key file ".*deid\.key" is inside the output folder ".*out-refused", which is meant to be shared; keep it outside/],
    ['a UID map inside the output folder', ['--uid-map', 'OUT/sub/map.csv'], /the re-identification map ".*map\.csv" is inside the output folder/],
    ['both a key file and a secret', ['--key-file', 'K', '--secret', 's'], /both a secret and a key file were given; give one of them/],
    ['a labels file without a UID or patientId column', ['--labels', 'BAD'], /no column to de-identify \(columns: file, label\); a labels file keyed by DICOM has one of sopInstanceUID, seriesInstanceUID, studyInstanceUID, patientId/],
  ])('refuses %s before writing anything (exit 2, DEID_INVALID_OPTIONS)', async (_what, extra, message) => {
    const out = join(root, 'out-refused');
    writeFileSync(join(root, 'bad.csv'), 'file,label\na.dcm,normal\n');
    const args = extra.map((a) => a.replace('OUT', out).replace(/^K$/, join(root, 'k.key')).replace('BAD', join(root, 'bad.csv')));
    const run = await cvf('dicom', 'deid', join(root, 'in', 'dicom'), out, ...args, '--json');
    expect(run.exitCode).toBe(2);
    const { error } = JSON.parse(run.stdout);
    expect(error.code).toBe('DEID_INVALID_OPTIONS');
    expect(error.message).toMatch(message);
    if (!extra.includes('BAD')) expect(() => readdirSync(out)).toThrow();
  });
});
