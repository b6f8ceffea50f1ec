import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { patternPipeline, writePatternFolders } from '../../testing/pattern-images.js';
import { runCli } from '../../testing/run-cli.js';

/** A model trained for a batch test, registered in its own store, and a folder of images to run it on. */
export interface BatchFixture {
  readonly dir: string;
  readonly store: string;
  /** The registered model, as NAME@ALIAS. */
  readonly model: string;
  /** The bundle folder training wrote. */
  readonly bundle: string;
  /** A folder of pattern images in class subfolders (read with -r). */
  readonly images: string;
}

/** Trains a tiny pattern model (a few seconds) and writes `images` pattern pictures to predict. */
export async function batchFixture(name: string, options: { perClass: number }): Promise<BatchFixture> {
  const dir = mkdtempSync(join(tmpdir(), `cvf-${name}-`));
  const store = join(dir, '.cvf');
  await writePatternFolders(join(dir, 'train'), { perClass: 8, seed: 5 });
  writeFileSync(join(dir, 'pipeline.yaml'), patternPipeline({ name, root: join(dir, 'train'), store, model: name }));
  const trained = await runCli('train', join(dir, 'pipeline.yaml'), '--json');
  if (trained.exitCode !== 0) throw new Error(`training the fixture model failed: ${trained.stdout}\n${trained.stderr}`);
  const { bundle } = JSON.parse(trained.stdout.trim().split('\n').at(-1)!) as { bundle: string };
  const images = join(dir, 'images');
  await writePatternFolders(images, { perClass: options.perClass, seed: 11 });
  return { dir, store, model: `${name}@production`, bundle, images };
}

/** `cvf predict --json` of the same images: what a batch job's merged predictions must equal. */
export async function singleProcessPredictions(fixture: BatchFixture): Promise<unknown[]> {
  const predicted = await runCli('predict', fixture.model, fixture.images, '-r', '--store', fixture.store, '--no-audit', '--device', 'cpu', '--json');
  if (predicted.exitCode !== 0) throw new Error(`cvf predict failed: ${predicted.stdout}\n${predicted.stderr}`);
  return JSON.parse(predicted.stdout) as unknown[];
}

/** The lines of a JSONL file's text, parsed. */
export function jsonLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}
