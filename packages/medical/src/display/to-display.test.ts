import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { CpuDevice, Tensor, type Device } from '@cvf/core';
import { gpuForTests } from '@cvf/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFrames, parseDicom } from '../dicom/index.js';
import { PYDICOM_CORPUS, referenceToolsSkipReason, runPythonJson } from '../node/reference-tools.js';
import { createSecondaryCapture, lutItem, sequenceElement, tag, textElement, writeDicom, type SecondaryCaptureOptions } from '../writer/index.js';
import { deriveDisplayParams, type DisplayOptions, type DisplayParams } from './display-params.js';
import { frameTensor } from './frame-tensor.js';
import { toDisplay } from './to-display.js';

const gpu = await gpuForTests();
const backends: [string, Device | string][] = [['cpu', new CpuDevice()], ['webgpu', gpu.device ?? gpu.skip]];
afterAll(() => backends.forEach(([, d]) => typeof d !== 'string' && d.destroy()));

const skipReference = referenceToolsSkipReason();
const dir = mkdtempSync(join(tmpdir(), 'cvf-display-'));

function dataset(options: Partial<SecondaryCaptureOptions> & Pick<SecondaryCaptureOptions, 'pixels'>) {
  return parseDicom(writeDicom(createSecondaryCapture({ rows: 1, columns: options.pixels.length, ...options })));
}

async function display(device: Device, stored: Int16Array | Uint16Array | Float32Array, params: DisplayParams): Promise<number[]> {
  const out = await toDisplay(device, device.upload(Tensor.fromArray(stored, [1, stored.length])), params);
  expect(out.shape).toEqual([1, stored.length]);
  expect(out.dtype).toBe('f32');
  return [...(await device.read(out))];
}

describe.each(backends)('toDisplay on %s (hand-worked)', (_name, device) => {
  const it_ = typeof device === 'string' ? it.skip : it;
  const d = device as Device;

  it_('rescale + LINEAR window in one kernel call: CT lung window on stored u16 with intercept −1024', async () => {
    // HU = stored − 1024; lung c −600 w 1500: lo = −1350, hi = 149, y = (HU + 1350)/1499.
    const tags = dataset({ pixels: Uint16Array.from([0, 24, 424, 1173, 1174, 4095]), modality: 'CT', rescale: { slope: 1, intercept: -1024 } });
    const got = await display(d, Uint16Array.from([0, 24, 424, 1173, 1174, 4095]), deriveDisplayParams(tags, { preset: 'lung' }));
    [326 / 1499, 350 / 1499, 750 / 1499, 1, 1, 1].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
  });

  it_('MONOCHROME1 inverts the window', async () => {
    const tags = dataset({ pixels: Int16Array.from([0, 40, 79]), photometric: 'MONOCHROME1', window: { center: [40], width: [80] } });
    const got = await display(d, Int16Array.from([0, 40, 79]), deriveDisplayParams(tags));
    [1, 39 / 79, 0].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
  });

  it_('Modality LUT then window: the window applies to the LUT output', async () => {
    // LUT: first mapped 10, data [0, 100, 200, 300]; window c 150.5 w 201 (LINEAR): lo = 50, hi = 250, y = (v − 50)/200.
    const tags = dataset({ pixels: new Uint16Array(5), window: { center: [150.5], width: [201] }, extra: [sequenceElement(tag(0x0028, 0x3000), [lutItem([4, 10, 12], [0, 100, 200, 300])])] });
    const got = await display(d, Uint16Array.from([0, 10, 11, 12, 99]), deriveDisplayParams(tags));
    [0, 0, 50 / 200, 150 / 200, 1].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
  });

  it_('VOI LUT: output / (2^bits − 1), after the rescale, inverted for MONOCHROME1', async () => {
    // Rescale 2x − 10; VOI LUT first mapped −10, 10 bits, data [0, 1023, 511, 100]: inputs −10 → 0, −8 → 511, 0 → 100 (last), −12 → 0.
    const tags = dataset({
      pixels: new Int16Array(4),
      photometric: 'MONOCHROME1',
      rescale: { slope: 2, intercept: -10 },
      extra: [sequenceElement(tag(0x0028, 0x3010), [lutItem([4, -10, 10], [0, 1023, 511, 100])])],
    });
    const params = deriveDisplayParams(tags);
    expect(params.voi).toMatchObject({ kind: 'lut', lut: { firstMapped: -10 } });
    const got = await display(d, Int16Array.from([0, 1, 5, -1]), params);
    // stored 0 → −10 → 0; 1 → −8 → entry 2 = 511; 5 → 0 → last = 100; −1 → −12 → 0. Inverted.
    [1, 1 - 511 / 1023, 1 - 100 / 1023, 1].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
  });

  it_('min–max when the data set has no window: min → 0, max → 1', async () => {
    const tags = dataset({ pixels: new Int16Array(4), rescale: { slope: 0.5, intercept: 100 } });
    const got = await display(d, Int16Array.from([-100, 0, 100, 300]), deriveDisplayParams(tags));
    [0, 0.25, 0.5, 1].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
    const flat = await display(d, Int16Array.from([7, 7]), deriveDisplayParams(tags));
    expect(flat).toEqual([0.5, 0.5]);
  });
});

/**
 * pydicom's display values: apply_modality_lut, then apply_voi_lut (window index / VOI LUT index,
 * prefer_lut as asked), normalised to [0, 1] with the output range pydicom windows into (or the VOI
 * LUT's 2^bits − 1), inverted for MONOCHROME1. A window override replaces the data set's.
 */
const PYDICOM_DISPLAY = `
import json, sys, numpy as np, pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut, apply_voi_lut
def display(path, index, prefer, override):
    ds = pydicom.dcmread(path)
    prefer_lut = prefer == 'lut'
    if override:
        ds.WindowCenter = override['center']; ds.WindowWidth = override['width']
        if 'VOILUTSequence' in ds: del ds.VOILUTSequence
    stored = ds.pixel_array
    modality = apply_modality_lut(stored, ds)
    use_lut = 'VOILUTSequence' in ds and (prefer_lut or 'WindowCenter' not in ds)
    out = apply_voi_lut(modality, ds, index=index, prefer_lut=prefer_lut).astype(np.float64)
    if use_lut:
        y = out / (2 ** ds.VOILUTSequence[index].LUTDescriptor[2] - 1)
    else:
        if 'ModalityLUTSequence' in ds:
            lo, hi = 0, 2 ** ds.ModalityLUTSequence[0].LUTDescriptor[2] - 1
        elif ds.PixelRepresentation == 0:
            lo, hi = 0, 2 ** ds.BitsStored - 1
        else:
            lo, hi = -2 ** (ds.BitsStored - 1), 2 ** (ds.BitsStored - 1) - 1
        if 'RescaleSlope' in ds and 'RescaleIntercept' in ds and 'ModalityLUTSequence' not in ds:
            lo, hi = lo * float(ds.RescaleSlope) + float(ds.RescaleIntercept), hi * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
        y = (out - lo) / (hi - lo)
    if ds.PhotometricInterpretation == 'MONOCHROME1':
        y = 1 - y
    return {"shape": list(stored.shape), "stored": stored.flatten().tolist(), "display": y.flatten().tolist()}
print(json.dumps([display(*job) for job in json.loads(sys.argv[1])]))
`;

interface Reference {
  shape: number[];
  stored: number[];
  display: number[];
}

/** pydicom's display values of every case, from one Python run (its start-up is most of a case's time). */
function references(cases: readonly (readonly [string, string, DisplayOptions & { override?: { center: number; width: number } }])[]): Reference[] {
  const jobs = cases.map(([, path, options]) => [path, options.voiIndex ?? 0, options.prefer ?? 'lut', options.override ?? null]);
  return runPythonJson<Reference[]>(PYDICOM_DISPLAY, [JSON.stringify(jobs)]);
}

/** Generated files for what the corpus lacks: LUT sequences, several windows, LINEAR_EXACT, SIGMOID, MONOCHROME1. */
function generated(): [string, string, DisplayOptions][] {
  const rows = 16;
  const columns = 16;
  const ramp16 = Uint16Array.from({ length: rows * columns }, (_, i) => (i * 17) % 4096);
  const signed = Int16Array.from({ length: rows * columns }, (_, i) => ((i * 97) % 2048) - 1024);
  const files: [string, SecondaryCaptureOptions, DisplayOptions][] = [
    [
      'modality-and-voi-lut',
      {
        rows, columns, pixels: ramp16, bitsStored: 12, window: { center: [2000, 1000], width: [4000, 500] },
        extra: [
          // Modality LUT: 4096 entries (a gentle curve over 0..4095; 16 bits, as pydicom reads only 8 or 16); VOI LUTs over its output.
          sequenceElement(tag(0x0028, 0x3000), [lutItem([4096, 0, 16], Array.from({ length: 4096 }, (_, i) => Math.round((i / 4095) ** 1.5 * 4095)))]),
          sequenceElement(tag(0x0028, 0x3010), [
            // 12 bits: pydicom 2.3 indexes an 8-bit LUT with uint8 indices, which wrap past 255 entries.
            lutItem([4096, 0, 12], Array.from({ length: 4096 }, (_, i) => Math.round(4095 * Math.sin((i / 4095) * (Math.PI / 2))))),
            lutItem([2048, 1024, 10], Array.from({ length: 2048 }, (_, i) => 1023 - (i >> 1))),
          ]),
        ],
      },
      {},
    ],
    ['modality-and-voi-lut', {} as SecondaryCaptureOptions, { voiIndex: 1 }],
    ['modality-and-voi-lut', {} as SecondaryCaptureOptions, { prefer: 'window', voiIndex: 1 }],
    [
      'signed-voi-lut',
      { rows, columns, pixels: signed, rescale: { slope: 1, intercept: 0 }, extra: [sequenceElement(tag(0x0028, 0x3010), [lutItem([512, -256, 16], Array.from({ length: 512 }, (_, i) => i * 128))])] },
      {},
    ],
    [
      'mono1-linear-exact',
      {
        rows, columns, pixels: signed, photometric: 'MONOCHROME1', rescale: { slope: 0.5, intercept: -10 },
        window: { center: [0, -100.25], width: [300, 51.5], function: 'LINEAR_EXACT' },
      },
      { voiIndex: 1 },
    ],
    ['sigmoid', { rows, columns, pixels: signed, rescale: { slope: 2, intercept: 5 }, window: { center: [100], width: [700], function: 'SIGMOID' } }, {}],
  ];
  return files.map(([name, options, display]) => {
    const path = join(dir, `${name}.dcm`);
    if (options.pixels) writeFileSync(path, writeDicom(createSecondaryCapture(options)));
    return [name, path, display];
  });
}

const CORPUS: [string, string, DisplayOptions & { override?: { center: number; width: number } }][] = skipReference
  ? []
  : [
      ['CT_small lung preset', join(PYDICOM_CORPUS, 'CT_small.dcm'), { preset: 'lung', override: { center: -600, width: 1500 } }],
      ['CT_small abdomen preset', join(PYDICOM_CORPUS, 'CT_small.dcm'), { preset: 'abdomen', override: { center: 50, width: 400 } }],
      ['CT_small bone preset', join(PYDICOM_CORPUS, 'CT_small.dcm'), { preset: 'bone', override: { center: 400, width: 1800 } }],
      ['MR_small window of the data set', join(PYDICOM_CORPUS, 'MR_small.dcm'), {}],
      ['MR_small_implicit window of the data set', join(PYDICOM_CORPUS, 'MR_small_implicit.dcm'), {}],
      ['MR_small_bigendian window of the data set', join(PYDICOM_CORPUS, 'MR_small_bigendian.dcm'), {}],
      ...generated().map(([name, path, options]) => [`generated ${name} ${JSON.stringify(options)}`, path, options] as [string, string, DisplayOptions]),
    ];

let corpusReferences: Reference[] | undefined;

describe.skipIf(skipReference).each(backends)('toDisplay on %s equals pydicom', (_name, device) => {
  it.skipIf(typeof device === 'string').each(CORPUS.map((c, i) => [...c, i] as const))('%s', async (_case, path, options, i) => {
    const d = device as Device;
    corpusReferences ??= references(CORPUS);
    const ref = corpusReferences[i]!;
    const tags = parseDicom(new Uint8Array(readFileSync(path)));
    const params = deriveDisplayParams(tags, options);
    const stored = tags.numbers('00280103')[0] === 1 ? Int16Array.from(ref.stored) : Uint16Array.from(ref.stored);
    const out = await toDisplay(d, d.upload(Tensor.fromArray(stored, ref.shape)), params);
    const got = await d.read(out);
    let worst = 0;
    ref.display.forEach((v, i) => (worst = Math.max(worst, Math.abs(got[i]! - v))));
    // f32 output of an f64 reference: a few ulps of 1.
    expect(worst).toBeLessThan(1e-6);
  });
});

describe.skipIf(skipReference)('toDisplay against dcmtk dcm2pnm (16-bit PGM), and on decodeFrames output', () => {
  it.each([
    ['MR_small.dcm', ['+Wi', '1'], {}],
    ['CT_small.dcm', ['+Ww', '-600', '1500'], { preset: 'lung' }],
    ['CT_small.dcm', ['+Ww', '40', '80'], { preset: 'brain' }],
  ] as const)('%s %s', async (file, windowArgs, options) => {
    const path = join(PYDICOM_CORPUS, file);
    const pgm = join(dir, `${file}-${windowArgs.join('_')}.pgm`);
    execFileSync('dcm2pnm', [...windowArgs, '+opw', path, pgm]);
    const [, , , max, ...values] = readFileSync(pgm, 'utf8').trim().split(/\s+/);
    const file_ = parseDicom(new Uint8Array(readFileSync(path)));
    const image = await decodeFrames(file_);
    const out = await toDisplay(new CpuDevice(), frameTensor(image, 0), deriveDisplayParams(file_, options));
    const got = out.data as Float32Array;
    expect(values.length).toBe(got.length);
    let worst = 0;
    values.forEach((v, i) => (worst = Math.max(worst, Math.abs(Number(v) / Number(max) - got[i]!))));
    // dcm2pnm truncates to 16-bit integers: within one step of 1/65535.
    expect(worst).toBeLessThanOrEqual(1 / 65535 + 1e-6);
  });
});
