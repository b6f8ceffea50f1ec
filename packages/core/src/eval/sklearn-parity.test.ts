// Node-only test (child_process, fs): the metric code under test stays isomorphic.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireInCi, SYSTEM_PYTHON } from '../node/testing/index.js';
import { averagedScores, balancedAccuracy, classScores, cohenKappa } from './classification.js';
import { argmaxPredictions, confusionMatrix } from './confusion-matrix.js';
import { logLoss } from './probabilistic-scores.js';
import { averagePrecision, averagePrecisionOneVsRest, rocAuc, rocAucOneVsRest } from './ranking.js';

/**
 * Parity with scikit-learn 1.2.1 (Debian's, under /usr/bin/python3): the set-up draws seeded random
 * data with numpy, writes it as raw int32/float32 files into a temp folder, and asks scikit-learn
 * for its metrics on exactly those float32 values; the test reads the same files back.
 */

const SCRIPT = String.raw`
import json, sys, warnings
import numpy as np
from sklearn.metrics import (roc_auc_score, average_precision_score, f1_score, precision_score, recall_score,
    precision_recall_fscore_support, balanced_accuracy_score, confusion_matrix, cohen_kappa_score, log_loss, accuracy_score)
from sklearn.preprocessing import label_binarize
warnings.filterwarnings('ignore')
out_dir = sys.argv[1]
rng = np.random.default_rng(20240611)
results = {}

def save(name, array):
    array.tofile(f'{out_dir}/{name}.bin')

def label_metrics(y, pred, C):
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=list(range(C)), zero_division=0)
    return {
        'confusion': confusion_matrix(y, pred, labels=list(range(C))).tolist(),
        'accuracy': accuracy_score(y, pred),
        'balanced_accuracy': balanced_accuracy_score(y, pred),
        'f1_macro': f1_score(y, pred, average='macro', zero_division=0),
        'f1_micro': f1_score(y, pred, average='micro', zero_division=0),
        'f1_weighted': f1_score(y, pred, average='weighted', zero_division=0),
        'precision_macro': precision_score(y, pred, average='macro', zero_division=0),
        'recall_macro': recall_score(y, pred, average='macro', zero_division=0),
        'precision_weighted': precision_score(y, pred, average='weighted', zero_division=0),
        'per_class': {'precision': p.tolist(), 'recall': r.tolist(), 'f1': f.tolist(), 'support': s.tolist()},
        'kappa': cohen_kappa_score(y, pred),
    }

def probability_case(name, y, P):
    C = P.shape[1]
    save(f'{name}_y', y.astype(np.int32)); save(f'{name}_p', P.astype(np.float32))
    P64 = P.astype(np.float32).astype(np.float64)
    pred = np.argmax(P64, axis=1)
    Y = label_binarize(y, classes=list(range(C)))
    results[name] = dict(label_metrics(y, pred, C),
        roc_auc_macro=roc_auc_score(y, P64, multi_class='ovr', average='macro'),
        roc_auc_weighted=roc_auc_score(y, P64, multi_class='ovr', average='weighted'),
        ap_macro=average_precision_score(Y, P64, average='macro'),
        ap_per_class=average_precision_score(Y, P64, average=None).tolist(),
        log_loss=log_loss(y, P64, labels=list(range(C))))

# A: 5 classes, softmax of noisy logits with a signal on the true class
N, C = 600, 5
y = rng.integers(0, C, N)
logits = rng.normal(size=(N, C)); logits[np.arange(N), y] += 1.2
P = np.exp(logits); P /= P.sum(axis=1, keepdims=True)
probability_case('softmax', y, P)

# B: 4 classes, probabilities k/10 from multinomial counts: many exact ties, also at the argmax
N, C = 400, 4
y = rng.integers(0, C, N)
weights = np.full((N, C), 1.0); weights[np.arange(N), y] += 1.5
P = np.stack([rng.multinomial(10, w / w.sum()) for w in weights]) / 10.0
probability_case('ties', y, P)

# C: binary, scores rounded to one decimal (ties) and as logits (negative values)
N = 300
t = rng.integers(0, 2, N)
s = np.round(1 / (1 + np.exp(-(rng.normal(size=N) + 1.0 * t))), 1).astype(np.float32)
z = (rng.normal(size=N) * 2 + 1.5 * t).astype(np.float32)
save('binary_t', t.astype(np.int32)); save('binary_s', s); save('binary_z', z)
results['binary'] = {
    'roc_auc_rounded': roc_auc_score(t, s.astype(np.float64)), 'ap_rounded': average_precision_score(t, s.astype(np.float64)),
    'roc_auc_logit': roc_auc_score(t, z.astype(np.float64)), 'ap_logit': average_precision_score(t, z.astype(np.float64)),
}

# D: 5 classes, class 3 never true and class 2 never predicted (macro averages over the classes that occur)
N, C = 250, 5
y = rng.choice([0, 1, 2, 4], N)
pred = np.where(rng.random(N) < 0.5, y, rng.choice([0, 1, 3, 4], N))
pred = np.where(pred == 2, 4, pred)
save('absent_y', y.astype(np.int32)); save('absent_pred', pred.astype(np.int32))
results['absent'] = label_metrics(y, pred, C)

json.dump(results, open(f'{out_dir}/results.json', 'w'))
`;

type LabelReference = {
  confusion: number[][];
  accuracy: number;
  balanced_accuracy: number;
  f1_macro: number;
  f1_micro: number;
  f1_weighted: number;
  precision_macro: number;
  recall_macro: number;
  precision_weighted: number;
  per_class: { precision: number[]; recall: number[]; f1: number[]; support: number[] };
  kappa: number;
};
type ProbabilityReference = LabelReference & {
  roc_auc_macro: number;
  roc_auc_weighted: number;
  ap_macro: number;
  ap_per_class: number[];
  log_loss: number;
};
interface Reference {
  softmax: ProbabilityReference;
  ties: ProbabilityReference;
  binary: { roc_auc_rounded: number; ap_rounded: number; roc_auc_logit: number; ap_logit: number };
  absent: LabelReference;
}

/** Runs the reference script; a reason to skip when Debian's scikit-learn is missing (a failure in CI). */
function prepareReference(): { dir: string; reference: Reference; skip?: undefined } | { skip: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cvf-sklearn-'));
  const run = spawnSync(SYSTEM_PYTHON, ['-c', SCRIPT, dir], { encoding: 'utf8' });
  if (run.status === 0) return { dir, reference: JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Reference };
  rmSync(dir, { recursive: true, force: true });
  const why = `${SYSTEM_PYTHON} could not run the reference: ${run.error?.message ?? run.stderr.trim().split('\n').pop()}`;
  return { skip: requireInCi('scikit-learn (python3-sklearn)', why) };
}

const prepared = prepareReference();
afterAll(() => {
  if (prepared.skip === undefined) rmSync(prepared.dir, { recursive: true, force: true });
});

function read<T extends Int32Array | Float32Array>(kind: { new (buffer: ArrayBuffer): T }, name: string): T {
  if (prepared.skip !== undefined) throw new Error(prepared.skip);
  const bytes = readFileSync(join(prepared.dir, `${name}.bin`));
  return new kind(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

const CLOSE = 10; // |ours − scikit-learn| < 5e-11: same float32 inputs, only summation order differs

function expectLabelParity(labels: Int32Array, predictions: Int32Array, numClasses: number, expected: LabelReference): void {
  expect(confusionMatrix(labels, predictions, numClasses)).toEqual(expected.confusion);
  expect(balancedAccuracy(labels, predictions, numClasses)).toBeCloseTo(expected.balanced_accuracy, CLOSE);
  const { macro, micro, weighted } = averagedScores(labels, predictions, numClasses);
  expect(macro.f1).toBeCloseTo(expected.f1_macro, CLOSE);
  expect(micro.f1).toBeCloseTo(expected.f1_micro, CLOSE);
  expect(micro.f1).toBeCloseTo(expected.accuracy, CLOSE);
  expect(weighted.f1).toBeCloseTo(expected.f1_weighted, CLOSE);
  expect(macro.precision).toBeCloseTo(expected.precision_macro, CLOSE);
  expect(macro.recall).toBeCloseTo(expected.recall_macro, CLOSE);
  expect(weighted.precision).toBeCloseTo(expected.precision_weighted, CLOSE);
  const perClass = classScores(labels, predictions, numClasses);
  perClass.forEach((scores, c) => {
    expect(scores.precision, `precision of class ${c}`).toBeCloseTo(expected.per_class.precision[c]!, CLOSE);
    expect(scores.recall, `recall of class ${c}`).toBeCloseTo(expected.per_class.recall[c]!, CLOSE);
    expect(scores.f1, `f1 of class ${c}`).toBeCloseTo(expected.per_class.f1[c]!, CLOSE);
    expect(scores.support).toBe(expected.per_class.support[c]);
  });
  expect(cohenKappa(labels, predictions, numClasses)).toBeCloseTo(expected.kappa, CLOSE);
}

describe.skipIf(prepared.skip !== undefined)('parity with scikit-learn 1.2.1 on seeded random data', () => {
  const reference = prepared.skip === undefined ? prepared.reference : undefined;

  for (const name of ['softmax', 'ties'] as const) {
    describe(`${name} probabilities`, () => {
      const labels = () => read(Int32Array, `${name}_y`);
      const probabilities = () => read(Float32Array, `${name}_p`);
      const expected = () => reference![name];
      const numClasses = () => expected().confusion.length;

      it("one-vs-rest ROC-AUC = roc_auc_score(multi_class='ovr', average='macro' | 'weighted')", () => {
        const auc = rocAucOneVsRest(labels(), probabilities(), numClasses());
        expect(auc.macro).toBeCloseTo(expected().roc_auc_macro, CLOSE);
        expect(auc.weighted).toBeCloseTo(expected().roc_auc_weighted, CLOSE);
      });

      it('average precision = average_precision_score on binarized labels (macro and per class)', () => {
        const ap = averagePrecisionOneVsRest(labels(), probabilities(), numClasses());
        expect(ap.macro).toBeCloseTo(expected().ap_macro, CLOSE);
        ap.perClass.forEach((value, c) => expect(value, `class ${c}`).toBeCloseTo(expected().ap_per_class[c]!, CLOSE));
      });

      it('label metrics of the argmax (ties → first class) = confusion_matrix, f1/precision/recall_score, balanced accuracy, kappa', () => {
        expectLabelParity(labels(), argmaxPredictions(probabilities(), numClasses()), numClasses(), expected());
      });

      it('log-loss = log_loss', () => {
        expect(logLoss(labels(), probabilities(), numClasses())).toBeCloseTo(expected().log_loss, CLOSE);
      });
    });
  }

  it('binary ROC-AUC and average precision with tied scores and with logits', () => {
    const targets = read(Int32Array, 'binary_t');
    const rounded = read(Float32Array, 'binary_s');
    const logits = read(Float32Array, 'binary_z');
    expect(new Set(rounded).size).toBeLessThan(12); // the rounded scores really are tied
    expect(rocAuc(targets, rounded)).toBeCloseTo(reference!.binary.roc_auc_rounded, CLOSE);
    expect(averagePrecision(targets, rounded)).toBeCloseTo(reference!.binary.ap_rounded, CLOSE);
    expect(rocAuc(targets, logits)).toBeCloseTo(reference!.binary.roc_auc_logit, CLOSE);
    expect(averagePrecision(targets, logits)).toBeCloseTo(reference!.binary.ap_logit, CLOSE);
  });

  it('label metrics when a class is never true and another never predicted', () => {
    const labels = read(Int32Array, 'absent_y');
    const predictions = read(Int32Array, 'absent_pred');
    expect(labels.includes(3)).toBe(false);
    expect(predictions.includes(2)).toBe(false);
    expectLabelParity(labels, predictions, 5, reference!.absent);
  });
});
