// bench/pca: PCA of Fashion-MNIST's 60,000 training images (784 pixels scaled to [0, 1]) to 64
// components. CV Factory (the `cvf bench pca` logic: products in ONNX Runtime's MLAS on --threads
// T threads, default 1) beside scikit-learn's PCA(svd_solver='randomized') with T BLAS threads
// (OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = MKL_NUM_THREADS = T), on the same raw
// float32 file in the same run; the fastest of --repeat fits counts on each side, and the sides
// take turns for --rounds rounds, so a busy moment does not land on one side only.
// Usage: npm run bench:pca -- [--repeat N] [--rounds R] [--components C] [--threads T] [--samples S]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBenchPca, type BenchPcaResult } from '@cvf/cli';
import { machine, printTable, writeResults } from '../support/report.js';
import { readFashionMnist } from './fashion-mnist.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const repeat = flag('--repeat', 3);
const rounds = flag('--rounds', 2);
const components = flag('--components', 64);
const threads = flag('--threads', 1);
if (!Number.isInteger(threads) || threads < 1) throw new Error(`--threads must be an integer ≥ 1`);
// The issues' goals: no slower than scikit-learn on one thread (at least 1.5× faster on several),
// explained variance ratio within 0.002 of it.
const GOAL_TIME_RATIO = threads > 1 ? 1 / 1.5 : 1.0;
const GOAL_EVR_DIFFERENCE = 0.002;

const SKLEARN = `
import json, sys, time
import numpy as np
import sklearn
from sklearn.decomposition import PCA
path, dim, components, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
x = np.fromfile(path, dtype='<f4').reshape(-1, dim)
best, pca = float('inf'), None
for _ in range(repeat):
    start = time.perf_counter()
    pca = PCA(n_components=components, svd_solver='randomized', random_state=0).fit(x)
    best = min(best, time.perf_counter() - start)
try:
    from threadpoolctl import threadpool_info
    threads = sorted({(p['internal_api'], p['num_threads']) for p in threadpool_info()})
except Exception as e:
    threads = str(e)
print(json.dumps({'seconds': best, 'explainedVarianceRatio': float(pca.explained_variance_ratio_.sum()), 'version': sklearn.__version__, 'threads': threads}))
`;

interface Side {
  name: string;
  seconds: number;
  explainedVarianceRatio: number;
}

function runSklearn(file: string, dim: number): Side & { version: string; threads: unknown } {
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const run = spawnSync('/usr/bin/python3', ['-c', SKLEARN, file, String(dim), String(components), String(repeat)], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`scikit-learn run failed: ${run.stderr}`);
  const result = JSON.parse(run.stdout) as { seconds: number; explainedVarianceRatio: number; version: string; threads: unknown };
  return { name: `scikit-learn ${result.version} PCA(svd_solver='randomized')`, ...result };
}

const train = readFashionMnist('train');
// --samples S: the first S images only (a quick correctness run); default all of them.
const count = Math.min(train.count, flag('--samples', train.count));
const { dim } = train;
const images = train.images.subarray(0, count * dim);
const dir = mkdtempSync(join(tmpdir(), 'cvf-bench-pca-'));
const file = join(dir, 'fashion-mnist-train.f32');
writeFileSync(file, new Uint8Array(images.buffer, images.byteOffset, images.byteLength));
console.log(`Fashion-MNIST train: ${count} × ${dim} float32 → ${components} components, fastest of ${repeat} fits × ${rounds} rounds, ${threads} thread(s) each side`);

try {
  // What `auto` picks for this shape, then the other strategy for comparison, then scikit-learn.
  let auto: BenchPcaResult | undefined;
  let other: BenchPcaResult | undefined;
  let sklearn: ReturnType<typeof runSklearn> | undefined;
  const fastest = <T extends { seconds: number }>(best: T | undefined, next: T): T => (best && best.seconds <= next.seconds ? best : next);
  for (let round = 0; round < rounds; round++) {
    auto = fastest(auto, await runBenchPca({ data: file, dim, components, threads, strategy: 'auto', repeat, device: 'cpu' }));
    const otherStrategy = auto.strategy === 'covariance' ? 'randomized' : 'covariance';
    other = fastest(other, await runBenchPca({ data: file, dim, components, threads, strategy: otherStrategy, repeat, device: 'cpu' }));
    sklearn = fastest(sklearn, runSklearn(file, dim));
    console.log(`round ${round + 1}: cvf auto ${auto.seconds.toFixed(3)} s, cvf ${other.strategy} ${other.seconds.toFixed(3)} s, scikit-learn ${sklearn.seconds.toFixed(3)} s (fastest so far)`);
  }
  if (!auto || !other || !sklearn) throw new Error('--rounds must be at least 1');
  const ours = [
    { name: `cvf auto → ${auto.strategy} (${auto.engine})`, ...auto },
    { name: `cvf ${other.strategy} (${other.engine})`, ...other },
  ];
  const rows = [...ours, sklearn].map((side) => ({
    implementation: side.name,
    seconds: side.seconds,
    'explained variance ratio': side.explainedVarianceRatio.toFixed(5),
    'time / scikit-learn': side.seconds / sklearn.seconds,
    'EVR − scikit-learn': (side.explainedVarianceRatio - sklearn.explainedVarianceRatio).toExponential(1),
  }));
  printTable(rows);
  const goal = {
    timeRatio: auto.seconds / sklearn.seconds,
    evrDifference: Math.abs(auto.explainedVarianceRatio - sklearn.explainedVarianceRatio),
    met: auto.seconds / sklearn.seconds <= GOAL_TIME_RATIO && Math.abs(auto.explainedVarianceRatio - sklearn.explainedVarianceRatio) <= GOAL_EVR_DIFFERENCE,
  };
  console.log(`cvf auto fit on ${threads} thread(s): ${(sklearn.seconds / auto.seconds).toFixed(2)}× scikit-learn's speed with ${threads} BLAS thread(s)`);
  console.log(`goal (cvf auto ≤ ${GOAL_TIME_RATIO.toFixed(3)}× scikit-learn's time, |ΔEVR| ≤ ${GOAL_EVR_DIFFERENCE}): ${goal.met ? 'met' : 'NOT met'} (${goal.timeRatio.toFixed(2)}×, ${goal.evrDifference.toExponential(1)})`);
  const results = { machine: machine(), threads, data: { name: 'fashion-mnist train', samples: count, dim }, components, repeat, rounds, cvf: ours, sklearn, goal: { ...goal, speedup: sklearn.seconds / auto.seconds } };
  console.log(JSON.stringify(results, null, 2));
  console.log(`written to ${writeResults(threads > 1 ? `pca-threads${threads}` : 'pca', results)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
