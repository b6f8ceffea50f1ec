import { CpuDevice } from '../../compute/cpu-device.js';
import { readDecodedInput } from '../../image/decoded-input.js';
import type { ImageTensor } from '../../image/image-tensor.js';
import type { Sample } from '../dataset.js';

/** A sample's image on the host, for tests that look at its pixels (device images are read back, as thumbnails do). */
export function hostImage(sample: Sample): Promise<ImageTensor> {
  return sample.load().then((input) => readDecodedInput(new CpuDevice(), input));
}
