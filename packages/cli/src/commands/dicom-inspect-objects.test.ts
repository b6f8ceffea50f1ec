import { pythonModules, requireInCi, SYSTEM_PYTHON } from '@cvf/core/testing';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

// pydicom's test files: a public corpus of SR, RT, waveform and preamble-less objects, and the reference reader.
const CORPUS = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const pydicomMissing = requireInCi("Debian's pydicom (python3-pydicom)", pythonModules('pydicom'));

/** What pydicom reads of a file (with force=True when asked): the values the tests compare with. */
function pydicom(path: string, force = false): Record<string, unknown> {
  const script = `
import json, sys, pydicom
ds = pydicom.dcmread(sys.argv[1], force=sys.argv[2] == '1')
def count(d):
    return sum(1 + sum(count(i) for i in e.value) if e.VR == 'SQ' else 1 for e in d)
out = {
  'modality': ds.get('Modality'), 'sopClassUID': str(ds.get('SOPClassUID')) if 'SOPClassUID' in ds else None,
  'patientName': str(ds.get('PatientName', '')), 'patientID': ds.get('PatientID'), 'studyDescription': ds.get('StudyDescription'),
  'little': ds.is_little_endian, 'implicit': ds.is_implicit_VR,
  'elements': count(ds) + (count(ds.file_meta) if getattr(ds, 'file_meta', None) else 0),
  'waveforms': [[int(w.NumberOfWaveformChannels), int(w.NumberOfWaveformSamples), float(w.SamplingFrequency)] for w in ds.get('WaveformSequence', [])],
  'content': len(ds.get('ContentSequence', [])),
}
print(json.dumps(out))`;
  const run = spawnSync(SYSTEM_PYTHON, ['-c', script, path, force ? '1' : '0'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

/** Elements in a dump, items' elements included (items themselves are not elements). */
function countEntries(entries: { items?: unknown[][] }[]): number {
  return entries.reduce((n, e) => n + 1 + (e.items ?? []).reduce((m: number, item) => m + countEntries(item as { items?: unknown[][] }[]), 0), 0);
}

describe.skipIf(pydicomMissing)('cvf dicom inspect: every object, tags, identity only with --phi, --force', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvf-inspect-objects-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    process.exitCode = undefined;
  });

  it.each([
    ['test-SR.dcm', 'Comprehensive SR Storage', 'Diagnosis'],
    ['rtplan.dcm', 'RT Plan Storage', 'Plan1'],
    ['waveform_ecg.dcm', '12-lead ECG Waveform Storage', null],
  ])('inspects %s, an object without pixels, instead of refusing it', async (name, sopClass, title) => {
    const path = join(CORPUS, name);
    const reference = pydicom(path);
    const run = await runCli('dicom', 'inspect', path, '--json');
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ sopClassUID: reference.sopClassUID, sopClass, modality: reference.modality, pixel: null, title });
    expect(report.waveforms.map((w: { channels: number; samples: number; frequency: number }) => [w.channels, w.samples, w.frequency])).toEqual(reference.waveforms);
    if (reference.content) expect(report.sequences).toContainEqual({ tag: '(0040,A730)', keyword: 'ContentSequence', items: reference.content });
    // Nothing that names the patient without --phi.
    expect(report.identity).toBeUndefined();
    if (reference.patientName) expect(run.stdout).not.toContain(reference.patientName);
    const text = await runCli('dicom', 'inspect', path);
    expect(text.stdout).toContain(`sop class        ${reference.sopClassUID} (${sopClass})`);
    expect(text.stdout).toContain('pixel data       none (not an image)');
  });

  it('dumps every element with --tags, sequences nested as pydicom reads them, identifying values hidden unless --phi', async () => {
    const path = join(CORPUS, 'test-SR.dcm');
    const reference = pydicom(path);
    expect(reference.patientName).not.toBe('');
    const hidden = JSON.parse((await runCli('dicom', 'inspect', path, '--tags', '--json')).stdout);
    const shown = JSON.parse((await runCli('dicom', 'inspect', path, '--tags', '--phi', '--json')).stdout);
    // Every element at every depth, as pydicom counts them (File Meta Information included).
    expect(countEntries(shown.tags)).toBe(reference.elements);
    const concept = shown.tags.find((e: { tag: string }) => e.tag === '(0040,A043)');
    expect(concept).toMatchObject({ vr: 'SQ', keyword: 'ConceptNameCodeSequence', value: null });
    expect(concept.items[0]).toContainEqual({ tag: '(0008,0104)', vr: 'LO', keyword: 'CodeMeaning', length: 10, value: 'Diagnosis' });
    const name = (tags: { tag: string }[]) => tags.find((e) => e.tag === '(0010,0010)');
    expect(name(hidden.tags)).toEqual({ tag: '(0010,0010)', vr: 'PN', keyword: 'PatientName', length: expect.any(Number), value: null, hidden: true });
    expect(name(shown.tags)).toMatchObject({ value: reference.patientName });
    expect(reference.studyDescription).toBeTruthy();
    expect(JSON.stringify(hidden)).not.toContain(String(reference.patientName));
    expect(JSON.stringify(hidden)).not.toContain(String(reference.studyDescription));
    // --phi adds the identity block (empty values as null).
    expect(shown.identity.patient).toEqual({ name: reference.patientName, id: reference.patientID || null, birthDate: null, sex: null });
    expect(shown.identity.study.description).toBe(reference.studyDescription);
    const text = (await runCli('dicom', 'inspect', path, '--tags')).stdout;
    expect(text).toMatch(/^\(0040,A043\) SQ ConceptNameCodeSequence\n {2}item 1\n {4}\(0008,0100\) SH CodeValue +\[1111\]$/m);
    expect(text).toMatch(/^\(0010,0010\) PN PatientName +\(hidden; --phi shows it\)$/m);
  });

  it.each([
    ['no_meta.dcm'],
    ['rtstruct.dcm'],
    ['ExplVR_BigEndNoMeta.dcm'],
    ['ExplVR_LitEndNoMeta.dcm'],
  ])('reads %s, which has no preamble, with --force as pydicom force=True does, and says how', async (name) => {
    const path = join(CORPUS, name);
    const refused = await runCli('dicom', 'inspect', path, '--json');
    expect(refused.exitCode).toBe(2);
    expect(JSON.parse(refused.stdout).error).toEqual({
      code: 'DICOM_NOT_DICOM',
      message: `not a DICOM Part 10 file: no "DICM" prefix at byte 128; if it is a data set without the preamble and File Meta Information (as some archives write), --force reads it as pydicom's force=True does`,
    });
    const reference = pydicom(path, true);
    const run = await runCli('dicom', 'inspect', path, '--force', '--json');
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    const syntax = reference.implicit ? '1.2.840.10008.1.2' : reference.little ? '1.2.840.10008.1.2.1' : '1.2.840.10008.1.2.2';
    expect(report).toMatchObject({ transferSyntaxUID: syntax, modality: reference.modality ?? null, sopClassUID: reference.sopClassUID });
    expect(report.assumptions).toEqual([expect.stringContaining(`the transfer syntax was guessed from the first element as`)]);
    const text = await runCli('dicom', 'inspect', path, '--force');
    expect(text.stderr).toMatch(/^note: no preamble and no File Meta Information/);
  });

  it('says a truncated sequence is truncated, in its own words, not the parser\'s ("maxP osition")', async () => {
    // test-SR.dcm cut inside an item of an explicit-VR sequence: dicom-parser throws "invalid value for parameter 'maxP osition'".
    const cut = join(dir, 'sr-cut.dcm');
    writeFileSync(cut, readFileSync(join(CORPUS, 'test-SR.dcm')).subarray(0, 951));
    for (const path of [cut, join(CORPUS, 'rtplan_truncated.dcm')]) {
      const run = await runCli('dicom', 'inspect', path, '--json');
      expect(run.exitCode).toBe(2);
      expect(JSON.parse(run.stdout).error).toEqual({ code: 'DICOM_TRUNCATED', message: 'the file is truncated: a sequence or item declares more bytes than the file has left' });
    }
  });
});
