// bench/orb: ORB keypoints and descriptors (one scale, FAST threshold 20, 500 keypoints) on
// Fashion-MNIST test images upscaled 4× to 112×112 (bilinear), CV Factory's `orbFeatures` (CPU
// path, one thread) beside OpenCV's cv2.ORB_create(nlevels=1, HARRIS) on the same 8-bit images,
// one thread (cv2.setNumThreads(1)). Each side times its whole batch; the fastest of --repeat
// passes counts, and the sides take turns for --rounds rounds. Keypoint counts are printed so the
// work compared is visibly the same size.
// Usage: npx tsx --conditions=source bench/orb/run.ts [--images N] [--repeat R] [--rounds K]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grayImage, orbFeatures } from '@cvf/core';
import { readFashionMnist } from '../pca/fashion-mnist.js';
import { machine, printTable, writeResults } from '../support/report.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const count = flag('--images', 500);
const repeat = flag('--repeat', 3);
const rounds = flag('--rounds', 2);
const SIDE = 112;
const OPTIONS = { keypoints: 500, fastThreshold: 20 };

const OPENCV = `
import json, sys, time
import cv2, numpy as np
path, count, side, keypoints, threshold, repeat = sys.argv[1], *map(int, sys.argv[2:7])
cv2.setNumThreads(1)
images = np.fromfile(path, dtype=np.uint8).reshape(count, side, side)
orb = cv2.ORB_create(nfeatures=keypoints, nlevels=1, fastThreshold=threshold, edgeThreshold=16, patchSize=31, scoreType=cv2.ORB_HARRIS_SCORE)
best, found = float('inf'), 0
for _ in range(repeat):
    start = time.perf_counter()
    found = 0
    for image in images:
        kps, desc = orb.detectAndCompute(image, None)
        found += len(kps)
    best = min(best, time.perf_counter() - start)
print(json.dumps({'seconds': best, 'keypoints': found, 'version': cv2.__version__}))
`;

// Upscaled by OpenCV's bilinear resize (nearest would leave flat 4×4 blocks, whose FAST scores
// tie on plateaus that OpenCV's strict non-maximum suppression drops entirely), written once and
// read by both sides.
const test = readFashionMnist('t10k');
const n = Math.min(count, test.count);
const dir = mkdtempSync(join(tmpdir(), 'cvf-bench-orb-'));
const source = join(dir, 'images28.u8');
const file = join(dir, 'images.u8');
writeFileSync(source, Uint8Array.from(test.images.subarray(0, n * 784), (v) => Math.round(v * 255)));
const resize = spawnSync('/usr/bin/python3', ['-c', `import sys, cv2, numpy as np\nx = np.fromfile(sys.argv[1], dtype=np.uint8).reshape(-1, 28, 28)\nnp.stack([cv2.resize(i, (${SIDE}, ${SIDE}), interpolation=cv2.INTER_LINEAR) for i in x]).tofile(sys.argv[2])`, source, file], { encoding: 'utf8' });
if (resize.status !== 0) throw new Error(`resize failed: ${resize.stderr}`);
const images = new Uint8Array(readFileSync(file));
console.log(`Fashion-MNIST t10k: ${n} images ${SIDE}×${SIDE}, ORB one scale, ≤ ${OPTIONS.keypoints} keypoints, FAST ${OPTIONS.fastThreshold}; fastest of ${repeat} passes × ${rounds} rounds, one thread each side`);

function runOurs(): { seconds: number; keypoints: number } {
  let best = Infinity;
  let found = 0;
  for (let r = 0; r < repeat; r++) {
    const start = performance.now();
    found = 0;
    for (let i = 0; i < n; i++) found += orbFeatures(grayImage(images, i * SIDE * SIDE, SIDE, SIDE), OPTIONS).keypoints.length;
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return { seconds: best, keypoints: found };
}

function runOpenCv(): { seconds: number; keypoints: number; version: string } {
  const run = spawnSync('/usr/bin/python3', ['-c', OPENCV, file, String(n), String(SIDE), String(OPTIONS.keypoints), String(OPTIONS.fastThreshold), String(repeat)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (run.status !== 0) throw new Error(`OpenCV run failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { seconds: number; keypoints: number; version: string };
}

try {
  let ours: { seconds: number; keypoints: number } | undefined;
  let opencv: { seconds: number; keypoints: number; version: string } | undefined;
  for (let round = 0; round < rounds; round++) {
    const a = runOurs();
    const b = runOpenCv();
    if (!ours || a.seconds < ours.seconds) ours = a;
    if (!opencv || b.seconds < opencv.seconds) opencv = b;
    console.log(`round ${round + 1}: cvf ${a.seconds.toFixed(3)} s, OpenCV ${b.seconds.toFixed(3)} s`);
  }
  if (!ours || !opencv) throw new Error('--rounds must be at least 1');
  const rows = [
    { implementation: 'cvf orbFeatures (TypeScript, CPU)', seconds: ours.seconds, 'ms / image': (ours.seconds * 1000) / n, keypoints: ours.keypoints, 'time / OpenCV': ours.seconds / opencv.seconds },
    { implementation: `OpenCV ${opencv.version} ORB`, seconds: opencv.seconds, 'ms / image': (opencv.seconds * 1000) / n, keypoints: opencv.keypoints, 'time / OpenCV': 1 },
  ];
  printTable(rows);
  const results = { machine: machine(), images: n, side: SIDE, options: OPTIONS, repeat, rounds, cvf: ours, opencv };
  console.log(`written to ${writeResults('orb', results)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
