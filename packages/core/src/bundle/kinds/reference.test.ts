import { describe, expect, it } from 'vitest';
import { INPUT_HISTOGRAM_BINS } from '../../monitor/input-drift/image-statistics.js';
import { inputReferenceOf } from '../../monitor/input-drift/input-reference.js';
import { computeReferenceStatistics } from '../../monitor/reference-statistics.js';
import { loadReferenceStage, saveReferenceStage, type ReferenceStage } from './reference.js';

const embeddings = computeReferenceStatistics({ space: 'pca', features: Float32Array.from({ length: 12 }, (_, i) => Math.sin(i)), rows: 4, dim: 3, labels: [0, 1, 0, 1], classCount: 2, seed: 1 });
const images = inputReferenceOf(
  [0.2, 0.4, 0.6].map((mean, i) => ({ mean, std: 0.1 * (i + 1), histogram: Array.from({ length: INPUT_HISTOGRAM_BINS }, (_, k) => (k === i ? 1 : 0)), width: 28 + i, height: 28 })),
);

/** Saves, then loads from the saved files by role, as a bundle would hand them over. */
function roundTrip(stage: ReferenceStage, files: ReadonlyMap<string, Uint8Array>) {
  const byRole = Object.fromEntries(Object.entries(stage.files).map(([role, path]) => [role, files.get(path)!]));
  return loadReferenceStage(stage, byRole as Parameters<typeof loadReferenceStage>[1]);
}

describe('reference stage', () => {
  it('keeps the input reference as a second file, and gives it back', () => {
    const { stage, files } = saveReferenceStage({ ...embeddings, input: images });
    expect(stage.files).toEqual({ statistics: 'reference.bin', input: 'reference-input.bin' });
    expect(stage.params.input).toEqual({ count: 3, bins: INPUT_HISTOGRAM_BINS });
    const loaded = roundTrip(stage, files);
    expect(loaded.input).toEqual({ ...images, histogram: Float64Array.from(images.histogram) });
    expect(loaded.sample).toEqual(embeddings.sample);
  });

  it('an older stage without it loads as before, with no input reference', () => {
    const { stage, files } = saveReferenceStage(embeddings);
    expect(stage.files).toEqual({ statistics: 'reference.bin' });
    expect('input' in stage.params).toBe(false);
    const loaded = roundTrip(stage, files);
    expect(loaded.input).toBeUndefined();
    expect(loaded.mean).toEqual(embeddings.mean);
  });

  it('an input file without its parameters (or the reverse) is BUNDLE_INVALID', () => {
    const { stage, files } = saveReferenceStage({ ...embeddings, input: images });
    const { input: _input, ...params } = stage.params;
    expect(() => roundTrip({ ...stage, params }, files)).toThrow(expect.objectContaining({ code: 'BUNDLE_INVALID', message: expect.stringMatching(/no params\.input/) }));
    expect(() => roundTrip({ ...stage, files: { statistics: stage.files.statistics } }, files)).toThrow(expect.objectContaining({ code: 'BUNDLE_INVALID', message: expect.stringMatching(/no files\.input/) }));
  });
});
