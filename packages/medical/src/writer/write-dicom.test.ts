import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DicomWriteError } from '@cvf/core';
import { describe, expect, it } from 'vitest';
import { dcmdump, referenceToolsSkipReason, runPythonJson } from '../node/reference-tools.js';
import {
  bytesElement, createSecondaryCapture, DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, fragmentsElement,
  IMPLICIT_VR_LITTLE_ENDIAN, lutItem, numberElement, sequenceElement, tag, textElement, writeDicom, type Dataset,
} from './index.js';

const skip = referenceToolsSkipReason();
const dir = mkdtempSync(join(tmpdir(), 'cvf-writer-'));

/** A 3×5 signed 16-bit image (odd width) with values across the range. */
const PIXELS = Int16Array.from({ length: 15 }, (_, i) => (i - 7) * 4000 + i);

/** A data set that exercises the writer: odd lengths of every padding kind, nested sequences, private tags, binary VRs. */
function richDataset(): Dataset {
  return createSecondaryCapture({
    rows: 3,
    columns: 5,
    pixels: PIXELS,
    patientId: 'PID-7', // odd length: space-padded
    patientName: 'Doe^J', // odd length
    studyUID: '1.2.3.4.5', // odd length: NUL-padded
    seriesUID: '1.2.3.4.5.6',
    sopInstanceUID: '1.2.3.4.5.6.7',
    studyDate: '20240229',
    rescale: { slope: 1, intercept: -1024 },
    window: { center: [40, -600], width: [80, 1500] },
    extra: [
      textElement(tag(0x0008, 0x1030), 'LO', 'Étude thorax'), // UTF-8 under ISO_IR 192, 13 bytes
      sequenceElement(tag(0x0008, 0x1140), [
        [textElement(tag(0x0008, 0x1150), 'UI', '1.2.840.10008.5.1.4.1.1.2'), textElement(tag(0x0008, 0x1155), 'UI', '1.2.3.9')],
        [
          textElement(tag(0x0008, 0x1150), 'UI', '1.2.840.10008.5.1.4.1.1.2'),
          textElement(tag(0x0008, 0x1155), 'UI', '1.2.3.10'),
          sequenceElement(tag(0x0040, 0xa170), [[textElement(tag(0x0008, 0x0100), 'SH', 'ABC')]]),
        ],
      ]),
      sequenceElement(tag(0x0040, 0x0275), []),
      sequenceElement(tag(0x0028, 0x3010), [lutItem([4, -2, 16], [0, 100, 200, 65535], 'ramp')]),
      textElement(tag(0x0018, 0x1164), 'DS', '0.5', '0.25'),
      textElement(tag(0x0028, 0x0034), 'IS', '1', '1'),
      numberElement(tag(0x0018, 0x9087), 'FD', 1000.5),
      numberElement(tag(0x0020, 0x9165), 'AT', tag(0x0020, 0x9057), tag(0x0020, 0x9128)),
      numberElement(tag(0x0028, 0x0009), 'AT', tag(0x0018, 0x1063)),
      textElement(tag(0x0009, 0x0010), 'LO', 'CVF TEST'),
      bytesElement(tag(0x0009, 0x1001), 'OB', new Uint8Array([1, 2, 3])), // odd OB: NUL-padded
    ],
  });
}

describe('writeDicom', () => {
  it('lays out a Part 10 file: preamble, DICM, meta group led by its group length', () => {
    const bytes = writeDicom(richDataset());
    expect([...bytes.subarray(0, 128)].every((b) => b === 0)).toBe(true);
    expect(new TextDecoder().decode(bytes.subarray(128, 132))).toBe('DICM');
    const view = new DataView(bytes.buffer);
    // (0002,0000) UL 4 <length>
    expect([view.getUint16(132, true), view.getUint16(134, true)]).toEqual([0x0002, 0x0000]);
    expect(new TextDecoder().decode(bytes.subarray(136, 138))).toBe('UL');
    const groupLength = view.getUint32(140, true);
    // The first element after the meta group is group 0008.
    expect(view.getUint16(144 + groupLength, true)).toBe(0x0008);
    expect(view.getUint16(144 + groupLength - 8 - 8, true)).toBe(0x0002);
  });

  it('pads odd values per VR: space for text, NUL for UI and OB', () => {
    const bytes = writeDicom(richDataset());
    const find = (needle: string) => {
      const n = new TextEncoder().encode(needle);
      outer: for (let i = 0; i < bytes.length - n.length; i++) {
        for (let j = 0; j < n.length; j++) if (bytes[i + j] !== n[j]) continue outer;
        return i;
      }
      return -1;
    };
    const pid = find('PID-7');
    expect(bytes[pid - 2]).toBe(6); // length 6 (16-bit)
    expect(bytes[pid + 5]).toBe(0x20);
    const uid = find('1.2.3.4.5.6.7');
    expect(bytes[uid - 2]).toBe(14);
    expect(bytes[uid + 13]).toBe(0);
    const ob = find('\u0001\u0002\u0003');
    expect([bytes[ob - 4], bytes[ob + 3]]).toEqual([4, 0]); // OB: 32-bit length 4, then NUL
  });

  it('refuses values that do not fit and data sets it cannot write, naming the problem', () => {
    const base = createSecondaryCapture({ rows: 1, columns: 1, pixels: new Uint8Array([0]) });
    const write = (extra: Dataset, options = {}) => () => writeDicom([...base, ...extra], options);
    expect(write([numberElement(tag(0x0028, 0x0106), 'US', 70000)])).toThrow(/\(0028,0106\) US: value 70000 is not an integer in 0\.\.65535/);
    expect(write([textElement(tag(0x0008, 0x1030), 'LO', 'x'.repeat(70000))])).toThrow(/70000 bytes does not fit the 16-bit length of LO/);
    expect(write([textElement(tag(0x0010, 0x0010), 'PN', 'A')])).toThrow(/\(0010,0010\) appears twice/);
    const native = base.filter((e) => e.tag !== tag(0x7fe0, 0x0010));
    expect(() => writeDicom([...native, fragmentsElement(tag(0x7fe0, 0x0010), [new Uint8Array(2)])])).toThrow(/encapsulated \(fragments\) but transfer syntax 1\.2\.840\.10008\.1\.2\.1 is native/);
    expect(() => writeDicom(base.filter((e) => e.tag !== tag(0x0008, 0x0018)))).toThrow(/no SOP Instance UID \(0008,0018\)/);
    expect(() => writeDicom(base, { transferSyntaxUID: '1.2.840.10008.1.2.5' })).toThrow(/encapsulates Pixel Data, but Pixel Data is native/);
    expect(() => writeDicom(base, { transferSyntaxUID: '1.2.840.10008.1.2.2' })).toThrow(/Big Endian, retired/);
    expect(() => writeDicom(base, { transferSyntaxUID: '1.2.840.10008.1.2.2' })).toThrow(DicomWriteError);
  });
});

/** What pydicom reads back: every value the tests compare, and the pixel array. */
const READ_BACK = `
import json, sys, pydicom
ds = pydicom.dcmread(sys.argv[1])
seq = ds.ReferencedImageSequence
voi = ds.VOILUTSequence[0]
print(json.dumps({
  "ts": str(ds.file_meta.TransferSyntaxUID),
  "metaLength": ds.file_meta.FileMetaInformationGroupLength,
  "sopInstance": ds.file_meta.MediaStorageSOPInstanceUID,
  "patientName": str(ds.PatientName), "patientId": ds.PatientID, "description": ds.StudyDescription,
  "studyUID": ds.StudyInstanceUID, "center": [float(v) for v in ds.WindowCenter], "width": [float(v) for v in ds.WindowWidth],
  "refs": [item.ReferencedSOPInstanceUID for item in seq], "nested": seq[1][0x0040a170][0].CodeValue,
  "emptySeq": len(ds[0x00400275].value), "lutDescriptor": list(voi.LUTDescriptor), "lutExplanation": voi.LUTExplanation,
  "fd": ds[0x00189087].value, "at": [int(t) for t in ds[0x00209165].value],
  "private": ds[0x00090010].value, "privateBytes": list(ds[0x00091001].value),
  "pixels": ds.pixel_array.flatten().tolist(), "rows": ds.Rows, "columns": ds.Columns,
}))
`;

describe.skipIf(skip)('writeDicom output in pydicom and dcmtk', () => {
  it.each([
    ['explicit VR little endian', EXPLICIT_VR_LITTLE_ENDIAN],
    ['implicit VR little endian', IMPLICIT_VR_LITTLE_ENDIAN],
    ['deflated explicit VR little endian', DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN],
  ])('%s reads back value for value', (name, transferSyntaxUID) => {
    const path = join(dir, `rich-${name.replace(/ /g, '-')}.dcm`);
    writeFileSync(path, writeDicom(richDataset(), { transferSyntaxUID }));
    const read = runPythonJson<Record<string, unknown>>(READ_BACK, [path]);
    expect(read).toMatchObject({
      ts: transferSyntaxUID,
      sopInstance: '1.2.3.4.5.6.7',
      patientName: 'Doe^J',
      patientId: 'PID-7',
      description: 'Étude thorax',
      studyUID: '1.2.3.4.5',
      center: [40, -600],
      width: [80, 1500],
      refs: ['1.2.3.9', '1.2.3.10'],
      nested: 'ABC',
      emptySeq: 0,
      lutExplanation: 'ramp',
      fd: 1000.5,
      at: [tag(0x0020, 0x9057), tag(0x0020, 0x9128)],
      private: 'CVF TEST',
      privateBytes: [1, 2, 3, 0],
      rows: 3,
      columns: 5,
      pixels: [...PIXELS],
    });
    // LUT Descriptor written as SS because its first mapped value is negative.
    expect(read.lutDescriptor).toEqual([4, -2, 16]);

    const dump = dcmdump(path);
    expect(dump.status).toBe(0);
    expect(dump.stderr).toBe('');
    expect(dump.stdout).toMatch(/\(0010,0010\) PN \[Doe\^J\]/);
    expect(dump.stdout).toMatch(/\(0008,1140\) SQ \(Sequence with undefined length #=2\)/);
    expect(dump.stdout).toMatch(/\(fffe,e0dd\) na \(SequenceDelimitationItem\)/);
    expect(dump.stdout).toMatch(/\(0002,0012\) UI =?\[?2\.25\.238185555061118938152729539749707550776/);
  });

  it('writes encapsulated Pixel Data (RLE Lossless fragments) that pydicom decodes', () => {
    // RLE Lossless (PS3.5 G): one 8-bit segment per frame, a 64-byte header, PackBits literal runs.
    const rows = 4;
    const columns = 6;
    const frames = [0, 1].map((f) => Uint8Array.from({ length: rows * columns }, (_, i) => (i * 37 + f * 101) % 256));
    const rle = frames.map((pixels) => {
      const out = new Uint8Array(64 + pixels.length + 1);
      const view = new DataView(out.buffer);
      view.setUint32(0, 1, true);
      view.setUint32(4, 64, true);
      out[64] = pixels.length - 1; // one literal run of 24 bytes
      out.set(pixels, 65);
      return out;
    });
    const dataset = createSecondaryCapture({ rows, columns, frames: 2, pixels: new Uint8Array(rows * columns * 2), sopInstanceUID: '1.2.3.99' })
      .filter((e) => e.tag !== tag(0x7fe0, 0x0010))
      .concat([fragmentsElement(tag(0x7fe0, 0x0010), rle, [0, rle[0]!.length + 8 + (rle[0]!.length % 2)])]);
    const path = join(dir, 'rle.dcm');
    writeFileSync(path, writeDicom(dataset, { transferSyntaxUID: '1.2.840.10008.1.2.5' }));
    const read = runPythonJson<{ pixels: number[]; ts: string }>(
      `import json, sys, pydicom
ds = pydicom.dcmread(sys.argv[1])
print(json.dumps({"ts": str(ds.file_meta.TransferSyntaxUID), "pixels": ds.pixel_array.flatten().tolist()}))`,
      [path],
    );
    expect(read.ts).toBe('1.2.840.10008.1.2.5');
    expect(read.pixels).toEqual([...frames[0]!, ...frames[1]!]);
    const dump = dcmdump(path);
    expect(dump.stderr).toBe('');
    expect(dump.stdout).toMatch(/\(7fe0,0010\) OB \(PixelSequence #=3\)/);
  });
});
