import { encodePng, imageTensor, Rng } from '@cvf/core';
import { PATTERN_SHAPES, patternPixels as shapePixels } from '@cvf/core/testing';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Side of the pattern images, and their classes (folder names). */
export const PATTERN_SIZE = 16;
export const PATTERN_CLASSES = ['hbars', 'vbars', 'square'] as const;

/** A noisy 16×16 gray picture of a class (see @cvf/core/testing's patternPixels); `noise` is the pixel noise's σ. */
export function patternPixels(label: number, rng: Rng, noise = 20): Uint8Array {
  return shapePixels(PATTERN_SHAPES[label]!, rng, { size: PATTERN_SIZE, noise });
}

export function patternPng(label: number, rng: Rng, noise?: number): Promise<Uint8Array> {
  return encodePng(imageTensor('u8', { height: PATTERN_SIZE, width: PATTERN_SIZE, channels: 1 }, patternPixels(label, rng, noise)));
}

/**
 * A folder per class of `perClass` PNGs, as a folder data source reads them. `folderOf` names the
 * folder a class's pictures are filed under (mislabelled data files one class as another).
 */
export async function writePatternFolders(root: string, options: { perClass: number; seed: number; noise?: number; folderOf?: (label: number) => string }): Promise<void> {
  const rng = new Rng(options.seed);
  const folderOf = options.folderOf ?? ((label: number) => PATTERN_CLASSES[label]!);
  for (let label = 0; label < PATTERN_CLASSES.length; label++) {
    const folder = join(root, folderOf(label));
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < options.perClass; i++) writeFileSync(join(folder, `${options.seed}-${i}.png`), await patternPng(label, rng, options.noise));
  }
}

/** A pipeline YAML over a folder of pattern images, registered as `model` with alias production. */
export function patternPipeline(options: { name: string; root: string; store: string; model: string; features?: string; extra?: string }): string {
  return `version: 1
name: ${options.name}
data:
  source: { kind: folder, root: ${options.root} }
  splits: { train: 0.5, val: 0.2, test: 0.3, seed: 3 }
preprocess: { resize: { height: ${PATTERN_SIZE}, width: ${PATTERN_SIZE} }, color: gray, normalize: { mean: [0.5], std: [0.5] } }
features: ${options.features ?? '{ kind: hog, hog: { cellSize: 4, blockSize: 2, bins: 9 } }'}
pca: { enabled: true, components: 8 }
index: { kind: flat, metric: cosine, k: 3 }
model: { head: softmax }
train: { epochs: 15, batchSize: 16, optimizer: { kind: adam, lr: 0.02 }, seed: 1 }
registry: { register: true, modelName: ${options.model}, alias: production }
tracking: { store: ${options.store} }
${options.extra ?? ''}`;
}
