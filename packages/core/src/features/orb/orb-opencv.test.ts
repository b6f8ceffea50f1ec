// ORB against OpenCV 4.6 (Debian python3-opencv) on the same images: rotated and shifted views
// of one seeded scene, where the true position of every point is known. Both detectors run with
// the same settings (one scale, 300 keypoints, FAST threshold 20); the same measures score both.
import { describe as suite, expect, it } from 'vitest';
import { pythonModules, requireInCi } from '../../node/testing/index.js';
import { type Detection, insideFrame, matchingRate, opencvDetections, printRounded, repeatability, type ViewScoring } from '../../node/testing/opencv-views.js';
import { DESCRIPTOR_WORDS, hamming } from './brief.js';
import { grayImage } from './gray-image.js';
import { orbFeatures } from './orb-features.js';
import { SyntheticScene } from './synthetic-scene.js';

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

const SCORING: ViewScoring = { size: SIZE, margin: MARGIN, tolerance: TOLERANCE };
const inside = insideFrame(SCORING);
const OPENCV_ORB = "cv2.ORB_create(nfeatures=job['keypoints'], nlevels=1, fastThreshold=job['threshold'], edgeThreshold=16, patchSize=31, scoreType=cv2.ORB_HARRIS_SCORE)";

const opencvMissing = requireInCi("OpenCV 4.6 (Debian's python3-opencv)", pythonModules('cv2', 'numpy'));

suite.skipIf(opencvMissing)('ORB against OpenCV 4.6 on rotated and shifted views of one scene', () => {
  const scene = new SyntheticScene(7, SIZE);
  const base = scene.render(SIZE, 0, [0, 0]);
  const views = VIEWS.map((v) => scene.render(SIZE, v.angle, v.shift));
  const ours = (pixels: Uint8Array): Detection<Uint32Array> => {
    const { keypoints, descriptors } = orbFeatures(grayImage(pixels, 0, SIZE, SIZE), { keypoints: KEYPOINTS, fastThreshold: THRESHOLD, levels: 1, scaleFactor: 1.2 });
    return { points: keypoints.map((k) => [k.x, k.y] as const), descriptors };
  };
  const opencv = () => opencvDetections(OPENCV_ORB, 'binary', { size: SIZE, keypoints: KEYPOINTS, threshold: THRESHOLD, images: [base, ...views] });

  it('repeats keypoints and matches descriptors under rotation within a stated margin of OpenCV', () => {
    const [cvBase, ...cvViews] = opencv();
    const ourBase = ours(base);
    const rows = VIEWS.map((v, i) => {
      const ourView = ours(views[i]!);
      return {
        degrees: Math.round((v.angle * 180) / Math.PI),
        repeatOurs: repeatability(SCORING, ourBase, ourView, v),
        repeatOpenCv: repeatability(SCORING, cvBase!, cvViews[i]!, v),
        matchOurs: matchingRate(SCORING, ourBase, ourView, v, hamming),
        matchOpenCv: matchingRate(SCORING, cvBase!, cvViews[i]!, v, hamming),
      };
    });
    printRounded(rows);
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
