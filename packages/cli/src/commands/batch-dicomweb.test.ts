import { Rng } from '@cvf/core';
import { createSecondaryCapture, DicomwebClient, writeDicom } from '@cvf/medical';
import { orthancUnavailable, startOrthanc, type OrthancServer } from '@cvf/medical/node';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchFixture, jsonLines, type BatchFixture } from '../batch/testing/batch-fixture.js';
import { PATTERN_SIZE, patternPixels } from '../testing/pattern-images.js';
import { runCli } from '../testing/run-cli.js';

/** A line of `cvf predict --json` / predictions.jsonl, as far as this test looks. */
type Line = { file: string } & Record<string, unknown>;

describe.skipIf(orthancUnavailable())('cvf batch on a DICOMweb query (a real Orthanc)', () => {
  let orthanc: OrthancServer;
  let fixture: BatchFixture;
  let dicom: string;
  beforeAll(async () => {
    orthanc = await startOrthanc();
    fixture = await batchFixture('batch-dicomweb', { perClass: 1 });
    dicom = join(fixture.dir, 'dicom');
    mkdirSync(dicom);
    const rng = new Rng(21);
    const files: Uint8Array[] = [];
    for (let i = 0; i < 6; i++) {
      const sop = `2.25.${7000 + i}`;
      const bytes = writeDicom(createSecondaryCapture({ rows: PATTERN_SIZE, columns: PATTERN_SIZE, pixels: patternPixels(i % 3, rng), patientId: `P${i % 2}`, sopInstanceUID: sop }));
      writeFileSync(join(dicom, `${sop}.dcm`), bytes);
      files.push(bytes);
    }
    await new DicomwebClient({ url: orthanc.dicomWebUrl }).storeInstances(files);
  }, 120_000);
  afterAll(async () => {
    await orthanc?.stop();
    if (fixture) rmSync(fixture.dir, { recursive: true, force: true });
  });

  it('predicts every instance a QIDO-RS query finds, retrieved over WADO-RS, as cvf predict does the same files', async () => {
    const out = join(fixture.dir, 'all');
    const result = await runCli('batch', 'predict', fixture.model, `${orthanc.dicomWebUrl}/instances`, '--out', out, '--store', fixture.store, '--device', 'cpu', '--shard-size', '4', '--json');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const local = await runCli('predict', fixture.model, dicom, '--store', fixture.store, '--no-audit', '--device', 'cpu', '--json');
    expect(local.exitCode, local.stdout).toBe(0);
    // Named by SOP Instance UID instead of by path; otherwise the same objects, in UID order.
    const expected = (JSON.parse(local.stdout) as Line[]).map((line) => ({ ...line, file: basename(line.file, '.dcm') }));
    expect(expected).toHaveLength(6);
    expect(jsonLines(readFileSync(join(out, 'predictions.jsonl'), 'utf8'))).toEqual(expected);
  });

  it('the query parameters select the instances', async () => {
    const out = join(fixture.dir, 'one-patient');
    const result = await runCli('batch', 'embed', fixture.model, `${orthanc.dicomWebUrl}/instances?PatientID=P1`, '--out', out, '--store', fixture.store, '--device', 'cpu', '--json');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'ids.json'), 'utf8'))).toEqual(['2.25.7001', '2.25.7003', '2.25.7005']);
  });
});
