import type { ImageDecoder } from '../image/image-decoder.js';
import type { DecodedInput } from '../image/decoded-input.js';
import type { FileAccess } from './file-access.js';

export type SplitName = 'train' | 'val' | 'test';

export const SPLIT_NAMES: readonly SplitName[] = ['train', 'val', 'test'];

/**
 * One labelled image of a dataset. Images are loaded on demand (`load`), so a dataset of any size
 * can be listed, split and shuffled without holding its pixels.
 */
export interface Sample {
  /** Unique within its dataset and stable across runs: a relative path, a SOPInstanceUID, `train-images…#123`. */
  readonly id: string;
  /** The class name. */
  readonly label: string;
  readonly patientId?: string;
  readonly studyUID?: string;
  /** A split fixed by the source (a manifest's split column); otherwise the seeded split decides. */
  readonly split?: SplitName;
  /**
   * Decodes the image, as `decodeInput` does: an interleaved host image (PNG, JPEG, IDX, colour
   * DICOM), or a grayscale DICOM frame windowed on the dataset's Device and left there. The caller
   * owns it (`disposeDecodedInput`).
   */
  load(): Promise<DecodedInput>;
}

/** What one source of the `data` section gives: its samples, in the source's order. */
export interface Dataset {
  /** What was read, for messages and run metadata, e.g. `csv /data/manifest.csv`. */
  readonly description: string;
  readonly samples: readonly Sample[];
}

/** A sample with the index of its class in `OpenedDataset.classes`: what trainers consume. */
export interface LabeledSample extends Sample {
  readonly classIndex: number;
}

/** The `data` section opened: class names in label-index order, and the three splits. */
export interface OpenedDataset {
  readonly classes: readonly string[];
  readonly train: readonly LabeledSample[];
  readonly val: readonly LabeledSample[];
  readonly test: readonly LabeledSample[];
}

/** What a source reader gets: where files come from, how images decode, and the folder relative paths start from. */
export interface DatasetContext {
  readonly files: FileAccess;
  readonly decoder: ImageDecoder;
  /** The folder of the config file: relative paths of the `data` section are resolved against it. */
  readonly baseDir: string;
}
