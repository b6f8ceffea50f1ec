// ORB's image pyramid under zoom: zoomed views of one seeded scene, where the true position of
// every point is known. Ours with OpenCV's default pyramid (8 levels, ×1.2) against ours on one
// scale, and against OpenCV 4.6's ORB with the same pyramid (Debian python3-opencv) on the same
// images; the same measures score all three.
import { spawnSync } from 'node:child_process';
import { describe as suite, expect, it } from 'vitest';
import { pythonModules, requireInCi, SYSTEM_PYTHON } from '../../node/testing/index.js';
import { hamming } from './brief.js';
import { grayImage } from './gray-image.js';
import { orbFeatures } from './orb-features.js';
import { SyntheticScene, viewPoint } from './synthetic-scene.js';

const SIZE = 200;
const KEYPOINTS = 500;
const THRESHOLD = 20;
const MARGIN = 34;
/** A keypoint repeats, and a match is correct, within this distance of the true position (pixels of the view). */
const TOLERANCE = 3;
const VIEWS: { angle: number; scale: number }[] = [
  { angle: 0, scale: 0.7 },
  { angle: 0, scale: 1.45 },
  { angle: Math.PI / 6, scale: 0.8 },
  { angle: Math.PI / 6, scale: 1.25 },
];

const OPENCV = `
import base64, json, sys
import cv2, numpy as np
job = json.load(sys.stdin)
orb = cv2.ORB_create(nfeatures=job['keypoints'], nlevels=8, scaleFactor=1.2, fastThreshold=job['threshold'], edgeThreshold=16, patchSize=31, scoreType=cv2.ORB_HARRIS_SCORE)
out = []
for b64 in job['images']:
    image = np.frombuffer(base64.b64decode(b64), dtype=np.uint8).reshape(job['size'], job['size'])
    keypoints, descriptors = orb.detectAndCompute(image, None)
    out.append({'points': [[k.pt[0], k.pt[1]] for k in keypoints], 'descriptors': base64.b64encode(descriptors.tobytes()).decode() if descriptors is not None else ''})
print(json.dumps(out))
`;

interface Detection {
  readonly points: readonly (readonly [number, number])[];
  readonly descriptors: Uint32Array;
}

const inside = ([x, y]: readonly [number, number]) => x >= MARGIN && y >= MARGIN && x < SIZE - MARGIN && y < SIZE - MARGIN;

function repeatability(base: Detection, view: Detection, v: (typeof VIEWS)[number]): number {
  let seen = 0;
  let repeated = 0;
  for (const p of base.points) {
    const q = viewPoint(SIZE, v.angle, [0, 0], p[0], p[1], v.scale);
    if (!inside(p) || !inside(q)) continue;
    seen++;
    if (view.points.some((r) => Math.hypot(r[0] - q[0], r[1] - q[1]) <= TOLERANCE)) repeated++;
  }
  return repeated / seen;
}

function matchingRate(base: Detection, view: Detection, v: (typeof VIEWS)[number]): number {
  const nearest = (from: Detection, to: Detection, i: number) => {
    let best = -1;
    let bestDistance = Infinity;
    for (let j = 0; j < to.points.length; j++) {
      const d = hamming(from.descriptors, i, to.descriptors, j);
      if (d < bestDistance) [best, bestDistance] = [j, d];
    }
    return best;
  };
  let seen = 0;
  let correct = 0;
  base.points.forEach((p, i) => {
    const q = viewPoint(SIZE, v.angle, [0, 0], p[0], p[1], v.scale);
    if (!inside(p) || !inside(q)) return;
    seen++;
    const j = nearest(base, view, i);
    if (j < 0 || nearest(view, base, j) !== i) return;
    const r = view.points[j]!;
    if (Math.hypot(r[0] - q[0], r[1] - q[1]) <= TOLERANCE) correct++;
  });
  return correct / seen;
}

const opencvMissing = requireInCi("OpenCV 4.6 (Debian's python3-opencv)", pythonModules('cv2', 'numpy'));

suite.skipIf(opencvMissing)('ORB pyramid under zoom', () => {
  const scene = new SyntheticScene(7, SIZE);
  const base = scene.render(SIZE, 0, [0, 0]);
  const views = VIEWS.map((v) => scene.render(SIZE, v.angle, [0, 0], v.scale));
  const ours = (levels: number) => (pixels: Uint8Array): Detection => {
    const { keypoints, descriptors } = orbFeatures(grayImage(pixels, 0, SIZE, SIZE), { keypoints: KEYPOINTS, fastThreshold: THRESHOLD, levels, scaleFactor: 1.2 });
    return { points: keypoints.map((k) => [k.x, k.y] as const), descriptors };
  };
  const opencv = (): Detection[] => {
    const job = { size: SIZE, keypoints: KEYPOINTS, threshold: THRESHOLD, images: [base, ...views].map((p) => Buffer.from(p).toString('base64')) };
    const run = spawnSync(SYSTEM_PYTHON, ['-c', OPENCV], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 64 << 20 });
    if (run.status !== 0) throw new Error(`opencv: ${run.stderr}`);
    return (JSON.parse(run.stdout) as { points: [number, number][]; descriptors: string }[]).map(({ points, descriptors }) => {
      const bytes = Buffer.from(descriptors, 'base64');
      const words = new Uint32Array(bytes.length / 4);
      new Uint8Array(words.buffer).set(bytes);
      return { points, descriptors: words };
    });
  };

  it('repeats and matches more keypoints across zooms than one scale does, near OpenCV with the same pyramid', () => {
    const [cvBase, ...cvViews] = opencv();
    const [pyramidBase, ...pyramidViews] = [base, ...views].map(ours(8));
    const [singleBase, ...singleViews] = [base, ...views].map(ours(1));
    const rows = VIEWS.map((v, i) => ({
      degrees: Math.round((v.angle * 180) / Math.PI),
      scale: v.scale,
      repeatPyramid: repeatability(pyramidBase!, pyramidViews[i]!, v),
      repeatOneScale: repeatability(singleBase!, singleViews[i]!, v),
      repeatOpenCv: repeatability(cvBase!, cvViews[i]!, v),
      matchPyramid: matchingRate(pyramidBase!, pyramidViews[i]!, v),
      matchOneScale: matchingRate(singleBase!, singleViews[i]!, v),
      matchOpenCv: matchingRate(cvBase!, cvViews[i]!, v),
    }));
    console.table(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v.toFixed(3))]))));
    const mean = (key: Exclude<keyof (typeof rows)[number], 'degrees' | 'scale'>) => rows.reduce((s, r) => s + r[key], 0) / rows.length;
    // Seen on this scene: matching 0.40 (pyramid) against 0.24 (one scale) and 0.42 (OpenCV);
    // repeatability on zoomed-in views 0.90–0.94 against 0.79–0.84 at one scale. Zoomed out, one
    // scale repeats positions as well or better (the shrunk corners are still FAST corners, and the
    // pyramid spends part of its budget on coarser levels): the descriptors are what it loses there.
    expect(mean('matchPyramid')).toBeGreaterThanOrEqual(mean('matchOneScale') + 0.1);
    for (const r of rows.filter((row) => row.scale > 1)) expect(r.repeatPyramid).toBeGreaterThanOrEqual(r.repeatOneScale + 0.05);
    expect(mean('repeatPyramid')).toBeGreaterThanOrEqual(mean('repeatOpenCv') - 0.1);
    expect(mean('matchPyramid')).toBeGreaterThanOrEqual(mean('matchOpenCv') - 0.1);
  });
});
