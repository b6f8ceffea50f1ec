import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { encodePng, imageTensor } from '@cvf/core';
import { createSecondaryCapture, makeDemoCtSet, randomUid, writeDicom } from '@cvf/medical';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const T10K_IMAGES = '/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz';
const SIDE = 28;

/** A file as the page receives it (playwright's setInputFiles payload). */
export interface ViewerFile {
  readonly name: string;
  readonly mimeType: string;
  readonly buffer: Buffer;
}

/** The made-up patient of the Fashion-MNIST DICOM files: the page must not show or send any of it. */
export const PATIENT = { name: 'Doe^Jane', id: 'CVF-PRIVACY-4711', birthDate: '19450321' } as const;

/** `count` images spread over the official Fashion-MNIST test set, 28×28 u8 each. */
export function t10kImages(count: number, offset = 0): Uint8Array[] {
  const idx = gunzipSync(readFileSync(T10K_IMAGES));
  const n = idx.readUInt32BE(4);
  return Array.from({ length: count }, (_, i) => {
    const start = 16 + ((Math.floor((i * n) / count) + offset) % n) * SIDE * SIDE;
    return Uint8Array.from(idx.subarray(start, start + SIDE * SIDE));
  });
}

/** One multi-frame Secondary Capture file (a "cine" of garments) and a series of single-frame files, all of the made-up patient. */
export function fashionDicomFiles(): { multiFrame: ViewerFile; series: ViewerFile[] } {
  const frames = t10kImages(6);
  const pixels = new Uint8Array(frames.length * SIDE * SIDE);
  frames.forEach((f, i) => pixels.set(f, i * SIDE * SIDE));
  const patient = { patientName: PATIENT.name, patientId: PATIENT.id, patientBirthDate: PATIENT.birthDate };
  const multiFrame = writeDicom(createSecondaryCapture({ rows: SIDE, columns: SIDE, pixels, frames: frames.length, modality: 'OT', studyDescription: 'Garments cine', ...patient }));
  const study = { studyUID: randomUid(), seriesUID: randomUid() };
  const series = t10kImages(4, 37).map((image, i) =>
    writeDicom(createSecondaryCapture({ rows: SIDE, columns: SIDE, pixels: image, modality: 'OT', instanceNumber: i + 1, studyDescription: 'Garments series', ...study, ...patient })),
  );
  return {
    multiFrame: dicomFile('garments-cine.dcm', multiFrame),
    // Given out of order: the page sorts a series by Instance Number.
    series: series.map((bytes, i) => dicomFile(`garment-${i + 1}.dcm`, bytes)).reverse(),
  };
}

/** A Fashion-MNIST image as an 8-bit grayscale PNG. */
export async function fashionPng(name: string, image: Uint8Array): Promise<ViewerFile> {
  return { name, mimeType: 'image/png', buffer: Buffer.from(await encodePng(imageTensor('u8', { height: SIDE, width: SIDE, channels: 1 }, image))) };
}

/** A short synthetic CT series (signed 16-bit, HU rescale, lung and mediastinal windows). */
export function ctSeries(slices: number, size: number): ViewerFile[] {
  return makeDemoCtSet({ patients: 1, slices, size, seed: 3 }).files.map((f) => dicomFile(f.path.split('/').pop()!, f.bytes));
}

function dicomFile(name: string, bytes: Uint8Array): ViewerFile {
  return { name, mimeType: 'application/dicom', buffer: Buffer.from(bytes) };
}

/**
 * Trains a small Fashion-MNIST bundle with the installed `cvf` and registers it in `store` (model
 * "fashion-mnist"), each class decided at its 95%-sensitivity operating point on val.
 */
export async function trainRegisteredBundle(store: string): Promise<{ bundle: string; model: { name: string; version: number } }> {
  const { stdout } = await promisify(execFile)(
    'npx',
    ['--no-install', 'cvf', 'train', 'configs/fashion-mnist/train.yaml', '--set', 'data.limit=2000', '--set', 'train.epochs=2', '--set', `tracking.store=${store}`, '--set', 'decision.operatingPoint={ target: sensitivity, value: 0.95 }', '--json'],
    { cwd: repoRoot, maxBuffer: 64 << 20 },
  );
  const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as { bundle: string; model: { name: string; version: number } | null };
  if (!summary.model) throw new Error('cvf train registered no model: registry.register must be true in configs/fashion-mnist/train.yaml');
  return { bundle: summary.bundle, model: summary.model };
}

/** The studio app as shipped (vite build) into `outDir`: tests build it so they never run a stale dist. */
export async function buildStudio(outDir: string): Promise<void> {
  await promisify(execFile)('npx', ['--no-install', 'vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], { cwd: join(repoRoot, 'apps/studio'), maxBuffer: 16 << 20 });
}
