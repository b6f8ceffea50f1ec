import { Rng } from '@cvf/core';
import { createCtImage, tag, textElement, writeDicom } from '@cvf/medical';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

/**
 * `cvf evaluate` end to end on a tiny model: CT slices written by the project's DICOM writer
 * (two manufacturers, both sexes, birth dates for age bands, two sites), a small pipeline
 * trained by `cvf train`, then evaluated with subgroups and an HTML report.
 */

const SIZE = 16;

/** A 16×16 slice in HU: air-filled lung (−800) with strong noise; an abnormal one has a faint 4×4 nodule, so the tiny model errs now and then. */
function slicePixels(abnormal: boolean, rng: Rng): Int16Array {
  const hu = new Int16Array(SIZE * SIZE);
  const at = rng.int(2, SIZE - 6);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const nodule = abnormal && y >= at && y < at + 4 && x >= at && x < at + 4;
      hu[y * SIZE + x] = Math.round((nodule ? -350 : -800) + 200 * rng.normal()) + 1024;
    }
  }
  return hu;
}

interface Evaluated {
  model: { name: string; version: number | null };
  dataset: { split: string; samples: number };
  decision: { kind: string; positiveClass: string | null };
  focusClasses: string[];
  evaluation: {
    samples: number;
    classCounts: number[];
    operatingPoint: { accuracy: { estimate: number; low: number; high: number }; perClass: { label: string; sensitivity: { successes: number; trials: number; low: number | null } }[] };
    curves: { label: string; auc: { estimate: number; low: number; high: number; resamples: number }; roc: { band: { x: number[] } } }[];
    calibration: { ece: number };
    bootstrap: { resamples: number; seed: number };
  };
  subgroups: { attribute: string; groups: { value: string; samples: number }[]; gaps: { metric: string; lowest: { group: string }; highest: { group: string } }[] }[];
  institutionSalt: string | null;
}

describe('cvf evaluate', () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-evaluate-'));
    mkdirSync(join(dir, 'dicom'));
    const rng = new Rng(21);
    const rows = ['sopInstanceUID,label'];
    for (let patient = 0; patient < 24; patient++) {
      for (let s = 0; s < 3; s++) {
        const abnormal = (patient + s) % 3 === 0;
        const sop = `2.25.${7000 + patient * 3 + s}`;
        const dataset = createCtImage({
          rows: SIZE,
          columns: SIZE,
          pixels: slicePixels(abnormal, rng),
          rescale: { slope: 1, intercept: -1024 },
          pixelSpacing: [1, 1],
          sliceThickness: 5,
          position: [0, 0, -5 * s],
          patientId: `EVAL-${patient}`,
          patientSex: patient % 2 === 0 ? 'F' : 'M',
          patientBirthDate: patient % 3 === 0 ? '19500610' : '19900610',
          studyDate: '20260110',
          sopInstanceUID: sop,
          extra: [textElement(tag(0x0008, 0x0070), 'LO', patient % 4 < 2 ? 'Vendor A' : 'Vendor B'), textElement(tag(0x0008, 0x0080), 'LO', patient < 12 ? 'North Clinic' : 'South Hospital')],
        });
        writeFileSync(join(dir, 'dicom', `${sop}.dcm`), writeDicom(dataset));
        rows.push(`${sop},${abnormal ? 'abnormal' : 'normal'}`);
      }
    }
    writeFileSync(join(dir, 'labels.csv'), `${rows.join('\n')}\n`);
    writeFileSync(
      join(dir, 'pipeline.yaml'),
      `version: 1
name: ct-evaluate
data:
  source: { kind: dicom-folder, root: dicom, labels: { path: labels.csv } }
  classes: [normal, abnormal]
  splits: { train: 0.5, val: 0.2, test: 0.3, seed: 5, groupBy: patientId }
preprocess:
  resize: { height: 16, width: 16, mode: bilinear }
  color: gray
  window: { preset: ct-lung }
  normalize: { mean: [0.5], std: [0.25] }
features: { kind: pixels }
pca: { enabled: true, components: 8 }
index: { kind: flat, metric: cosine, k: 3 }
model: { head: softmax }
train: { epochs: 30, batchSize: 16, optimizer: { kind: adam, lr: 0.01 }, seed: 2 }
evaluate: { positiveClass: abnormal }
decision: { operatingPoint: { target: sensitivity, value: 0.9 }, positiveClass: abnormal }
registry: { register: true, alias: staging }
tracking: { store: ${join(dir, '.cvf')} }
`,
    );
    const trained = await runCli('train', join(dir, 'pipeline.yaml'), '--json');
    expect(trained.exitCode, trained.stdout.slice(-2000) + trained.stderr).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('evaluates NAME@ALIAS on the test split at its operating point, by Manufacturer, PatientSex, AgeBand and site, with a self-contained report', async () => {
    const report = join(dir, 'report.html');
    const args = ['ct-evaluate@staging', join(dir, 'pipeline.yaml'), '--store', join(dir, '.cvf'), '--by', 'Manufacturer', '--by', 'PatientSex', '--by', 'AgeBand', '--by', 'InstitutionName', '--resamples', '200', '--seed', '3', '--device', 'cpu'];
    const result = await runCli('evaluate', ...args, '--report', report, '--json');
    expect(result.exitCode, result.stdout.slice(-2000) + result.stderr).toBe(0);
    expect(result.stderr).toMatch(/predict \d+\/\d+/); // progress on stderr, stdout stays one JSON document
    const evaluated = JSON.parse(result.stdout) as Evaluated;
    expect(evaluated.model).toMatchObject({ name: 'ct-evaluate', version: 1 });
    expect(evaluated.decision).toMatchObject({ kind: 'operating-points', positiveClass: 'abnormal', operatingPoints: [{ label: 'abnormal', target: 'sensitivity', value: 0.9 }] });
    expect(evaluated.focusClasses).toEqual(['abnormal']);
    const { evaluation } = evaluated;
    expect(evaluation.samples).toBe(evaluated.dataset.samples);
    expect(evaluation.classCounts.reduce((a, b) => a + b, 0)).toBe(evaluation.samples);
    expect(evaluation.bootstrap).toEqual({ resamples: 200, seed: 3 });
    const abnormal = evaluation.operatingPoint.perClass.find((c) => c.label === 'abnormal')!;
    expect(abnormal.sensitivity.trials).toBe(evaluation.classCounts[1]);
    // The nodule shows through the noise: the tiny model ranks most cases right.
    const curves = evaluation.curves.find((c) => c.label === 'abnormal')!;
    expect(curves.auc.estimate).toBeGreaterThan(0.8);
    expect(curves.auc.low).toBeLessThanOrEqual(curves.auc.estimate);
    expect(curves.roc.band.x).toHaveLength(51);

    const [maker, sex, age, site] = evaluated.subgroups;
    expect(maker!.groups.map((g) => g.value).sort()).toEqual(['Vendor A', 'Vendor B']);
    expect(sex!.groups.map((g) => g.value).sort()).toEqual(['F', 'M']);
    expect(age!.groups.map((g) => g.value).sort()).toEqual(['18-39', '60-79']);
    for (const analysis of [maker!, sex!, age!]) expect(analysis.groups.reduce((n, g) => n + g.samples, 0)).toBe(evaluation.samples);
    expect(site!.groups.every((g) => /^site-[0-9a-f]{12}$/.test(g.value))).toBe(true);
    expect(evaluated.institutionSalt).toBe('random');
    expect(maker!.gaps.some((g) => g.metric === 'sensitivity')).toBe(true);

    // The same seed gives the same numbers; the report is one file with nothing to fetch.
    const again = JSON.parse((await runCli('evaluate', ...args, '--json')).stdout) as Evaluated;
    expect(again.evaluation.curves).toEqual(evaluation.curves);
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).not.toMatch(/<script|<link|@import|url\(|src=|https?:/);
    expect(html).toContain('Subgroups by Manufacturer');
    expect(html).toContain('Largest gap');
    expect(html).not.toContain('North Clinic');
  });

  it('prints the headline figures as text, and refuses an unknown attribute naming the usual ones', async () => {
    const text = await runCli('evaluate', join(dir, '.cvf', 'bundles'), join(dir, 'pipeline.yaml'), '--json', '--by', 'Vendor');
    expect(text.exitCode).toBe(2);
    expect(JSON.parse(text.stdout).error.message).toMatch(/"Vendor" is not a DICOM keyword.*Manufacturer/);
    const shown = await runCli('evaluate', 'ct-evaluate@staging', join(dir, 'pipeline.yaml'), '--store', join(dir, '.cvf'), '--by', 'PatientSex', '--resamples', '50', '--device', 'cpu', '--level', '0.9');
    expect(shown.exitCode, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('[90% Wilson]');
    expect(shown.stdout).toMatch(/abnormal against the rest:\n {2}sensitivity +\d+\.\d%  \(\d+\.\d–\d+\.\d\)  \d+\/\d+/);
    expect(shown.stdout).toMatch(/by PatientSex: [FM] \(\d+\), [FM] \(\d+\)/);
  });
});
