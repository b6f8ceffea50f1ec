// bench/orb: local features on Fashion-MNIST test images upscaled 4× to 112×112 (bilinear):
// CV Factory's ORB (one scale, and OpenCV's default 8-level pyramid; image by image on the host,
// and in batches through the CPU Device as `features.kind: orb` runs it, the same kernels' CPU
// references) and SIFT (OpenCV's defaults) on the CPU path, one thread, beside OpenCV's
// cv2.ORB_create / cv2.SIFT_create with the same settings on the same 8-bit images, one thread
// (cv2.setNumThreads(1)). Each side times its whole batch; the fastest of --repeat passes counts,
// and the sides take turns for --rounds rounds.
// Keypoint counts are printed so the work compared is visibly the same size.
// Usage: npx tsx --conditions=source bench/orb/run.ts [--images N] [--repeat R] [--rounds K]
//        (npm run bench:features -- [flags])
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CpuDevice, grayImage, orbFeatures, orbFeaturesOnDevice, SIFT_DEFAULTS, siftFeatures, Tensor } from '@cvf/core';
import { readFashionMnist } from '../pca/fashion-mnist.js';
import { machine, printTable, writeResults } from '../support/report.js';
import { runOpenCv, type PeerJob, type Timed } from './opencv-peer.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const count = flag('--images', 500);
const repeat = flag('--repeat', 3);
const rounds = flag('--rounds', 2);
const SIDE = 112;
const KEYPOINTS = 500;
const FAST_THRESHOLD = 20;
/** SIFT images per Device batch: the scale space of a batch is held at once. */
const SIFT_CHUNK = 25;
/** ORB images per Device batch (the extractor's transform batch). */
const ORB_CHUNK = 50;

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
const device = new CpuDevice();
console.log(`Fashion-MNIST t10k: ${n} images ${SIDE}×${SIDE}, ≤ ${KEYPOINTS} keypoints; fastest of ${repeat} passes × ${rounds} rounds, one thread each side`);

async function fastest(pass: () => Promise<number>): Promise<Timed> {
  let best = Infinity;
  let found = 0;
  for (let r = 0; r < repeat; r++) {
    const start = performance.now();
    found = await pass();
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return { seconds: best, keypoints: found };
}

const orbPass = (levels: number) => async () => {
  let found = 0;
  for (let i = 0; i < n; i++) found += orbFeatures(grayImage(images, i * SIDE * SIDE, SIDE, SIDE), { keypoints: KEYPOINTS, fastThreshold: FAST_THRESHOLD, levels, scaleFactor: 1.2 }).keypoints.length;
  return found;
};

const orbDevicePass = (levels: number) => async () => {
  let found = 0;
  for (let at = 0; at < n; at += ORB_CHUNK) {
    const batch = Array.from({ length: Math.min(ORB_CHUNK, n - at) }, (_, j) => grayImage(images, (at + j) * SIDE * SIDE, SIDE, SIDE));
    for (const f of await orbFeaturesOnDevice(device, batch, { keypoints: KEYPOINTS, fastThreshold: FAST_THRESHOLD, levels, scaleFactor: 1.2 })) found += f.keypoints.length;
  }
  return found;
};

const siftPass = async () => {
  let found = 0;
  for (let at = 0; at < n; at += SIFT_CHUNK) {
    const size = Math.min(SIFT_CHUNK, n - at);
    const batch = Tensor.cpu('f32', [size, SIDE, SIDE], Float32Array.from(images.subarray(at * SIDE * SIDE, (at + size) * SIDE * SIDE)));
    for (const f of await siftFeatures(device, batch, { ...SIFT_DEFAULTS, keypoints: KEYPOINTS })) found += f.keypoints.length;
  }
  return found;
};

const orbJob = (levels: number): PeerJob => ({ kind: 'orb', keypoints: KEYPOINTS, levels, scaleFactor: 1.2, fastThreshold: FAST_THRESHOLD });
const CASES: { name: string; ours: () => Promise<number>; peer: PeerJob }[] = [
  { name: 'ORB, one scale', ours: orbPass(1), peer: orbJob(1) },
  { name: 'ORB, 8 levels × 1.2', ours: orbPass(8), peer: orbJob(8) },
  { name: `ORB, 8 levels × 1.2, CPU Device, batches of ${ORB_CHUNK}`, ours: orbDevicePass(8), peer: orbJob(8) },
  { name: 'SIFT (OpenCV defaults)', ours: siftPass, peer: { kind: 'sift', keypoints: KEYPOINTS } },
];

try {
  const rows: Record<string, string | number>[] = [];
  const results: Record<string, { cvf: Timed; opencv: Timed & { version: string } }> = {};
  for (const c of CASES) {
    let ours: Timed | undefined;
    let opencv: (Timed & { version: string }) | undefined;
    for (let round = 0; round < rounds; round++) {
      const a = await fastest(c.ours);
      const b = runOpenCv(file, n, SIDE, repeat, c.peer);
      if (!ours || a.seconds < ours.seconds) ours = a;
      if (!opencv || b.seconds < opencv.seconds) opencv = b;
      console.log(`${c.name}, round ${round + 1}: cvf ${a.seconds.toFixed(3)} s, OpenCV ${b.seconds.toFixed(3)} s`);
    }
    if (!ours || !opencv) throw new Error('--rounds must be at least 1');
    results[c.name] = { cvf: ours, opencv };
    rows.push(
      { features: c.name, implementation: 'cvf (TypeScript, CPU)', seconds: ours.seconds, 'ms / image': (ours.seconds * 1000) / n, keypoints: ours.keypoints, 'time / OpenCV': ours.seconds / opencv.seconds },
      { features: c.name, implementation: `OpenCV ${opencv.version}`, seconds: opencv.seconds, 'ms / image': (opencv.seconds * 1000) / n, keypoints: opencv.keypoints, 'time / OpenCV': 1 },
    );
  }
  printTable(rows);
  console.log(`written to ${writeResults('orb', { machine: machine(), images: n, side: SIDE, keypoints: KEYPOINTS, fastThreshold: FAST_THRESHOLD, repeat, rounds, results })}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
