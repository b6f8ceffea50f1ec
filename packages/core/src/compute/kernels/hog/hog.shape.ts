import { ShapeError } from '../../../errors.js';
import type { Specs, TensorSpec } from '../../kernel.js';
import { formatShape } from '../../shape.js';

/** How a gradient's magnitude is shared between orientation bins. */
export type HogBinning = 'linear' | 'nearest';
export const HOG_BINNINGS: readonly HogBinning[] = ['linear', 'nearest'];

export interface HogAttrs {
  /** Unsigned orientation bins over [0°, 180°) (default 9). */
  readonly orientations?: number;
  /** Pixels per cell, [rows, columns] (default [8, 8]). */
  readonly cellSize?: readonly [number, number];
  /** Cells per block, [rows, columns] (default [3, 3]); blocks step one cell. */
  readonly blockSize?: readonly [number, number];
  /**
   * `linear` (default, Dalal–Triggs): each magnitude is split between the two bins whose centres
   * enclose its angle. `nearest`: it all goes to the bin holding the angle (scikit-image's `hog`).
   */
  readonly binning?: HogBinning;
  /** Square root of the image before the gradients (gamma compression; scikit-image's `transform_sqrt`). */
  readonly transformSqrt?: boolean;
}

/** Largest block histogram (cells per block × orientations) a GPU invocation holds in registers. */
export const HOG_MAX_BLOCK_BINS = 1024;

/** Everything the CPU and WGSL sides need, derived once from the input shape and the attributes. */
export interface HogGeometry extends HogSettings {
  readonly images: number;
  readonly height: number;
  readonly width: number;
  readonly blocksDown: number;
  readonly blocksAcross: number;
  /** Values per image: blocksDown × blocksAcross × blockBins. */
  readonly features: number;
}

function positiveInt(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new ShapeError(`kernel "hog": ${what} ${value} must be a positive integer`);
  return value;
}

function pair(value: readonly number[], what: string): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) throw new ShapeError(`kernel "hog": ${what} [${String(value)}] must be [rows, columns]`);
  return [positiveInt(value[0]!, `${what} rows`), positiveInt(value[1]!, `${what} columns`)];
}

/** Feature length of one image of the given size (what `hog` outputs per image). */
export function hogFeatureLength(height: number, width: number, attrs: HogAttrs = {}): number {
  return hogGeometry({ shape: [height, width], dtype: 'f32' }, attrs).features;
}

/** The attributes checked and filled with their defaults: everything but the image size. */
export interface HogSettings {
  readonly orientations: number;
  readonly cellRows: number;
  readonly cellCols: number;
  readonly blockRows: number;
  readonly blockCols: number;
  readonly binning: HogBinning;
  readonly transformSqrt: boolean;
  /** Values per block: blockRows × blockCols × orientations. */
  readonly blockBins: number;
}

export function hogSettings(attrs: HogAttrs): HogSettings {
  const orientations = positiveInt(attrs.orientations ?? 9, 'orientations');
  const [cellRows, cellCols] = pair(attrs.cellSize ?? [8, 8], 'cellSize');
  const [blockRows, blockCols] = pair(attrs.blockSize ?? [3, 3], 'blockSize');
  const binning = attrs.binning ?? 'linear';
  if (!HOG_BINNINGS.includes(binning)) throw new ShapeError(`kernel "hog": binning "${binning}" is not one of ${HOG_BINNINGS.join(', ')}`);
  const blockBins = blockRows * blockCols * orientations;
  if (blockBins > HOG_MAX_BLOCK_BINS) {
    throw new ShapeError(`kernel "hog": a block of ${blockRows}×${blockCols} cells × ${orientations} orientations has ${blockBins} values; at most ${HOG_MAX_BLOCK_BINS}`);
  }
  return { orientations, cellRows, cellCols, blockRows, blockCols, binning, transformSqrt: attrs.transformSqrt ?? false, blockBins };
}

export function hogGeometry(x: TensorSpec, attrs: HogAttrs): HogGeometry {
  if (x.shape.length !== 2 && x.shape.length !== 3) {
    throw new ShapeError(`kernel "hog": x ${formatShape(x.shape)} must be one grayscale image [height, width] or a batch [images, height, width]`);
  }
  const [images, height, width] = (x.shape.length === 2 ? [1, ...x.shape] : x.shape) as [number, number, number];
  const settings = hogSettings(attrs);
  const { cellRows, cellCols, blockRows, blockCols } = settings;
  const cellsDown = Math.floor(height / cellRows);
  const cellsAcross = Math.floor(width / cellCols);
  const blocksDown = cellsDown - blockRows + 1;
  const blocksAcross = cellsAcross - blockCols + 1;
  if (blocksDown < 1 || blocksAcross < 1) {
    throw new ShapeError(
      `kernel "hog": an image of ${height}×${width} has ${cellsDown}×${cellsAcross} cells of ${cellRows}×${cellCols} pixels, fewer than one block of ${blockRows}×${blockCols} cells`,
    );
  }
  return { ...settings, images, height, width, blocksDown, blocksAcross, features: blocksDown * blocksAcross * settings.blockBins };
}

export function hogOutputs({ x }: Specs<'x'>, attrs: HogAttrs): Specs<'out'> {
  const g = hogGeometry(x, attrs);
  return { out: { shape: x.shape.length === 2 ? [g.features] : [g.images, g.features], dtype: 'f32' } };
}

/** L2-Hys: L2-normalize, clip at 0.2, L2-normalize again (ε = 1e-5 as scikit-image). */
export const HOG_CLIP = 0.2;
export const HOG_EPSILON = 1e-5;
