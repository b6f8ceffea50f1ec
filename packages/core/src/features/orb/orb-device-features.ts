import type { Device } from '../../compute/device.js';
import { orbBrief } from '../../compute/kernels/orb-brief/orb-brief.js';
import { orbFastScore } from '../../compute/kernels/orb-fast-score/orb-fast-score.js';
import { orbOrientation } from '../../compute/kernels/orb-orientation/orb-orientation.js';
import type { TypedArray } from '../../compute/dtype.js';
import { Tensor } from '../../compute/tensor.js';
import { ShapeError } from '../../errors.js';
import { BRIEF_TESTS, DESCRIPTOR_BITS, DESCRIPTOR_WORDS } from './brief.js';
import { smooth, type GrayImage } from './gray-image.js';
import { detectKeypoints, type Corner } from './keypoints.js';
import { assembleFeatures, keypointRows, type LevelFeatures, type OrbFeatures, type OrbOptions } from './orb-features.js';
import { buildPyramid, type PyramidLevel } from './pyramid.js';

/** Images of one size stacked into one [n, H, W] tensor on the device. */
function stack(device: Device, images: readonly GrayImage[]): Tensor<'f32'> {
  const { width, height } = images[0]!;
  const out = new Float32Array(images.length * width * height);
  images.forEach((image, i) => out.set(image.pixels, i * width * height));
  return device.upload(Tensor.cpu('f32', [images.length, height, width], out));
}

/** A kernel output's values on the host; the tensor is freed. */
export async function readAndFree(device: Device, tensor: Tensor): Promise<TypedArray> {
  try {
    return await device.read(tensor);
  } finally {
    tensor.dispose();
  }
}

/**
 * ORB features of images of one size (`orbFeatures` of each), with the per-pixel and per-keypoint
 * work on the Device, each pyramid level of all images in one dispatch per kernel: FAST scores
 * (orb-fast-score), orientation (orb-orientation) and steered BRIEF (orb-brief). Corner selection
 * (non-maximum suppression, Harris ranking, the best per level: ragged lists), the pyramid and the
 * 5×5 smoothing stay on the host, so every backend compares the same pixels. Equal to
 * `orbFeatures` image by image on any Device (the kernels are exact).
 */
export async function orbFeaturesOnDevice(device: Device, images: readonly GrayImage[], options: OrbOptions): Promise<OrbFeatures[]> {
  const first = images[0];
  const mixed = images.find((image) => image.width !== first?.width || image.height !== first.height);
  if (first && mixed) throw new ShapeError(`orb: images of one call must share a size; ${first.width}×${first.height} and ${mixed.width}×${mixed.height} differ`);
  // Images of one size have pyramids of the same levels.
  const pyramids = images.map((image) => buildPyramid(image, options));
  const found: LevelFeatures[][] = pyramids.map(() => []);
  for (let l = 0; l < (pyramids[0]?.length ?? 0); l++) {
    const levels = pyramids.map((p) => p[l]!);
    const { width, height } = levels[0]!.image;
    const stacked = stack(device, levels.map((level) => level.image));
    try {
      const scores = (await readAndFree(device, (await device.run(orbFastScore, { x: stacked }, {})).out)) as Float32Array;
      const corners = levels.map(({ image, keypoints }, i) => detectKeypoints(image, scores.subarray(i * width * height, (i + 1) * width * height), options.fastThreshold, keypoints));
      const { directions, descriptors } = await orientAndDescribe(device, stacked, levels, corners);
      let at = 0;
      corners.forEach((list, i) => {
        found[i]!.push({ corners: list, directions: directions.subarray(at, at + list.length), descriptors: descriptors.subarray(at * DESCRIPTOR_WORDS, (at + list.length) * DESCRIPTOR_WORDS) });
        at += list.length;
      });
    } finally {
      stacked.dispose();
    }
  }
  return pyramids.map((levels, i) => assembleFeatures(levels, found[i]!));
}

/** Direction indices [K] and descriptors [K × 8] of every image's corners on one level, image after image. */
async function orientAndDescribe(device: Device, images: Tensor, levels: readonly PyramidLevel[], corners: readonly (readonly Corner[])[]): Promise<{ directions: Int32Array; descriptors: Int32Array }> {
  const rows = keypointRows(corners);
  const count = rows.length / 3;
  if (count === 0) return { directions: new Int32Array(0), descriptors: new Int32Array(0) };
  const keypoints = device.upload(Tensor.cpu('i32', [count, 3], rows));
  const smoothed = stack(device, levels.map((level) => smooth(level.image)));
  const pattern = device.upload(Tensor.cpu('i32', [DESCRIPTOR_BITS, 4], BRIEF_TESTS));
  const held: Tensor[] = [keypoints, smoothed, pattern];
  try {
    // The directions stay on the Device between the two kernels; both are read once BRIEF is done.
    const { out: directions } = await device.run(orbOrientation, { image: images, keypoints }, {});
    held.push(directions);
    const descriptors = (await readAndFree(device, (await device.run(orbBrief, { image: smoothed, keypoints, directions, pattern }, {})).out)) as Int32Array;
    return { directions: (await device.read(directions)) as Int32Array, descriptors };
  } finally {
    for (const t of held) t.dispose();
  }
}
