import { CvfError } from '@cvf/core';
import { makeDemoCtSet } from '@cvf/medical';
import { InvalidArgumentError, type Command } from 'commander';
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, printJson, runAction } from '../output.js';

/** The medical pipeline of the repository: the demo's train.yaml is a copy, its data paths (data/dicom, data/labels.csv) relative to it. */
const MEDICAL_CONFIG = fileURLToPath(new URL('../../../../configs/medical/train.yaml', import.meta.url));
const KINDS = ['medical'] as const;

interface MakeDemoOptions {
  patients: number;
  slices: number;
  size: number;
  seed: number;
  json?: boolean;
}

function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw new InvalidArgumentError(`expected an integer in ${min}..${max}`);
    return n;
  };
}

async function isEmptyOrMissing(folder: string): Promise<boolean> {
  try {
    return (await readdir(folder)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/**
 * `cvf data make-demo medical OUT [--patients N] [--slices N] [--size PX] [--seed S] [--json]`:
 * writes a synthetic CT set (CT Image Storage files with HU rescale, made-up patients, two classes)
 * to OUT/data/dicom, its labels to OUT/data/labels.csv and the repository's medical pipeline to
 * OUT/train.yaml, so `cvf train OUT/train.yaml` runs as it is. OUT must be empty or absent.
 */
export function registerDataMakeDemo(data: Command): void {
  data
    .command('make-demo')
    .description('write a synthetic dataset and a pipeline that trains on it (medical: CT slices, normal vs abnormal)')
    .argument('<kind>', `dataset kind: ${KINDS.join(', ')}`)
    .argument('<out>', 'folder to write (created; must be empty)')
    .option('--patients <n>', 'patients, one CT series each', integerIn(1, 999), 10)
    .option('--slices <n>', 'axial slices per series (5 mm apart)', integerIn(1, 512), 16)
    .option('--size <px>', 'pixels per side of a slice', integerIn(16, 1024), 96)
    .option('--seed <n>', 'seed of the random anatomy, lesions, noise and UIDs: the same seed writes the same files', integerIn(0, 2 ** 31 - 1), 7)
    .option('--json', 'print what was written as JSON (or {"error":{"code","message"}})')
    .action((kind: string, out: string, options: MakeDemoOptions) => {
      const json = options.json === true;
      return runAction(
        json,
        async () => {
          if (!(KINDS as readonly string[]).includes(kind)) throw new CvfError('USAGE_INVALID', `no demo dataset of kind "${kind}"; kinds: ${KINDS.join(', ')}`);
          const folder = resolve(out);
          if (!(await isEmptyOrMissing(folder))) throw new CvfError('USAGE_INVALID', `the output folder "${out}" is not empty; give a new or empty folder`);
          const set = makeDemoCtSet({ patients: options.patients, slices: options.slices, size: options.size, seed: options.seed });
          for (const file of set.files) {
            const path = join(folder, 'data', file.path);
            await mkdir(dirname(path), { recursive: true });
            await writeFile(path, file.bytes);
          }
          const labels = join(folder, 'data', 'labels.csv');
          await writeFile(labels, set.labelsCsv);
          const config = join(folder, 'train.yaml');
          await copyFile(MEDICAL_CONFIG, config);
          const written = { dicom: join(folder, 'data', 'dicom'), labels, config, ...set.counts, size: options.size, seed: options.seed };
          if (json) printJson(written);
          else {
            const shown = (path: string) => relative(process.cwd(), path) || '.';
            process.stdout.write(
              [
                `wrote ${set.counts.images} CT slices (${options.size}×${options.size}, 16-bit, HU by rescale) of ${set.counts.patients} made-up patients to ${shown(written.dicom)}`,
                `labels  ${shown(labels)}: ${set.counts.normal} normal, ${set.counts.abnormal} abnormal (a round hyperdense lesion in a lung)`,
                `config  ${shown(config)} (a copy of configs/medical/train.yaml)`,
                `next    cvf train ${shown(config)}`,
                '',
              ].join('\n'),
            );
          }
          return EXIT.ok;
        },
        EXIT.badInput,
      );
    });
}
