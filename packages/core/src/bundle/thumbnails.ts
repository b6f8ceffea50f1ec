import type { Device } from '../compute/device.js';
import { compress, decompress } from '../data/compression-streams.js';
import type { Sample } from '../data/dataset.js';
import { BundleError } from '../errors.js';
import { disposeDecodedInput, readDecodedInput } from '../image/decoded-input.js';
import { colorChannels, imageSize, imageTensor, toPlanar, type ImageTensor } from '../image/image-tensor.js';
import { resizeNearest } from '../image/resize-nearest.js';

/** Thumbnails are at most this many pixels on a side: enough to recognise a similar case. */
export const THUMBNAIL_SIZE = 24;

interface ThumbnailHeader {
  readonly size: number;
  readonly channels: 1 | 3;
  readonly count: number;
}

/**
 * Small 8-bit thumbnails of the indexed cases, in index-id order, gzip'd into one file of the
 * bundle: a JSON header line, then `count` images of size × size × channels. Images keep their
 * aspect ratio inside the square (padded with black); 16-bit and float images are stretched to
 * 0..255 per image.
 */
export async function encodeThumbnails(samples: readonly Sample[], device: Device): Promise<Uint8Array> {
  const host = async (sample: Sample): Promise<ImageTensor> => {
    const input = await sample.load();
    try {
      return await readDecodedInput(device, input);
    } finally {
      disposeDecodedInput(input);
    }
  };
  const first = samples.length > 0 ? await host(samples[0]!) : null;
  const channels = first ? colorChannels(imageSize(first).channels) : 1;
  const item = THUMBNAIL_SIZE * THUMBNAIL_SIZE * channels;
  const body = new Uint8Array(samples.length * item);
  for (const [k, sample] of samples.entries()) body.set(thumbnail(await host(sample), channels), k * item);
  const header = new TextEncoder().encode(`${JSON.stringify({ size: THUMBNAIL_SIZE, channels, count: samples.length } satisfies ThumbnailHeader)}\n`);
  const bytes = new Uint8Array(header.length + body.length);
  bytes.set(header);
  bytes.set(body, header.length);
  return compress(bytes, 'gzip');
}

/** Thumbnails read back: `get(i)` is the i-th case's thumbnail ([size, size, channels] u8). */
export interface Thumbnails {
  readonly count: number;
  get(index: number): ImageTensor<'u8'> | null;
}

export async function decodeThumbnails(gzipped: Uint8Array): Promise<Thumbnails> {
  const bytes = await decompress(gzipped, 'gzip');
  const newline = bytes.indexOf(10);
  let header: ThumbnailHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(0, newline))) as ThumbnailHeader;
  } catch (cause) {
    throw new BundleError('BUNDLE_INVALID', 'thumbnails: the header is not JSON', { cause });
  }
  const item = header.size * header.size * header.channels;
  if (newline < 0 || bytes.length - newline - 1 !== header.count * item) throw new BundleError('BUNDLE_INVALID', 'thumbnails: the body does not hold `count` images');
  return {
    count: header.count,
    get: (index) =>
      Number.isInteger(index) && index >= 0 && index < header.count
        ? imageTensor('u8', { height: header.size, width: header.size, channels: header.channels }, bytes.slice(newline + 1 + index * item, newline + 1 + (index + 1) * item))
        : null,
  };
}

function thumbnail(image: ImageTensor, channels: 1 | 3): Uint8Array {
  const { height, width } = imageSize(image);
  const scale = Math.min(1, THUMBNAIL_SIZE / Math.max(height, width));
  const h = Math.max(1, Math.round(height * scale));
  const w = Math.max(1, Math.round(width * scale));
  const planar = resizeNearest(toPlanar(image), { height: h, width: w });
  const values = planar.data;
  const [c] = planar.shape as [number, number, number];
  // 8-bit values as they are; others stretched to this image's own range.
  let lo = 0;
  let hi = 255;
  if (image.dtype !== 'u8') {
    lo = Infinity;
    hi = -Infinity;
    for (const v of values) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  }
  const span = hi > lo ? 255 / (hi - lo) : 0;
  const out = new Uint8Array(THUMBNAIL_SIZE * THUMBNAIL_SIZE * channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < channels; k++) {
        const source = Math.min(k, c - 1); // gray images fill every channel of a colour set
        out[(y * THUMBNAIL_SIZE + x) * channels + k] = Math.round((values[(source * h + y) * w + x]! - lo) * span);
      }
    }
  }
  return out;
}
