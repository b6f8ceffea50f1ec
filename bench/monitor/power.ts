// bench/monitor/power: false alarms and power of the drift detectors on Fashion-MNIST, the issue's
// goals. A model of the repository's Fashion-MNIST pipeline (HOG → PCA → MLP) is monitored on
// windows of 500 test images: 20 seeded i.i.d. windows (false alarms), and 20 windows of each
// shift — (a) brightness −30%, (b) rotation 15°, (c) Gaussian noise σ = 0.1, (d) a class-prior
// shift to three classes, (e) Gaussian blur σ = 1 px. Every window goes through the bundle's
// Predictor (features after PCA, and each image's input statistics) and the default check `auto`
// (mmd on the features + input on the images, Bonferroni); `mmd` alone is the same MMD test (same
// seed, same permutations) at the full alpha, and `input` alone the input test at the full alpha.
// The peer (power-peer.ts) runs the same tests on the same windows in numpy/scipy, side by side.
// Prints detections out of 20 per method and shift, ours and the peer's, and writes
// bench/results/monitor-power.json.
// Usage: npm run bench:monitor-power [-- --windows N] [--permutations P] [--retrain]
import { autoDrift, CpuDevice, createOrtFastMatmul, findStage, imageTensor, inputDrift, Predictor, Rng, stageFiles, STAGE_KINDS, type DriftResult, type InputImageStatistics } from '@cvf/core';
import { createOrtNodeRuntime, readBundleFolder } from '@cvf/core/node';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { machine, printTable, writeResults } from '../support/report.js';
import { fashionBundle, TRAINING } from './power-bundle.js';
import { peerPValues, type PeerWindow } from './power-peer.js';
import { brightness, gaussianBlur, gaussianNoise, rotation, SIDE, type Shift } from './power-shifts.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const WINDOWS = flag('--windows', 20);
const PERMUTATIONS = flag('--permutations', 1000);
const WINDOW_SIZE = 500;
const ALPHA = 0.05;
const PRIOR_CLASSES = [0, 1, 2]; // T-shirt/top, Trouser, Pullover
const FASHION = '/usr/share/datasets/fashion-mnist';

interface Condition {
  readonly name: string;
  /** Whether drift is there (power) or not (false alarms). */
  readonly drift: boolean;
  readonly shift?: Shift;
  /** Draw windows from these classes only. */
  readonly classes?: readonly number[];
}

const CONDITIONS: readonly Condition[] = [
  { name: 'i.i.d. (false alarms)', drift: false },
  { name: '(a) brightness -30%', drift: true, shift: brightness(0.7) },
  { name: '(b) rotation 15°', drift: true, shift: rotation(15) },
  { name: '(c) noise σ=0.1', drift: true, shift: gaussianNoise(0.1) },
  { name: '(d) prior: 3 classes', drift: true, classes: PRIOR_CLASSES },
  { name: '(e) blur σ=1px', drift: true, shift: gaussianBlur(1) },
];

const log = (line: string) => console.error(`[bench:monitor-power] ${line}`);
const bundleDir = await fashionBundle({ retrain: args.includes('--retrain'), log });
const bundle = await readBundleFolder(bundleDir);
const device = new CpuDevice();
const onnxRuntime = await createOrtNodeRuntime();
const fastMatmul = createOrtFastMatmul(onnxRuntime, { threads: 1 });
const predictor = await Predictor.load(bundle, { device, onnxRuntime });
const stage = findStage(bundle.manifest, 'reference');
if (!stage) throw new Error(`${bundleDir} has no drift reference`);
const reference = STAGE_KINDS.reference.load(stage, stageFiles(bundle, stage));
if (!reference.input) throw new Error(`${bundleDir} has no input reference: retrain with --retrain`);
const referenceSample = { values: reference.sample, rows: reference.sampleRows, dim: reference.dim };

const images = gunzipSync(readFileSync(`${FASHION}/t10k-images-idx3-ubyte.gz`)).subarray(16);
const labels = gunzipSync(readFileSync(`${FASHION}/t10k-labels-idx1-ubyte.gz`)).subarray(8);
const test: Uint8Array[] = Array.from({ length: labels.length }, (_, i) => images.slice(i * SIDE * SIDE, (i + 1) * SIDE * SIDE));

/** 500 distinct test images, seeded (a partial Fisher–Yates shuffle of the pool). */
function drawWindow(pool: readonly number[], seed: number): number[] {
  const order = [...pool];
  const rng = new Rng(seed);
  for (let i = 0; i < WINDOW_SIZE; i++) {
    const j = i + Math.floor(rng.next() * (order.length - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, WINDOW_SIZE);
}

/** Features after PCA and input statistics of a window, through the bundle's Predictor. */
async function observe(window: readonly Uint8Array[]): Promise<{ features: Float32Array; input: InputImageStatistics[] }> {
  const features = new Float32Array(window.length * reference.dim);
  const input: InputImageStatistics[] = [];
  for (let start = 0; start < window.length; start += 100) {
    const batch = window.slice(start, start + 100).map((pixels) => imageTensor('u8', { height: SIDE, width: SIDE, channels: 1 }, pixels));
    const predictions = await predictor.predict(batch, { features: true, inputStatistics: true, similar: 1 });
    predictions.forEach((p, k) => {
      features.set(p.features!, (start + k) * reference.dim);
      input.push(p.inputStatistics!);
    });
  }
  return { features, input };
}

interface WindowOutcome {
  readonly auto: boolean;
  readonly mmd: DriftResult;
  readonly input: DriftResult;
}

const rows: Record<string, string | number>[] = [];
type Detections = { auto: number; mmd: number; input: number };
const results: { condition: string; drift: boolean; windows: number; detections: Detections; peer: Detections & { agreeing: number }; medianP: { mmd: number; input: number }; outcomes: WindowOutcome[]; peerP: { mmd: number[]; input: number[] } }[] = [];
for (const [c, condition] of CONDITIONS.entries()) {
  const pool = Array.from({ length: test.length }, (_, i) => i).filter((i) => !condition.classes || condition.classes.includes(labels[i]!));
  const outcomes: WindowOutcome[] = [];
  const peerWindows: PeerWindow[] = [];
  for (let w = 0; w < WINDOWS; w++) {
    const seed = 1000 * (c + 1) + w;
    let window = drawWindow(pool, seed).map((i) => test[i]!);
    if (condition.shift) window = await condition.shift(device, window, seed);
    const { features, input } = await observe(window);
    const live = { values: features, rows: WINDOW_SIZE, dim: reference.dim };
    const auto = await autoDrift(device, live, referenceSample, (alpha) => inputDrift(input, reference.input, { alpha }), { alpha: ALPHA, mmd: { permutations: PERMUTATIONS, seed, fastMatmul } });
    const mmdAtAuto = auto.results.find((r) => r.method === 'mmd')!;
    // The same MMD test (same seed and permutations, so the same p-value) judged at the full alpha.
    const mmd = { ...mmdAtAuto, threshold: ALPHA, drifted: mmdAtAuto.pValue! < ALPHA };
    outcomes.push({ auto: auto.drifted, mmd, input: inputDrift(input, reference.input, { alpha: ALPHA }) });
    peerWindows.push({ features, input, seed });
    log(`${condition.name} window ${w + 1}/${WINDOWS}: auto ${auto.drifted ? 'drift' : '-'}, mmd p ${mmd.pValue!.toPrecision(3)}, input p ${outcomes.at(-1)!.input.pValue!.toPrecision(3)}`);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const detections = { auto: outcomes.filter((o) => o.auto).length, mmd: outcomes.filter((o) => o.mmd.drifted).length, input: outcomes.filter((o) => o.input.drifted).length };
  const medianP = { mmd: median(outcomes.map((o) => o.mmd.pValue!)), input: median(outcomes.map((o) => o.input.pValue!)) };
  const peerP = peerPValues(peerWindows, { ...reference, input: reference.input }, PERMUTATIONS);
  const peerDecisions = peerP.mmd.map((p, k) => ({ mmd: p < ALPHA, input: peerP.input[k]! < ALPHA, auto: p < ALPHA / 2 || peerP.input[k]! < ALPHA / 2 }));
  const peer = {
    auto: peerDecisions.filter((d) => d.auto).length,
    mmd: peerDecisions.filter((d) => d.mmd).length,
    input: peerDecisions.filter((d) => d.input).length,
    // Windows where all three of the peer's decisions are ours.
    agreeing: peerDecisions.filter((d, k) => d.auto === outcomes[k]!.auto && d.mmd === outcomes[k]!.mmd.drifted && d.input === outcomes[k]!.input.drifted).length,
  };
  results.push({ condition: condition.name, drift: condition.drift, windows: WINDOWS, detections, peer, medianP, outcomes, peerP });
  rows.push({
    condition: condition.name,
    'auto (default)': `${detections.auto}/${WINDOWS}`,
    mmd: `${detections.mmd}/${WINDOWS}`,
    input: `${detections.input}/${WINDOWS}`,
    'median p mmd': medianP.mmd,
    'median p input': medianP.input,
    'peer auto/mmd/input': `${peer.auto}/${peer.mmd}/${peer.input}`,
    'same decisions': `${peer.agreeing}/${WINDOWS}`,
    goal: condition.drift ? (condition.name.startsWith('(a)') ? 'auto ≥ 19' : 'auto, mmd ≥ 19') : '≤ 1 each',
  });
}
printTable(rows);

// The goals: ≤ 1 false alarm in 20 per method; auto ≥ 19/20 on every shift; mmd alone ≥ 19/20 on (b)–(e).
const limit = (n: number) => Math.round((n * 19) / 20);
const iid = results[0]!;
const goals = {
  falseAlarms: (['auto', 'mmd', 'input'] as const).every((m) => iid.detections[m] <= Math.ceil(WINDOWS / 20)),
  autoPower: results.slice(1).every((r) => r.detections.auto >= limit(WINDOWS)),
  mmdPowerBtoE: results.slice(2).every((r) => r.detections.mmd >= limit(WINDOWS)),
};
console.log(`\ngoals: false alarms ≤ 1/20 per method: ${goals.falseAlarms ? 'met' : 'NOT met'}; auto ≥ 19/20 on (a)–(e): ${goals.autoPower ? 'met' : 'NOT met'}; mmd ≥ 19/20 on (b)–(e): ${goals.mmdPowerBtoE ? 'met' : 'NOT met'}`);
const file = writeResults('monitor-power', {
  machine: machine(),
  model: { bundle: bundleDir, training: TRAINING.join(' '), space: reference.space, dim: reference.dim, referenceRows: reference.sampleRows, referenceImages: reference.input.count },
  settings: { windows: WINDOWS, windowSize: WINDOW_SIZE, alpha: ALPHA, permutations: PERMUTATIONS, priorClasses: PRIOR_CLASSES.map((c) => bundle.manifest.classes[c]) },
  goals,
  peer: 'numpy MMD² with the same permutations; scipy ks_2samp + chi2_contingency, Bonferroni × 4 (bench/monitor/power-peer.ts)',
  results: results.map(({ outcomes, peerP, ...summary }) => ({ ...summary, pValues: { mmd: outcomes.map((o) => o.mmd.pValue), input: outcomes.map((o) => o.input.pValue) }, peerPValues: peerP })),
});
console.log(`wrote ${file}`);
await predictor.release();
await fastMatmul.release();
