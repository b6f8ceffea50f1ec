import { inputImageStatistics, type DecodedInput, type Device } from '@cvf/core';
import type { InferenceLog } from '../inference-log.js';

/**
 * The inference log seen through a lens that adds each image's intensity statistics (the input
 * drift detector's data, a few numbers and no pixels) to its record: the i-th appended record gets
 * the statistics of `images[i]`, as the predictions of a request are recorded in order. The
 * statistics are computed now, from the decoded images before they are released.
 */
export async function withInputStatistics(log: InferenceLog, device: Device, images: readonly DecodedInput[], scale: number): Promise<InferenceLog> {
  const statistics = await Promise.all(images.map((image) => inputImageStatistics(device, image, scale)));
  let next = 0;
  return {
    append: (record) => log.append({ ...record, input: statistics[next++]! }),
    flush: () => log.flush(),
    close: () => log.close(),
    get stats() {
      return log.stats;
    },
  };
}
