import { encodePng, imageTensor } from '@cvf/core';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The inputs the fuzz suite mutates: real files of the repository and of pydicom's corpus. */
export interface FuzzCorpus {
  /** pydicom's test files, by name: every codec, both endiannesses, sequences, odd sizes. */
  readonly dicom: ReadonlyMap<string, Uint8Array>;
  /** The committed pipeline configs, by path. */
  readonly configs: ReadonlyMap<string, string>;
  /** The committed v1 bundle: file name → bytes. */
  readonly bundle: ReadonlyMap<string, Uint8Array>;
  /** The v1 fixture's input images (PNG). */
  readonly bundleInputs: readonly Uint8Array[];
  /** PNG and JPEG images, by name. */
  readonly images: ReadonlyMap<string, Uint8Array>;
}

export const PYDICOM_CORPUS = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const V1 = join(REPO, 'packages/core/src/bundle/fixtures/v1');
/** The committed v1 bundle folder, for `cvf predict`. */
export const V1_BUNDLE = join(V1, 'bundle');
/** Small files only: a mutated case must stay cheap so a few hundred run in well under a minute. */
const MAX_DICOM_BYTES = 24 * 1024;

function filesOf(dir: string, keep: (name: string) => boolean): Map<string, Uint8Array> {
  const names = readdirSync(dir).filter(keep).sort();
  return new Map(names.map((name) => [name, new Uint8Array(readFileSync(join(dir, name)))]));
}

/** The baseline JPEG codestream inside an encapsulated DICOM file (SOI … EOI). */
function embeddedJpeg(dicom: Uint8Array): Uint8Array | undefined {
  let start = -1;
  for (let i = 0; i + 2 < dicom.length; i++) {
    if (dicom[i] === 0xff && dicom[i + 1] === 0xd8 && dicom[i + 2] === 0xff) {
      start = i;
      break;
    }
  }
  let end = -1;
  for (let i = dicom.length - 2; i > start; i--) {
    if (dicom[i] === 0xff && dicom[i + 1] === 0xd9) {
      end = i + 2;
      break;
    }
  }
  return start >= 0 && end > start ? dicom.slice(start, end) : undefined;
}

/** Whether pydicom's corpus is here: true, or why not (for requireInCi). */
export function dicomCorpusAvailability(): true | string {
  return existsSync(PYDICOM_CORPUS) ? true : `${PYDICOM_CORPUS} does not exist (python3-pydicom)`;
}

export async function loadFuzzCorpus(): Promise<FuzzCorpus> {
  const dicom = existsSync(PYDICOM_CORPUS) ? filesOf(PYDICOM_CORPUS, (n) => n.endsWith('.dcm') && statSync(join(PYDICOM_CORPUS, n)).size <= MAX_DICOM_BYTES) : new Map<string, Uint8Array>();
  const configDirs = readdirSync(join(REPO, 'configs')).sort();
  const configs = new Map<string, string>();
  for (const dir of configDirs) {
    const path = join(REPO, 'configs', dir);
    if (!statSync(path).isDirectory()) continue;
    for (const name of readdirSync(path).filter((n) => n.endsWith('.yaml')).sort()) configs.set(`configs/${dir}/${name}`, readFileSync(join(path, name), 'utf8'));
  }
  const bundle = filesOf(join(V1, 'bundle'), () => true);
  const bundleInputs = [...filesOf(join(V1, 'inputs'), (n) => n.endsWith('.png')).values()];
  const images = new Map<string, Uint8Array>(bundleInputs.slice(0, 2).map((bytes, i) => [`v1-input-${i}.png`, bytes]));
  // A larger RGB PNG than the 8×8 fixtures, so chunks and filters beyond the first row are reached.
  const rgb = imageTensor('u8', { height: 48, width: 40, channels: 3 }, new Uint8Array(48 * 40 * 3).map((_, i) => (i * 37) % 256));
  images.set('gradient-48x40-rgb.png', await encodePng(rgb));
  for (const name of ['SC_rgb_jpeg_gdcm.dcm', 'SC_jpeg_no_color_transform.dcm']) {
    const jpeg = dicom.get(name) && embeddedJpeg(dicom.get(name)!);
    if (jpeg) images.set(name.replace('.dcm', '.jpg'), jpeg);
  }
  return { dicom, configs, bundle, bundleInputs, images };
}
