// ORB against OpenCV 4.6 (Debian python3-opencv) on the same images: rotated and shifted views
// of one seeded scene, where the true position of every point is known. Both detectors run with
// the same settings (one scale, 300 keypoints, FAST threshold 20); the same measures score both.
import { spawnSync } from 'node:child_process';
import { describe as suite, expect, it } from 'vitest';
import { pythonModules, requireInCi, SYSTEM_PYTHON } from '../../node/testing/index.js';
import { DESCRIPTOR_WORDS, hamming } from './brief.js';
import { grayImage } from './gray-image.js';
import { orbFeatures } from './orb-features.js';
import { SyntheticScene, viewPoint } from './synthetic-scene.js';

const SIZE = 200;
const KEYPOINTS = 300;
const THRESHOLD = 20;
/** Only points this far inside both views count: a corner near the edge may be lost to the frame, not to the detector. */
const MARGIN = 34;
/** A keypoint repeats, and a match is correct, within this distance of the true position (pixels). */
const TOLERANCE = 2.5;
const VIEWS: { angle: number; shift: [number, number] }[] = [
  { angle: 0, shift: [6, -4] },
  { angle: Math.PI / 9, shift: [0, 0] },
  { angle: Math.PI / 4, shift: [3, 5] },
  { angle: Math.PI / 2, shift: [0, 0] },
  { angle: (2 * Math.PI) / 3, shift: [-5, 2] },
];

const OPENCV = `
import base64, json, sys
import cv2, numpy as np
job = json.load(sys.stdin)
orb = cv2.ORB_create(nfeatures=job['keypoints'], nlevels=1, fastThreshold=job['threshold'], edgeThreshold=16, patchSize=31, scoreType=cv2.ORB_HARRIS_SCORE)
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

/** Share of the base view's keypoints (seen in both views) with a keypoint of the other view at their true place. */
function repeatability(base: Detection, view: Detection, angle: number, shift: readonly [number, number]): number {
  let seen = 0;
  let repeated = 0;
  for (const p of base.points) {
    const q = viewPoint(SIZE, angle, shift, p[0], p[1]);
    if (!inside(p) || !inside(q)) continue;
    seen++;
    if (view.points.some((r) => Math.hypot(r[0] - q[0], r[1] - q[1]) <= TOLERANCE)) repeated++;
  }
  return repeated / seen;
}

/** Share of the base view's keypoints (seen in both) whose mutual-nearest Hamming match lies at their true place. */
function matchingRate(base: Detection, view: Detection, angle: number, shift: readonly [number, number]): number {
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
    const q = viewPoint(SIZE, angle, shift, p[0], p[1]);
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

suite.skipIf(opencvMissing)('ORB against OpenCV 4.6 on rotated and shifted views of one scene', () => {
  const scene = new SyntheticScene(7, SIZE);
  const base = scene.render(SIZE, 0, [0, 0]);
  const views = VIEWS.map((v) => scene.render(SIZE, v.angle, v.shift));
  const ours = (pixels: Uint8Array): Detection => {
    const { keypoints, descriptors } = orbFeatures(grayImage(pixels, 0, SIZE, SIZE), { keypoints: KEYPOINTS, fastThreshold: THRESHOLD, levels: 1, scaleFactor: 1.2 });
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

  it('repeats keypoints and matches descriptors under rotation within a stated margin of OpenCV', () => {
    const [cvBase, ...cvViews] = opencv();
    const ourBase = ours(base);
    const rows = VIEWS.map((v, i) => {
      const ourView = ours(views[i]!);
      return {
        degrees: Math.round((v.angle * 180) / Math.PI),
        repeatOurs: repeatability(ourBase, ourView, v.angle, v.shift),
        repeatOpenCv: repeatability(cvBase!, cvViews[i]!, v.angle, v.shift),
        matchOurs: matchingRate(ourBase, ourView, v.angle, v.shift),
        matchOpenCv: matchingRate(cvBase!, cvViews[i]!, v.angle, v.shift),
      };
    });
    console.table(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v.toFixed(3))]))));
    expect(ourBase.descriptors.length).toBe(ourBase.points.length * DESCRIPTOR_WORDS);
    expect(ourBase.points.filter(inside).length).toBeGreaterThan(50);
    expect(cvBase!.points.filter(inside).length).toBeGreaterThan(50);
    const mean = (key: keyof (typeof rows)[number]) => rows.reduce((s, r) => s + r[key], 0) / rows.length;
    // Margins: ours may trail OpenCV's mean by at most 0.10 (repeatability) and 0.10 (matching rate),
    // and no single view may trail by more than 0.20.
    expect(mean('repeatOurs')).toBeGreaterThanOrEqual(mean('repeatOpenCv') - 0.1);
    expect(mean('matchOurs')).toBeGreaterThanOrEqual(mean('matchOpenCv') - 0.1);
    for (const r of rows) {
      expect(r.repeatOurs).toBeGreaterThanOrEqual(r.repeatOpenCv - 0.2);
      expect(r.matchOurs).toBeGreaterThanOrEqual(r.matchOpenCv - 0.2);
    }
  });
});
