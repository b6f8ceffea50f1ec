// Conformance of parseDicom + decodeFrames with pydicom on pydicom's own test corpus (Debian
// python3-pydicom's data/test_files and data/charset_files). The reference pixels are computed in
// the set-up by /usr/bin/python3 with pydicom + GDCM + Pillow + numpy (pydicom-reference.py);
// nothing third-party is committed. Every file pydicom decodes must decode here to the same array:
// exactly for lossless transfer syntaxes, within LOSSY_TOLERANCE for lossy ones. Files pydicom
// rejects must give a DicomError (or decode), never another exception.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CvfError } from '@cvf/core';
import { pythonModules, requireInCi, SYSTEM_PYTHON } from '@cvf/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrames } from '../decode-frames.js';
import type { DecodedImage } from '../decoded-image.js';
import { parseDicom } from '../parse-dicom.js';
import { Tag } from '../tags.js';
import { isLossy, transferSyntaxName } from '../transfer-syntax.js';

const DATA = '/usr/lib/python3/dist-packages/pydicom/data';
const CORPORA = [join(DATA, 'test_files'), join(DATA, 'charset_files')];
const SCRIPT = new URL('./pydicom-reference.py', import.meta.url).pathname;

/**
 * Largest |ours − pydicom| allowed per sample for lossy syntaxes, in stored units. JPEG decoders
 * may differ in IDCT rounding, chroma upsampling and YCbCr→RGB rounding (pydicom converts GDCM's
 * YCbCr output in float32, libjpeg-turbo in fixed point; our 12-bit decoder uses a float IDCT).
 */
const LOSSY_TOLERANCE = { maxAbs: 2, meanAbs: 0.1 };

/**
 * Files pydicom "decodes" whose reference is not a meaningful target, with the reason. Each must
 * still fail here with a DicomError, not a crash.
 */
const KNOWN_DIVERGENT: Record<string, string> = {
  'test_files/JPEG2000-embedded-sequence-delimiter.dcm':
    'its JPEG 2000 SIZ segment is overwritten with a sequence delimiter (Rsiz FEFF, Xsiz DDE0…); GDCM and OpenJPEG reject it, and pydicom falls back to Pillow, which returns noise (not the image of JPEG2000.dcm)',
};

interface ReferenceEntry {
  path: string;
  status: 'decoded' | 'read-failed' | 'decode-failed' | 'no-pixel-data';
  transferSyntaxUID?: string;
  patientName?: string | null;
  dtype?: string;
  shape?: number[];
  frames?: number;
  bin?: string;
  error?: string;
}

const skip = requireInCi(
  "pydicom and its corpus (python3-pydicom, python3-gdcm, python3-numpy)",
  existsSync(CORPORA[0]!) ? pythonModules('pydicom', 'numpy') : `no pydicom corpus under ${DATA}`,
);

const TYPED: Record<string, new (buffer: ArrayBuffer) => ArrayLike<number>> = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};

describe.skipIf(skip)('pydicom conformance', () => {
  let dir: string;
  let entries: ReferenceEntry[] = [];
  const tally = new Map<string, { decodable: number; decoded: number; exact: number }>();
  const outcomes: string[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-pydicom-ref-'));
    execFileSync(SYSTEM_PYTHON, [SCRIPT, dir, ...CORPORA], { stdio: ['ignore', 'ignore', 'ignore'], timeout: 120_000 });
    entries = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: ReferenceEntry[] }).files;
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    const rows = [...tally.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
    const lines = rows.map(([uid, t]) => `${`${t.decoded}/${t.decodable}`.padStart(7)}  ${`${t.exact}`.padStart(5)}  ${uid.padEnd(24)} ${transferSyntaxName(uid)}`);
    const total = rows.reduce((s, [, t]) => ({ decoded: s.decoded + t.decoded, decodable: s.decodable + t.decodable }), { decoded: 0, decodable: 0 });
    console.log(
      [
        'pydicom conformance: files pydicom decodes, decoded here to its array (decoded/total, of which bit-exact), per transfer syntax',
        'decoded  exact  transfer syntax',
        ...lines,
        `${`${total.decoded}/${total.decodable}`.padStart(7)}         all`,
        ...outcomes,
      ].join('\n'),
    );
  });

  it('the reference covers the corpus', () => {
    expect(entries.length).toBeGreaterThan(100);
    expect(entries.filter((e) => e.status === 'decoded').length).toBeGreaterThan(50);
  });

  it('decodes every file pydicom decodes to pydicom’s pixel array', async () => {
    const failures: string[] = [];
    for (const entry of entries.filter((e) => e.status === 'decoded')) {
      const uid = entry.transferSyntaxUID!;
      const counts = tally.get(uid) ?? { decodable: 0, decoded: 0, exact: 0 };
      tally.set(uid, counts);
      counts.decodable++;
      const divergent = KNOWN_DIVERGENT[entry.path];
      let image: DecodedImage;
      try {
        image = await decodeFrames(parseDicom(readFileSync(join(DATA, entry.path))));
      } catch (error) {
        if (divergent && error instanceof CvfError) {
          outcomes.push(`  known divergence ${entry.path}: ${error.code} (${divergent})`);
          continue;
        }
        failures.push(`${entry.path}: ${error instanceof CvfError ? error.code : 'crash'}: ${(error as Error).message}`);
        continue;
      }
      if (divergent) {
        failures.push(`${entry.path} is listed as divergent but decoded; remove it from KNOWN_DIVERGENT`);
        continue;
      }
      const result = compare(entry, image, readReference(entry));
      if (result.kind === 'fail') failures.push(`${entry.path} (${transferSyntaxName(uid)}): ${result.message}`);
      else {
        counts.decoded++;
        if (result.kind === 'exact') counts.exact++;
        else outcomes.push(`  lossy, within tolerance: ${entry.path} max |diff| ${result.maxAbs}, mean ${result.meanAbs.toFixed(4)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers every file pydicom rejects with a DicomError or a decoded image, never a crash', async () => {
    const crashes: string[] = [];
    for (const entry of entries.filter((e) => e.status === 'read-failed' || e.status === 'decode-failed')) {
      try {
        const image = await decodeFrames(parseDicom(readFileSync(join(DATA, entry.path))));
        outcomes.push(`  pydicom ${entry.status}, decoded here: ${entry.path} (${image.columns}×${image.rows}×${image.frames})`);
      } catch (error) {
        if (error instanceof CvfError && error.code.startsWith('DICOM_')) outcomes.push(`  pydicom ${entry.status}, ${error.code} here: ${entry.path}`);
        else crashes.push(`${entry.path}: ${(error as Error).message}`);
      }
    }
    expect(crashes).toEqual([]);
  });

  it('says DICOM_NO_PIXEL_DATA for every data set without pixels that it parses', async () => {
    const wrong: string[] = [];
    for (const entry of entries.filter((e) => e.status === 'no-pixel-data')) {
      let file;
      try {
        file = parseDicom(readFileSync(join(DATA, entry.path)));
      } catch (error) {
        if (!(error instanceof CvfError)) wrong.push(`${entry.path}: parse crashed: ${(error as Error).message}`);
        else outcomes.push(`  pydicom reads, ${error.code} here: ${entry.path}`);
        continue;
      }
      await decodeFrames(file).then(
        () => wrong.push(`${entry.path}: decoded without Pixel Data`),
        (error: unknown) => {
          if (!(error instanceof CvfError) || error.code !== 'DICOM_NO_PIXEL_DATA') wrong.push(`${entry.path}: ${(error as Error).message}`);
        },
      );
    }
    expect(wrong).toEqual([]);
  });

  it('decodes Patient Name under every Specific Character Set as pydicom does', () => {
    const named = entries.filter((e) => e.path.startsWith('charset_files/') && e.patientName);
    expect(named.length).toBeGreaterThan(10);
    const mismatches = named
      .map((e) => ({ path: e.path, pydicom: e.patientName, ours: parseDicom(readFileSync(join(DATA, e.path))).strings(Tag.PatientName).join('\\') }))
      .filter((m) => m.ours !== m.pydicom);
    expect(mismatches).toEqual([]);
  });

  function readReference(entry: ReferenceEntry): ArrayLike<number> {
    const bytes = readFileSync(join(dir, entry.bin!));
    const Ctor = TYPED[entry.dtype!];
    if (!Ctor) throw new Error(`reference dtype ${entry.dtype} of ${entry.path} is not handled`);
    return new Ctor(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
});

type Comparison = { kind: 'exact' } | { kind: 'close'; maxAbs: number; meanAbs: number } | { kind: 'fail'; message: string };

/** Bit-exact, close (a lossy syntax within LOSSY_TOLERANCE), or what differs. */
function compare(entry: ReferenceEntry, image: DecodedImage, reference: ArrayLike<number>): Comparison {
  const fail = (message: string): Comparison => ({ kind: 'fail', message });
  const samples = image.data.reduce((n, d) => n + d.length, 0);
  if (samples !== reference.length) {
    return fail(`${samples} samples (${image.frames}×${image.rows}×${image.columns}×${image.samplesPerPixel}) vs pydicom's ${reference.length} (shape ${entry.shape?.join('×')})`);
  }
  let maxAbs = 0;
  let sumAbs = 0;
  let firstDiff = -1;
  let k = 0;
  for (const frame of image.data) {
    for (let i = 0; i < frame.length; i++, k++) {
      const d = Math.abs(frame[i]! - reference[k]!);
      if (d > 0 && firstDiff < 0) firstDiff = k;
      if (d > maxAbs) maxAbs = d;
      sumAbs += d;
    }
  }
  if (maxAbs === 0) return { kind: 'exact' };
  const lossy = isLossy(entry.transferSyntaxUID!);
  const meanAbs = sumAbs / samples;
  const where = `first difference at sample ${firstDiff}: ours ${flatAt(image, firstDiff)} vs ${reference[firstDiff]}`;
  if (!lossy) return fail(`lossless syntax but max |diff| ${maxAbs} (mean ${meanAbs.toFixed(4)}); ${where}`);
  if (maxAbs > LOSSY_TOLERANCE.maxAbs || meanAbs > LOSSY_TOLERANCE.meanAbs) {
    return fail(`max |diff| ${maxAbs}, mean ${meanAbs.toFixed(4)} beyond the lossy tolerance ${JSON.stringify(LOSSY_TOLERANCE)}; ${where}`);
  }
  return { kind: 'close', maxAbs, meanAbs };
}

function flatAt(image: DecodedImage, k: number): number {
  for (const frame of image.data) {
    if (k < frame.length) return frame[k]!;
    k -= frame.length;
  }
  return Number.NaN;
}
