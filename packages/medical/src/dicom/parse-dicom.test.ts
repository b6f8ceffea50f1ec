import { DicomError } from '@cvf/core';
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CharacterSet } from './character-set.js';
import { parseDicom } from './parse-dicom.js';
import { Tag } from './tags.js';
import { decodeFrames } from './decode-frames.js';
import { buildPart10, concat, element, imagePixelElements } from './testing/part10-builder.js';
import { TransferSyntax } from './transfer-syntax.js';

function parseError(bytes: Uint8Array): DicomError {
  try {
    parseDicom(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(DicomError);
    return error as DicomError;
  }
  throw new Error('parseDicom accepted the bytes');
}

const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('parseDicom', () => {
  it('reads File Meta Information, text, decimal and binary values', () => {
    const file = parseDicom(
      buildPart10([
        { tag: '00080060', vr: 'CS', value: 'CT' },
        { tag: '00100010', vr: 'PN', value: 'Doe^Jane' },
        { tag: '00281050', vr: 'DS', value: '40\\-600' },
        { tag: '00281053', vr: 'DS', value: '1.5' },
        { tag: '00280010', vr: 'US', value: [512] },
        { tag: '00181310', vr: 'US', value: [0, 256, 256, 0] },
        { tag: '00209241', vr: 'FL', value: [0.25] },
      ]),
    );
    expect(file.transferSyntaxUID).toBe(TransferSyntax.ExplicitVRLittleEndian);
    expect(file.meta).toMatchObject({ transferSyntaxUID: '1.2.840.10008.1.2.1', mediaStorageSOPClassUID: '1.2.840.10008.5.1.4.1.1.7' });
    expect(file.string(Tag.Modality)).toBe('CT');
    expect(file.string(Tag.PatientName)).toBe('Doe^Jane');
    expect(file.numbers(Tag.WindowCenter)).toEqual([40, -600]);
    expect(file.number(Tag.RescaleSlope)).toBe(1.5);
    expect(file.number('(0028,0010)')).toBe(512);
    expect(file.numbers('00181310')).toEqual([0, 256, 256, 0]);
    expect(file.number('00209241')).toBe(0.25);
    expect(file.string(Tag.StudyDescription)).toBeUndefined();
    expect(file.tags()).toContain('00100010');
  });

  it('reads sequences, whose items inherit the Specific Character Set unless they declare their own', () => {
    const file = parseDicom(
      buildPart10([
        { tag: '00080005', vr: 'CS', value: 'ISO_IR 100' },
        { tag: '00100010', vr: 'PN', value: new Uint8Array([...latin1('Buc^J'), 0xe9, ...latin1('r'), 0xf4, ...latin1('me ')]) },
        {
          tag: '00081110',
          vr: 'SQ',
          value: [
            [{ tag: '00081150', vr: 'UI', value: '1.2.3' }, { tag: '00100010', vr: 'PN', value: new Uint8Array([0x4a, 0xe9]) }],
            [{ tag: '00080005', vr: 'CS', value: 'ISO_IR 192' }, { tag: '00100010', vr: 'PN', value: new TextEncoder().encode('Jé') }],
          ],
        },
        { tag: '00091010', vr: 'LO', value: 'private creator data' },
      ]),
    );
    expect(file.string(Tag.PatientName)).toBe('Buc^Jérôme');
    const items = file.sequence('00081110')!;
    expect(items).toHaveLength(2);
    expect(items[0]!.string('00081150')).toBe('1.2.3');
    expect(items[0]!.string(Tag.PatientName)).toBe('Jé');
    expect(items[1]!.string(Tag.PatientName)).toBe('Jé');
    expect(file.sequence('00081111')).toBeUndefined();
    expect(file.string('00091010')).toBe('private creator data');
  });

  it('inflates Deflated Explicit VR Little Endian data sets', () => {
    const plain = buildPart10([{ tag: '00100010', vr: 'PN', value: 'Deflated^Data' }], { transferSyntaxUID: TransferSyntax.DeflatedExplicitVRLittleEndian });
    const body = element({ tag: '00100010', vr: 'PN', value: 'Deflated^Data' });
    const header = plain.subarray(0, plain.length - body.length);
    const file = parseDicom(concat([header, deflateSync(body)]));
    expect(file.transferSyntaxUID).toBe(TransferSyntax.DeflatedExplicitVRLittleEndian);
    expect(file.string(Tag.PatientName)).toBe('Deflated^Data');
  });

  it('rejects what is not a Part 10 file with DICOM_NOT_DICOM', () => {
    expect(parseError(new Uint8Array(10))).toMatchObject({ code: 'DICOM_NOT_DICOM', message: expect.stringMatching(/10 bytes is shorter than the 128-byte preamble/) });
    expect(parseError(new TextEncoder().encode('x'.repeat(400)))).toMatchObject({ code: 'DICOM_NOT_DICOM', message: expect.stringMatching(/no "DICM" prefix at byte 128/) });
  });

  it('reports a file cut inside an element as DICOM_TRUNCATED', () => {
    const whole = buildPart10([{ tag: '00100010', vr: 'PN', value: 'Doe^Jane' }, { tag: '7FE00010', vr: 'OW', value: new Uint8Array(64) }]);
    expect(parseError(whole.subarray(0, whole.length - 10)).code).toBe('DICOM_TRUNCATED');
  });

  it('reports File Meta Information without a Transfer Syntax UID as DICOM_MALFORMED', () => {
    const preamble = new Uint8Array(132);
    preamble.set([0x44, 0x49, 0x43, 0x4d], 128);
    const meta = element({ tag: '00020002', vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' });
    const bytes = concat([preamble, element({ tag: '00020000', vr: 'UL', value: [meta.length] }), meta, element({ tag: '00100010', vr: 'PN', value: 'A^B' })]);
    expect(parseError(bytes)).toMatchObject({ code: 'DICOM_MALFORMED', message: expect.stringMatching(/no Transfer Syntax UID \(0002,0010\)/) });
  });

  it('never throws anything but a DicomError on damaged bytes, when parsing or decoding', async () => {
    const native = buildPart10([
      { tag: '00100010', vr: 'PN', value: 'Doe^Jane' },
      { tag: '00081110', vr: 'SQ', value: [[{ tag: '00081150', vr: 'UI', value: '1.2.3' }]] },
      ...imagePixelElements({ rows: 4, columns: 4, bitsAllocated: 16, frames: 2 }),
      { tag: '7FE00010', vr: 'OW', value: new Uint8Array(64).map((_, i) => i) },
    ]);
    const rle = buildPart10(imagePixelElements({ rows: 2, columns: 2, bitsAllocated: 8 }), {
      transferSyntaxUID: TransferSyntax.RLELossless,
      encapsulatedFrames: [concat([new Uint8Array([1, 0, 0, 0, 64, 0, 0, 0]), new Uint8Array(56), new Uint8Array([3, 1, 2, 3, 4])])],
    });
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const whole of [native, rle]) {
      expect(await decodeFrames(parseDicom(whole))).toBeDefined();
      for (let trial = 0; trial < 300; trial++) {
        const damaged = whole.slice(0, 132 + Math.floor(random() * (whole.length - 132)));
        for (let k = 0; k < 4; k++) damaged[132 + Math.floor(random() * (damaged.length - 132))] = Math.floor(random() * 256);
        try {
          await decodeFrames(parseDicom(damaged));
        } catch (error) {
          if (!(error instanceof DicomError)) throw new Error(`trial ${trial}: ${(error as Error).message}`);
        }
      }
    }
  });
});

describe('CharacterSet', () => {
  it('decodes UTF-8, Latin-1 and other single-byte sets', () => {
    expect(new CharacterSet(['ISO_IR 192']).decode(new TextEncoder().encode('Σωκράτης^中'))).toBe('Σωκράτης^中');
    expect(new CharacterSet(['ISO_IR 100']).decode(new Uint8Array([0x4a, 0xe9, 0x72, 0xf4, 0x6d, 0x65]))).toBe('Jérôme');
    expect(new CharacterSet(['ISO_IR 144']).decode(new Uint8Array([0xbb, 0xee, 0xda]))).toBe('Люк');
    expect(new CharacterSet([]).decode(latin1('Doe^John'))).toBe('Doe^John');
  });

  it('switches sets on ISO 2022 escape sequences and returns to the initial set at delimiters', () => {
    // "Yamada^Tarou=" then 山田 in JIS X 0208 (ESC $ B … ESC ( B).
    const bytes = concat([latin1('Yamada^Tarou='), new Uint8Array([0x1b, 0x24, 0x42, 0x3b, 0x33, 0x45, 0x44, 0x1b, 0x28, 0x42])]);
    expect(new CharacterSet(['', 'ISO 2022 IR 87']).decode(bytes)).toBe('Yamada^Tarou=山田');
    // Korean: ESC $ ) C designates KS X 1001 to G1; 홍 is C8AB.
    expect(new CharacterSet(['', 'ISO 2022 IR 149']).decode(new Uint8Array([0x1b, 0x24, 0x29, 0x43, 0xc8, 0xab]))).toBe('홍');
  });
});
