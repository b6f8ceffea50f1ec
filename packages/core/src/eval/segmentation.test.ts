import { describe, expect, it } from 'vitest';
import { maskOverlap, segmentationScores } from './segmentation.js';

// Hand-worked case, 8 pixels, 4 classes (class 3 absent from both):
//   truth     0 0 1 1 2 2 0 0
//   predicted 0 1 1 1 2 0 0 0
// class 0: |T| 4 (0,1,6,7), |P| 4 (0,5,6,7), |T∩P| 3 → Dice 6/8 = 3/4, IoU 3/5
// class 1: |T| 2, |P| 3, ∩ 2 → Dice 4/5, IoU 2/3
// class 2: |T| 2, |P| 1, ∩ 1 → Dice 2/3, IoU 1/2
const truth = Uint8Array.from([0, 0, 1, 1, 2, 2, 0, 0]);
const predicted = Uint8Array.from([0, 1, 1, 1, 2, 0, 0, 0]);

describe('segmentation Dice and IoU', () => {
  it('per class and mean; a class absent from both is NaN and left out by default', () => {
    const scores = segmentationScores(truth, predicted, 4);
    const expected = [
      [3 / 4, 3 / 5],
      [4 / 5, 2 / 3],
      [2 / 3, 1 / 2],
    ];
    expected.forEach(([dice, iou], c) => {
      expect(scores.perClass[c]!.dice).toBeCloseTo(dice!, 12);
      expect(scores.perClass[c]!.iou).toBeCloseTo(iou!, 12);
    });
    expect(scores.perClass[0]).toMatchObject({ truth: 4, predicted: 4, intersection: 3 });
    expect(scores.perClass[3]!.dice).toBeNaN();
    expect(scores.meanDice).toBeCloseTo((3 / 4 + 4 / 5 + 2 / 3) / 3, 12);
    expect(scores.meanIou).toBeCloseTo((3 / 5 + 2 / 3 + 1 / 2) / 3, 12);
  });

  it("with empty: 'one' an absent class scores 1 and counts", () => {
    const scores = segmentationScores(truth, predicted, 4, { empty: 'one' });
    expect(scores.perClass[3]).toMatchObject({ dice: 1, iou: 1 });
    expect(scores.meanDice).toBeCloseTo((3 / 4 + 4 / 5 + 2 / 3 + 1) / 4, 12);
  });

  it('can leave the background out of the means and ignore unlabelled pixels', () => {
    expect(segmentationScores(truth, predicted, 4, { excludeBackground: true }).meanDice).toBeCloseTo((4 / 5 + 2 / 3) / 2, 12);
    // an extra pixel with truth 255 (unlabelled) predicted as 1 changes nothing when ignored
    const withVoid = segmentationScores(Uint8Array.from([...truth, 255]), Uint8Array.from([...predicted, 1]), 4, { ignoreLabel: 255 });
    expect(withVoid.perClass[1]!.dice).toBeCloseTo(4 / 5, 12);
    expect(() => segmentationScores(Uint8Array.from([...truth, 255]), Uint8Array.from([...predicted, 1]), 4)).toThrow(
      expect.objectContaining({ code: 'EVAL_LABEL_OUT_OF_RANGE' }),
    );
  });

  it('a predicted class absent from the truth scores 0', () => {
    // truth all 0, prediction has one pixel of class 1: class 1 |T| 0, |P| 1 → Dice 0
    expect(segmentationScores(Uint8Array.from([0, 0]), Uint8Array.from([0, 1]), 2).perClass[1]!.dice).toBe(0);
  });
});

describe('binary mask overlap', () => {
  it('treats non-zero as foreground, with the same empty convention', () => {
    // truth 1 1 0 0, predicted 1 0 1 0 → |T| 2, |P| 2, ∩ 1 → Dice 1/2, IoU 1/3
    const overlap = maskOverlap(Uint8Array.from([1, 1, 0, 0]), Uint8Array.from([255, 0, 255, 0]));
    expect(overlap.dice).toBeCloseTo(1 / 2, 12);
    expect(overlap.iou).toBeCloseTo(1 / 3, 12);
    expect(maskOverlap(new Uint8Array(4), new Uint8Array(4)).dice).toBeNaN();
    expect(maskOverlap(new Uint8Array(4), new Uint8Array(4), 'one')).toEqual({ dice: 1, iou: 1 });
  });
});
