// ORB's image pyramid under zoom: zoomed views of one seeded scene, where the true position of
// every point is known. Ours with OpenCV's default pyramid (8 levels, ×1.2) against ours on one
// scale, and against OpenCV 4.6's ORB with the same pyramid (Debian python3-opencv) on the same
// images; the same measures score all three.
import { describe as suite, expect, it } from 'vitest';
import { pythonModules, requireInCi } from '../../node/testing/index.js';
import { type Detection, matchingRate, opencvDetections, printRounded, repeatability, type ViewScoring } from '../../node/testing/opencv-views.js';
import { hamming } from './brief.js';
import { grayImage } from './gray-image.js';
import { orbFeatures } from './orb-features.js';
import { SyntheticScene } from './synthetic-scene.js';

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

const SCORING: ViewScoring = { size: SIZE, margin: MARGIN, tolerance: TOLERANCE };
const OPENCV_ORB = "cv2.ORB_create(nfeatures=job['keypoints'], nlevels=8, scaleFactor=1.2, fastThreshold=job['threshold'], edgeThreshold=16, patchSize=31, scoreType=cv2.ORB_HARRIS_SCORE)";

const opencvMissing = requireInCi("OpenCV 4.6 (Debian's python3-opencv)", pythonModules('cv2', 'numpy'));

suite.skipIf(opencvMissing)('ORB pyramid under zoom', () => {
  const scene = new SyntheticScene(7, SIZE);
  const base = scene.render(SIZE, 0, [0, 0]);
  const views = VIEWS.map((v) => scene.render(SIZE, v.angle, [0, 0], v.scale));
  const ours = (levels: number) => (pixels: Uint8Array): Detection<Uint32Array> => {
    const { keypoints, descriptors } = orbFeatures(grayImage(pixels, 0, SIZE, SIZE), { keypoints: KEYPOINTS, fastThreshold: THRESHOLD, levels, scaleFactor: 1.2 });
    return { points: keypoints.map((k) => [k.x, k.y] as const), descriptors };
  };
  const opencv = () => opencvDetections(OPENCV_ORB, 'binary', { size: SIZE, keypoints: KEYPOINTS, threshold: THRESHOLD, images: [base, ...views] });

  it('repeats and matches more keypoints across zooms than one scale does, near OpenCV with the same pyramid', () => {
    const [cvBase, ...cvViews] = opencv();
    const [pyramidBase, ...pyramidViews] = [base, ...views].map(ours(8));
    const [singleBase, ...singleViews] = [base, ...views].map(ours(1));
    const rows = VIEWS.map((v, i) => ({
      degrees: Math.round((v.angle * 180) / Math.PI),
      scale: v.scale,
      repeatPyramid: repeatability(SCORING, pyramidBase!, pyramidViews[i]!, v),
      repeatOneScale: repeatability(SCORING, singleBase!, singleViews[i]!, v),
      repeatOpenCv: repeatability(SCORING, cvBase!, cvViews[i]!, v),
      matchPyramid: matchingRate(SCORING, pyramidBase!, pyramidViews[i]!, v, hamming),
      matchOneScale: matchingRate(SCORING, singleBase!, singleViews[i]!, v, hamming),
      matchOpenCv: matchingRate(SCORING, cvBase!, cvViews[i]!, v, hamming),
    }));
    printRounded(rows);
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
