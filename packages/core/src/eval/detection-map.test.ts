import { describe, expect, it } from 'vitest';
import { boxIou, COCO_IOU_THRESHOLDS, meanAveragePrecision, type DetectedBoxes, type GroundTruthBoxes } from './detection-map.js';

describe('box IoU', () => {
  it('is intersection over union of [x1, y1, x2, y2] boxes', () => {
    expect(boxIou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(boxIou([0, 0, 10, 10], [0, 0, 10, 6.8])).toBeCloseTo(0.68, 12); // 68 / 100
    expect(boxIou([0, 0, 10, 10], [5, 5, 15, 15])).toBeCloseTo(25 / 175, 12);
    expect(boxIou([0, 0, 10, 10], [10, 0, 20, 10])).toBe(0); // touching edges share no area
  });
});

// Hand-worked case: 3 classes, 2 images.
//   ground truth: class 0: A = [0,0,10,10] in image 1, B = [0,0,10,10] in image 2
//                 class 1: C = [50,50,70,70] in image 2
//                 class 2: none
//   detections (score): class 0: d4 img1 [1.5,0,10,10] (0.95) IoU(A) = 85/100 = 0.85
//                                d1 img1 [0,0,10,10]   (0.90) IoU(A) = 1
//                                d2 img2 [0,0,10,6.8]  (0.80) IoU(B) = 0.68
//                                d3 img1 [20,20,30,30] (0.70) IoU = 0
//                       class 1: d6 img1 [0,0,10,10]   (0.60) no class-1 truth in image 1 (A is class 0)
//                                d5 img2 [50,50,70,70] (0.50) IoU(C) = 1
//                       class 2: d7 img1 [0,0,5,5]     (0.99) no class-2 truth at all
const groundTruth: GroundTruthBoxes = {
  imageIds: Int32Array.from([1, 2, 2]),
  classIds: Int32Array.from([0, 0, 1]),
  boxes: Float32Array.from([0, 0, 10, 10, 0, 0, 10, 10, 50, 50, 70, 70]),
};
const detections: DetectedBoxes = {
  imageIds: Int32Array.from([1, 1, 2, 1, 1, 2, 1]),
  classIds: Int32Array.from([0, 0, 0, 0, 1, 1, 2]),
  boxes: Float64Array.from([1.5, 0, 10, 10, 0, 0, 10, 10, 0, 0, 10, 6.8, 20, 20, 30, 30, 0, 0, 10, 10, 50, 50, 70, 70, 0, 0, 5, 5]),
  scores: Float32Array.from([0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.99]),
};

// Class 0, greedy by score, per IoU threshold t (hits in score order d4 d1 d2 d3; 2 truths):
//   t ≤ .65 (4 thresholds): d4 takes A, d1 finds A taken (FP), d2 takes B, d3 FP → 1 0 1 0
//     precision 1, 1/2, 2/3, 1/2 → monotone 1, 2/3, 2/3, 1/2; recall .5 .5 1 1
//     recall levels 0….50 (51 of 101) → 1; .51…1 (50) → 2/3 → AP = (51 + 50·2/3)/101 = 253/303
//   .70 ≤ t ≤ .85 (4): d4 takes A, d1 FP, d2 FP (0.68 < t), d3 FP → 1 0 0 0
//     recall tops at .5 → levels 0….50 → precision 1, the rest 0 → AP = 51/101
//   t ≥ .90 (2): d4 FP (0.85 < t), d1 takes A, d2 FP, d3 FP → 0 1 0 0
//     precision 0, 1/2, 1/3, 1/4 → monotone 1/2, 1/2, 1/3, 1/4; recall 0 .5 .5 .5
//     levels 0….50 → 1/2 → AP = 51·(1/2)/101 = 51/202
//   AP(class 0) = (4·253/303 + 4·51/101 + 2·51/202)/10 = (1012 + 612 + 153)/3030 = 1777/3030
// Class 1 at every t: d6 FP then d5 TP → precision 0, 1/2 → monotone 1/2, 1/2; recall 0, 1 → AP = 1/2
// Class 2: no truth → AP undefined (NaN), left out of the mean.
// mAP = (1777/3030 + 1/2)/2 = 3292/6060 = 823/1515
// mAP@.50 = (253/303 + 1/2)/2 = 809/1212; mAP@.75 = (51/101 + 1/2)/2 = 203/404
describe('COCO mAP@[.5:.95]', () => {
  const result = meanAveragePrecision(groundTruth, detections, { numClasses: 3 });

  it('uses the ten IoU thresholds .50:.05:.95', () => {
    expect(COCO_IOU_THRESHOLDS).toEqual([0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]);
    expect(result.iouThresholds).toEqual(COCO_IOU_THRESHOLDS);
  });

  it('matches greedily by score, per IoU threshold', () => {
    const class0 = result.perClass[0]!;
    const expected = [...Array(4).fill(253 / 303), ...Array(4).fill(51 / 101), ...Array(2).fill(51 / 202)] as number[];
    class0.apPerIou.forEach((ap, t) => expect(ap, `IoU ${COCO_IOU_THRESHOLDS[t]}`).toBeCloseTo(expected[t]!, 12));
    expect(class0.ap).toBeCloseTo(1777 / 3030, 12);
    expect(class0).toMatchObject({ groundTruth: 2, detections: 4 });
  });

  it('scores a class per its ranking, and leaves a class without truth out', () => {
    expect(result.perClass[1]!.ap).toBeCloseTo(1 / 2, 12);
    expect(result.perClass[2]!.ap).toBeNaN();
    expect(result.map).toBeCloseTo(823 / 1515, 12);
    expect(result.map50).toBeCloseTo(809 / 1212, 12);
    expect(result.map75).toBeCloseTo(203 / 404, 12);
  });

  it('gives AP 0 to a class with truth but no detection, and honours maxDetectionsPerImage', () => {
    const none = meanAveragePrecision(groundTruth, { ...detections, classIds: Int32Array.from([2, 2, 2, 2, 2, 2, 2]) }, { numClasses: 3 });
    expect(none.perClass[0]!.ap).toBe(0);
    expect(none.map).toBe(0);
    // One detection per image and class: class 0 keeps d4 (img1) and d2 (img2).
    //   t ≤ .65: 1 1 → AP 1; .70–.85: 1 0 → 51/101; ≥ .90: 0 0 → 0
    const top1 = meanAveragePrecision(groundTruth, detections, { numClasses: 3, maxDetectionsPerImage: 1 });
    expect(top1.perClass[0]!.ap).toBeCloseTo((4 + (4 * 51) / 101) / 10, 12);
  });

  it('rejects malformed boxes with EvalError codes', () => {
    expect(() => meanAveragePrecision({ ...groundTruth, boxes: new Float32Array(8) }, detections, { numClasses: 3 })).toThrow(
      expect.objectContaining({ code: 'EVAL_LENGTH_MISMATCH' }),
    );
    expect(() => meanAveragePrecision({ ...groundTruth, boxes: Float32Array.from([10, 0, 0, 10, 0, 0, 1, 1, 0, 0, 1, 1]) }, detections, { numClasses: 3 })).toThrow(
      expect.objectContaining({ code: 'EVAL_VALUE_INVALID', message: expect.stringContaining('x1 ≤ x2') }),
    );
    expect(() => meanAveragePrecision(groundTruth, detections, { numClasses: 2 })).toThrow(expect.objectContaining({ code: 'EVAL_LABEL_OUT_OF_RANGE' }));
    expect(() => meanAveragePrecision(groundTruth, detections, { numClasses: 3, iouThresholds: [1.5] })).toThrow(expect.objectContaining({ code: 'EVAL_OPTION_INVALID' }));
  });
});
