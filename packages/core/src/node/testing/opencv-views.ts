// Shared plumbing of the tests that score our keypoint detectors against OpenCV 4.6 (Debian
// python3-opencv) on views of one seeded scene: the OpenCV run, and the two measures that score
// both sides alike (repeatability and the mutual-nearest matching rate at the true place).
import { spawnSync } from 'node:child_process';
import { SYSTEM_PYTHON } from './python.js';
import { viewPoint } from '../../features/orb/synthetic-scene.js';

/** Keypoint positions of one image and their descriptors, row by row. */
export interface Detection<D extends Uint32Array | Float32Array> {
  readonly points: readonly (readonly [number, number])[];
  readonly descriptors: D;
}

/** A view of the base scene: rotated by `angle`, shifted, zoomed by `scale` (as SyntheticScene.render). */
export interface SceneView {
  readonly angle: number;
  readonly shift?: readonly [number, number];
  readonly scale?: number;
}

/** How views are scored: images `size` square, points within `margin` of the frame ignored, a hit within `tolerance` pixels. */
export interface ViewScoring {
  readonly size: number;
  readonly margin: number;
  readonly tolerance: number;
}

/** Distance between descriptor `i` of `a` and descriptor `j` of `b`. */
export type DescriptorDistance<D> = (a: D, i: number, b: D, j: number) => number;

/** Whether a point lies far enough inside the frame to count (a corner near the edge may be lost to the frame, not to the detector). */
export function insideFrame(scoring: ViewScoring): (point: readonly [number, number]) => boolean {
  const { size, margin } = scoring;
  return ([x, y]) => x >= margin && y >= margin && x < size - margin && y < size - margin;
}

function truePlace(scoring: ViewScoring, v: SceneView, p: readonly [number, number]): [number, number] {
  return viewPoint(scoring.size, v.angle, v.shift ?? [0, 0], p[0], p[1], v.scale ?? 1);
}

/** Share of the base view's keypoints (seen in both views) with a keypoint of the other view at their true place. */
export function repeatability<D extends Uint32Array | Float32Array>(scoring: ViewScoring, base: Detection<D>, view: Detection<D>, v: SceneView): number {
  const inside = insideFrame(scoring);
  let seen = 0;
  let repeated = 0;
  for (const p of base.points) {
    const q = truePlace(scoring, v, p);
    if (!inside(p) || !inside(q)) continue;
    seen++;
    if (view.points.some((r) => Math.hypot(r[0] - q[0], r[1] - q[1]) <= scoring.tolerance)) repeated++;
  }
  return repeated / seen;
}

/** Share of the base view's keypoints (seen in both) whose mutual-nearest descriptor match lies at their true place. */
export function matchingRate<D extends Uint32Array | Float32Array>(scoring: ViewScoring, base: Detection<D>, view: Detection<D>, v: SceneView, distance: DescriptorDistance<D>): number {
  const inside = insideFrame(scoring);
  const nearest = (from: Detection<D>, to: Detection<D>, i: number) => {
    let best = -1;
    let bestDistance = Infinity;
    for (let j = 0; j < to.points.length; j++) {
      const d = distance(from.descriptors, i, to.descriptors, j);
      if (d < bestDistance) [best, bestDistance] = [j, d];
    }
    return best;
  };
  let seen = 0;
  let correct = 0;
  base.points.forEach((p, i) => {
    const q = truePlace(scoring, v, p);
    if (!inside(p) || !inside(q)) return;
    seen++;
    const j = nearest(base, view, i);
    if (j < 0 || nearest(view, base, j) !== i) return;
    const r = view.points[j]!;
    if (Math.hypot(r[0] - q[0], r[1] - q[1]) <= scoring.tolerance) correct++;
  });
  return correct / seen;
}

/** Descriptor rows as OpenCV returns them: ORB's as packed bytes read as 32-bit words, SIFT's as float32. */
type DescriptorKind = 'binary' | 'float32';
type DescriptorsOf<K extends DescriptorKind> = K extends 'binary' ? Uint32Array : Float32Array;

/**
 * Runs `detector` (a Python expression creating an OpenCV Feature2D; it may read `job[...]`) on
 * every gray `size`×`size` image in `job.images`, through the system Python. Returns one
 * Detection per image, in order.
 */
export function opencvDetections<K extends DescriptorKind>(detector: string, kind: K, job: { readonly size: number; readonly images: readonly Uint8Array[]; readonly [key: string]: unknown }): Detection<DescriptorsOf<K>>[] {
  const cast = kind === 'float32' ? '.astype(np.float32)' : '';
  const script = `
import base64, json, sys
import cv2, numpy as np
job = json.load(sys.stdin)
detector = ${detector}
out = []
for b64 in job['images']:
    image = np.frombuffer(base64.b64decode(b64), dtype=np.uint8).reshape(job['size'], job['size'])
    keypoints, descriptors = detector.detectAndCompute(image, None)
    out.append({'points': [[k.pt[0], k.pt[1]] for k in keypoints], 'descriptors': base64.b64encode(descriptors${cast}.tobytes()).decode() if descriptors is not None else ''})
print(json.dumps(out))
`;
  const input = JSON.stringify({ ...job, images: job.images.map((p) => Buffer.from(p).toString('base64')) });
  const run = spawnSync(SYSTEM_PYTHON, ['-c', script], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`opencv: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { points: [number, number][]; descriptors: string }[]).map(({ points, descriptors }) => {
    const bytes = Buffer.from(descriptors, 'base64');
    const values = kind === 'float32' ? new Float32Array(bytes.length / 4) : new Uint32Array(bytes.length / 4);
    new Uint8Array(values.buffer).set(bytes);
    return { points, descriptors: values as DescriptorsOf<K> };
  });
}

/** Prints the rows of a comparison with every number to three decimals. */
export function printRounded(rows: readonly Record<string, number>[]): void {
  console.table(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v.toFixed(3))]))));
}
