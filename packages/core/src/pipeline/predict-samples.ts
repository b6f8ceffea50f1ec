import type { LabeledSample } from '../data/dataset.js';
import { disposeDecodedInput, type DecodedInput } from '../image/decoded-input.js';
import type { Prediction, Predictor } from './predictor.js';

/** Samples decoded and predicted together: a large split never sits on the Device at once. */
const CHUNK = 32;

/**
 * Predicts `samples` through the Predictor a chunk at a time, as the model answers in service
 * (without similar cases), handing each chunk's predictions to `each` with the chunk and the index
 * of its first sample; the chunk's images are released afterwards, whatever `each` does.
 */
export async function predictSamples(
  predictor: Predictor,
  samples: readonly LabeledSample[],
  each: (predictions: Prediction[], chunk: readonly LabeledSample[], start: number) => void,
): Promise<void> {
  for (let start = 0; start < samples.length; start += CHUNK) {
    const chunk = samples.slice(start, start + CHUNK);
    const images: DecodedInput[] = [];
    try {
      for (const sample of chunk) images.push(await sample.load());
      each(await predictor.predict(images, { similar: 0 }), chunk, start);
    } finally {
      images.forEach(disposeDecodedInput);
    }
  }
}
