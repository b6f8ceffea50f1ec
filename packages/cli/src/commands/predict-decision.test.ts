import { encodePng, imageTensor, Rng, type Decision } from '@cvf/core';
import { patternPixels } from '@cvf/core/testing';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

// `cvf predict` shows the decision of the bundle's decision stage: the whole record with --json,
// its one-line summary in text. A small model of 16×16 PNG patterns: horizontal bands ("normal")
// and centred squares ("lesion"), the lesion decided at its 95%-sensitivity operating point.

const SIZE = 16;

// Class 0 ("normal") is a horizontal band, class 1 ("lesion") a centred square.
const pattern = (label: number, rng: Rng) => patternPixels(label === 0 ? 'horizontal band' : 'square', rng, { size: SIZE, noise: 60 });

const png = (pixels: Uint8Array) => encodePng(imageTensor('u8', { height: SIZE, width: SIZE, channels: 1 }, pixels));

describe('cvf predict: the decision', () => {
  let dir: string;
  let bundle: string;
  let files: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-predict-decision-'));
    const rng = new Rng(21);
    for (const [label, name] of ['normal', 'lesion'].entries()) {
      mkdirSync(join(dir, 'images', name), { recursive: true });
      for (let i = 0; i < 30; i++) writeFileSync(join(dir, 'images', name, `${i}.png`), await png(pattern(label, rng)));
    }
    writeFileSync(
      join(dir, 'pipeline.yaml'),
      `version: 1
name: lesions
data:
  source: { kind: folder, root: images }
  splits: { train: 0.5, val: 0.3, test: 0.2, seed: 2 }
preprocess:
  resize: { height: ${SIZE}, width: ${SIZE} }
  color: gray
  normalize: { mean: [0.5], std: [0.5] }
features: { kind: pixels }
index: { kind: flat, metric: cosine, k: 3 }
model: { head: softmax }
train: { epochs: 5, batchSize: 16, optimizer: { kind: adam, lr: 0.01 }, earlyStopping: { enabled: false } }
decision:
  positiveClass: lesion
  operatingPoint: { target: sensitivity, value: 0.95 }
registry: { register: false }
tracking: { store: ${join(dir, '.cvf')} }
`,
    );
    const trained = await runCli('train', join(dir, 'pipeline.yaml'), '--json');
    expect(trained.exitCode, trained.stdout.slice(-2000) + trained.stderr).toBe(0);
    const lines = trained.stdout.trim().split('\n');
    bundle = (JSON.parse(lines[lines.length - 1]!) as { bundle: string }).bundle;
    files = [join(dir, 'lesion.png'), join(dir, 'normal.png')];
    const fresh = new Rng(22);
    writeFileSync(files[0]!, await png(pattern(1, fresh)));
    writeFileSync(files[1]!, await png(pattern(0, fresh)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--json gives each file its decision: outcome at the operating point, thresholds, uncertainty, evidence and model', async () => {
    const result = await runCli('predict', bundle, ...files, '--json', '--device', 'cpu', '--no-audit');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const predictions = JSON.parse(result.stdout) as { file: string; probabilities: number[]; similar: unknown[]; decision: Decision }[];
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as { configHash: string; stages: { kind: string; params: { operatingPoints: { label: string; threshold: number }[] } }[] };
    const points = manifest.stages.find((s) => s.kind === 'decision')!.params.operatingPoints;
    expect(points.map((p) => p.label)).toEqual(['lesion', 'normal']);
    const lesion = points[0]!;
    predictions.forEach(({ probabilities, similar, decision }, i) => {
      const reached = probabilities[0]! >= lesion.threshold;
      expect(decision).toMatchObject({ positiveClass: 'lesion', thresholds: points, evidence: similar, model: { name: 'lesions', version: null, configHash: manifest.configHash } });
      expect(decision.reasons[0]).toMatchObject({ code: 'operating-point', label: 'lesion', threshold: lesion.threshold, reached });
      expect(decision.uncertainty).toEqual({ maxProbability: Math.max(...probabilities), entropy: expect.any(Number), knnAgreement: expect.any(Number), knnLabel: expect.any(String) });
      // The clean lesion is positive, the clean band negative.
      expect(decision.outcome, decision.summary).toBe(i === 0 ? 'positive' : 'negative');
    });
  });

  it('text output carries the same one-line decision', async () => {
    const json = JSON.parse((await runCli('predict', bundle, ...files, '--json', '--device', 'cpu', '--no-audit')).stdout) as { decision: Decision }[];
    const text = await runCli('predict', bundle, ...files, '--device', 'cpu', '--no-audit');
    expect(text.exitCode, text.stderr).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    lines.forEach((line, i) => expect(line).toContain(`decision: ${json[i]!.decision.summary}`));
    expect(lines[0]).toMatch(/decision: Positive \(lesion\) at the 95%-sensitivity point \(p \d\.\d\d ≥ \d\.\d\d\)/);
  });
});
