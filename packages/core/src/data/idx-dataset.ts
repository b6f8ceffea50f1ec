import type { DataSource } from '../config/sections/data.js';
import { DatasetError } from '../errors.js';
import { imageTensor, type ImageTensor } from '../image/image-tensor.js';
import type { Dataset, DatasetContext, Sample } from './dataset.js';
import type { FileAccess } from './file-access.js';
import { readIdx } from './idx.js';
import { resolvePath } from './paths.js';

export type IdxSource = Extract<DataSource, { kind: 'idx' }>;

/**
 * An IDX pair as MNIST and Fashion-MNIST ship it: u8 images [N, H, W] (or [N, H, W, C]) and
 * integer labels [N]. Labels are class indices; the sample label is the index as text, which
 * `openDataset` maps to `data.classes`. Sample ids are `<images file name>#<index>`.
 */
export async function openIdxDataset(source: IdxSource, { files, baseDir }: DatasetContext): Promise<Dataset> {
  const imagesPath = resolvePath(baseDir, source.images);
  const labelsPath = resolvePath(baseDir, source.labels);
  const [images, labels] = await Promise.all([readIdxImages(files, imagesPath), files.readFile(labelsPath).then((bytes) => readIdx(bytes, labelsPath))]);
  if (labels.dims.length !== 1 || labels.dtype === 'f32' || labels.dtype === 'f64') {
    throw new DatasetError('DATASET_MALFORMED', `${labelsPath}: IDX labels must be integers [N], got ${labels.dtype} [${labels.dims.join(', ')}]`);
  }
  if (labels.dims[0] !== images.count) {
    throw new DatasetError('DATASET_MALFORMED', `${labelsPath} has ${labels.dims[0]} labels but ${imagesPath} has ${images.count} images`);
  }
  const samples: Sample[] = new Array(images.count);
  for (let i = 0; i < images.count; i++) samples[i] = { id: images.idOf(i), label: String(labels.data[i]), load: async () => images.load(i) };
  return { description: `idx ${imagesPath}`, samples };
}

/** The images of an IDX file, loaded lazily by index: ids are `<file name>#<index>`. */
export async function readIdxImages(files: FileAccess, imagesPath: string): Promise<{ count: number; idOf(i: number): string; load(i: number): ImageTensor }> {
  const images = await readIdx(await files.readFile(imagesPath), imagesPath);
  const [count, height, width, channels = 1] = images.dims;
  if (images.dtype !== 'u8' || (images.dims.length !== 3 && images.dims.length !== 4) || channels < 1 || channels > 4) {
    throw new DatasetError('DATASET_MALFORMED', `${imagesPath}: IDX images must be u8 [N, H, W] or [N, H, W, 1..4], got ${images.dtype} [${images.dims.join(', ')}]`);
  }
  const size = { height: height!, width: width!, channels: channels as 1 | 2 | 3 | 4 };
  const stride = height! * width! * channels;
  const pixels = images.data as Uint8Array;
  const name = imagesPath.slice(imagesPath.lastIndexOf('/') + 1);
  return {
    count: count!,
    idOf: (i) => `${name}#${i}`,
    // A copy: callers may change the pixels they get without touching the dataset.
    load: (i) => imageTensor('u8', size, pixels.slice(i * stride, (i + 1) * stride)),
  };
}
