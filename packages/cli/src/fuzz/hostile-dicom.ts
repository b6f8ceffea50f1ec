import { buildPart10 } from '@cvf/medical/testing';

/** Files no mutation of a small corpus file reaches: deep nesting and very many frames. */

const RLE_LOSSLESS = '1.2.840.10008.1.2.5';

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function header(group: number, element: number, vr: string | null, length: number): Uint8Array {
  const view = new DataView(new ArrayBuffer(vr === null ? 8 : 12));
  view.setUint16(0, group, true);
  view.setUint16(2, element, true);
  if (vr === null) view.setUint32(4, length, true);
  else {
    view.setUint8(4, vr.charCodeAt(0));
    view.setUint8(5, vr.charCodeAt(1));
    view.setUint32(8, length, true);
  }
  return new Uint8Array(view.buffer);
}

/**
 * Sequences nested `depth` deep, undefined lengths, a PatientName at the bottom: a recursive
 * parser overflows its stack long before 5,000.
 */
export function nestedSequences(depth: number): Uint8Array {
  const open = concat([header(0x0008, 0x1115, 'SQ', 0xffffffff), header(0xfffe, 0xe000, null, 0xffffffff)]);
  const close = concat([header(0xfffe, 0xe00d, null, 0), header(0xfffe, 0xe0dd, null, 0)]);
  const name = concat([new Uint8Array([0x10, 0x00, 0x10, 0x00, 0x50, 0x4e, 0x02, 0x00]), new TextEncoder().encode('X^')]);
  const body = new Uint8Array(depth * (open.length + close.length) + name.length);
  for (let d = 0; d < depth; d++) body.set(open, d * open.length);
  body.set(name, depth * open.length);
  for (let d = 0; d < depth; d++) body.set(close, depth * open.length + name.length + d * close.length);
  return concat([buildPart10([{ tag: '00080060', vr: 'CS', value: 'OT' }]), body]);
}

/** An RLE file of `frames` 1×1 frames, one fragment each, with a Basic Offset Table. */
export function manyRleFrames(frames: number): Uint8Array {
  // RLE header: one segment at offset 64; the segment: a literal run of one byte.
  const frame = new Uint8Array(66);
  new DataView(frame.buffer).setUint32(0, 1, true);
  new DataView(frame.buffer).setUint32(4, 64, true);
  frame[65] = 0x7f;
  return buildPart10(
    [
      { tag: '00280002', vr: 'US', value: [1] },
      { tag: '00280004', vr: 'CS', value: 'MONOCHROME2' },
      { tag: '00280008', vr: 'IS', value: String(frames) },
      { tag: '00280010', vr: 'US', value: [1] },
      { tag: '00280011', vr: 'US', value: [1] },
      { tag: '00280100', vr: 'US', value: [8] },
      { tag: '00280101', vr: 'US', value: [8] },
      { tag: '00280102', vr: 'US', value: [7] },
      { tag: '00280103', vr: 'US', value: [0] },
    ],
    { transferSyntaxUID: RLE_LOSSLESS, encapsulatedFrames: Array.from({ length: frames }, () => frame), basicOffsetTable: true },
  );
}
