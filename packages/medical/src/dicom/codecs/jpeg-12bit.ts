import { DicomError } from '@cvf/core';
import type { CodecFrame, FrameCodec } from './codec-frame.js';
import { huffmanTable, JpegBitReader, type HuffmanTable } from './jpeg-huffman.js';
import { aanQuantization, idct8x8 } from './jpeg-idct.js';

const NAME = 'JPEG extended 12-bit (CV Factory)';

/**
 * Sequential DCT JPEG with Huffman coding (ITU-T T.81 processes 1, 2 and 4) at 8 or 12 bits: the
 * 12-bit streams of JPEG Extended that the 8-bit libjpeg-turbo build cannot read. Baseline and
 * extended Huffman tables, restart intervals, interleaved and non-interleaved scans; chroma is
 * upsampled by repetition. Progressive and arithmetic-coded streams are refused with a clear error.
 * The inverse DCT is computed in floating point (AAN), so values may differ by ±1 from libjpeg's
 * integer IDCT (the conformance test's lossy tolerance covers it).
 */
export const jpeg12BitCodec: FrameCodec = {
  name: NAME,
  async decode(encoded) {
    try {
      return decodeSequentialJpeg(encoded);
    } catch (error) {
      if (error instanceof DicomError) throw error;
      throw new DicomError('DICOM_DECODE_FAILED', `${NAME}: ${(error as Error).message}`, { cause: error });
    }
  },
};

/** Zig-zag order: position k of the coded sequence → index in the 8×8 block (row-major). */
const ZIGZAG = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43,
  36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

interface Component {
  readonly id: number;
  readonly h: number;
  readonly v: number;
  readonly tq: number;
  blocksPerLine: number;
  blocksPerColumn: number;
  /** Decoded samples at the component's resolution, padded to whole MCUs. */
  samples: Int32Array;
  lineStride: number;
  dcTable: HuffmanTable | undefined;
  acTable: HuffmanTable | undefined;
  pred: number;
}

function decodeSequentialJpeg(data: Uint8Array): CodecFrame {
  if (data[0] !== 0xff || data[1] !== 0xd8) throw new Error('the frame does not start with a JPEG SOI marker');
  const quant: (Int32Array | undefined)[] = [];
  const dcTables: (HuffmanTable | undefined)[] = [];
  const acTables: (HuffmanTable | undefined)[] = [];
  let frame: { precision: number; rows: number; columns: number; components: Component[]; hMax: number; vMax: number; mcusPerLine: number; mcusPerColumn: number } | undefined;
  let restartInterval = 0;
  let p = 2;
  while (p + 4 <= data.length) {
    if (data[p] !== 0xff) throw new Error(`expected a marker at byte ${p}`);
    const marker = data[p + 1]!;
    if (marker === 0xff) {
      p++;
      continue;
    }
    if (marker === 0xd9) break; // EOI
    const length = (data[p + 2]! << 8) | data[p + 3]!;
    const body = p + 4;
    const end = p + 2 + length;
    if (end > data.length) throw new Error(`marker FF${marker.toString(16).toUpperCase()} runs past the end of the stream`);
    switch (marker) {
      case 0xdb: // DQT
        for (let q = body; q < end; ) {
          const pq = data[q]! >> 4;
          const tq = data[q]! & 15;
          const table = new Int32Array(64);
          q++;
          for (let k = 0; k < 64; k++) {
            table[ZIGZAG[k]!] = pq ? (data[q]! << 8) | data[q + 1]! : data[q]!;
            q += pq ? 2 : 1;
          }
          quant[tq] = table;
        }
        break;
      case 0xc4: // DHT
        for (let q = body; q < end; ) {
          const tc = data[q]! >> 4;
          const th = data[q]! & 15;
          const counts = data.subarray(q + 1, q + 17);
          const total = counts.reduce((a, b) => a + b, 0);
          const table = huffmanTable(counts, data.subarray(q + 17, q + 17 + total));
          (tc === 0 ? dcTables : acTables)[th] = table;
          q += 17 + total;
        }
        break;
      case 0xdd: // DRI
        restartInterval = (data[body]! << 8) | data[body + 1]!;
        break;
      case 0xc0:
      case 0xc1: {
        const precision = data[body]!;
        const rows = (data[body + 1]! << 8) | data[body + 2]!;
        const columns = (data[body + 3]! << 8) | data[body + 4]!;
        const count = data[body + 5]!;
        if (rows === 0) throw new Error('the frame header gives 0 lines (DNL markers are not supported)');
        const components: Component[] = [];
        for (let c = 0; c < count; c++) {
          const o = body + 6 + c * 3;
          components.push({ id: data[o]!, h: data[o + 1]! >> 4, v: data[o + 1]! & 15, tq: data[o + 2]!, blocksPerLine: 0, blocksPerColumn: 0, samples: new Int32Array(0), lineStride: 0, dcTable: undefined, acTable: undefined, pred: 0 });
        }
        const hMax = Math.max(...components.map((c) => c.h));
        const vMax = Math.max(...components.map((c) => c.v));
        const mcusPerLine = Math.ceil(columns / (8 * hMax));
        const mcusPerColumn = Math.ceil(rows / (8 * vMax));
        for (const c of components) {
          c.blocksPerLine = Math.ceil(Math.ceil((columns * c.h) / hMax) / 8);
          c.blocksPerColumn = Math.ceil(Math.ceil((rows * c.v) / vMax) / 8);
          c.lineStride = mcusPerLine * c.h * 8;
          c.samples = new Int32Array(c.lineStride * mcusPerColumn * c.v * 8);
        }
        frame = { precision, rows, columns, components, hMax, vMax, mcusPerLine, mcusPerColumn };
        break;
      }
      case 0xc2:
      case 0xc6:
      case 0xca:
      case 0xce:
        throw new Error('progressive JPEG is not supported by this decoder');
      case 0xc9:
      case 0xcb:
      case 0xcd:
        throw new Error('arithmetic-coded JPEG is not supported');
      case 0xc3:
        throw new Error('lossless JPEG (SOF3) under a DCT transfer syntax');
      case 0xda: {
        if (!frame) throw new Error('a scan comes before the frame header');
        const count = data[body]!;
        const scanComponents: Component[] = [];
        for (let c = 0; c < count; c++) {
          const id = data[body + 1 + c * 2]!;
          const tables = data[body + 2 + c * 2]!;
          const component = frame.components.find((x) => x.id === id);
          if (!component) throw new Error(`the scan names component ${id}, which the frame does not have`);
          component.dcTable = dcTables[tables >> 4];
          component.acTable = acTables[tables & 15];
          if (!component.dcTable || !component.acTable) throw new Error(`component ${id} uses a Huffman table that was not defined`);
          scanComponents.push(component);
        }
        p = decodeScan(data, end, frame, scanComponents, quant, restartInterval);
        continue;
      }
      default:
        break; // APPn, COM and others carry nothing the decoder needs
    }
    p = end;
  }
  if (!frame) throw new Error('the stream has no baseline or extended frame header (SOF0/SOF1)');
  return assemble(frame);
}

/** Decodes the entropy-coded data of one scan from `start`; returns the position of the marker that ends it. */
function decodeScan(
  data: Uint8Array,
  start: number,
  frame: { precision: number; mcusPerLine: number; mcusPerColumn: number },
  components: Component[],
  quant: (Int32Array | undefined)[],
  restartInterval: number,
): number {
  const reader = new JpegBitReader(data, start);
  const block = new Float64Array(64);
  const work = new Float64Array(64);
  const offset = 1 << (frame.precision - 1);
  const maxValue = (1 << frame.precision) - 1;
  const scaled = new Map<number, Float64Array>();
  const scaledTable = (component: Component) => {
    let table = scaled.get(component.tq);
    if (!table) {
      const q = quant[component.tq];
      if (!q) throw new Error(`component ${component.id} uses quantization table ${component.tq}, which was not defined`);
      table = aanQuantization(q);
      scaled.set(component.tq, table);
    }
    return table;
  };
  const decodeBlock = (component: Component, q: Float64Array, blockRow: number, blockColumn: number) => {
    block.fill(0);
    component.pred += reader.receiveExtend(reader.decode(component.dcTable!));
    block[0] = component.pred * q[0]!;
    for (let k = 1; k < 64; ) {
      const rs = reader.decode(component.acTable!);
      const size = rs & 15;
      if (size === 0) {
        if (rs !== 0xf0) break; // end of block
        k += 16;
        continue;
      }
      k += rs >> 4;
      if (k > 63) break;
      const z = ZIGZAG[k]!;
      block[z] = reader.receiveExtend(size) * q[z]!;
      k++;
    }
    idct8x8(block, work);
    const stride = component.lineStride;
    let o = blockRow * 8 * stride + blockColumn * 8;
    for (let y = 0; y < 8; y++, o += stride) {
      for (let x = 0; x < 8; x++) {
        const value = Math.round(block[y * 8 + x]!) + offset;
        component.samples[o + x] = value < 0 ? 0 : value > maxValue ? maxValue : value;
      }
    }
  };

  const single = components.length === 1;
  const only = components[0]!;
  const tables = components.map(scaledTable);
  const total = single ? only.blocksPerLine * only.blocksPerColumn : frame.mcusPerLine * frame.mcusPerColumn;
  const perLine = single ? only.blocksPerLine : frame.mcusPerLine;
  for (const c of components) c.pred = 0;
  for (let n = 0; n < total; n++) {
    if (restartInterval > 0 && n > 0 && n % restartInterval === 0) {
      reader.restart();
      for (const c of components) c.pred = 0;
    }
    const row = Math.floor(n / perLine);
    const column = n % perLine;
    if (single) decodeBlock(only, tables[0]!, row, column);
    else {
      components.forEach((c, i) => {
        for (let v = 0; v < c.v; v++) for (let h = 0; h < c.h; h++) decodeBlock(c, tables[i]!, row * c.v + v, column * c.h + h);
      });
    }
  }
  return reader.endOfSegment();
}

/** Crops the components to the image and interleaves them, repeating subsampled chroma. */
function assemble(frame: { precision: number; rows: number; columns: number; components: Component[]; hMax: number; vMax: number }): CodecFrame {
  const { rows, columns, components } = frame;
  const n = components.length;
  const out = frame.precision > 8 ? new Uint16Array(rows * columns * n) : new Uint8Array(rows * columns * n);
  components.forEach((c, index) => {
    const sx = frame.hMax / c.h;
    const sy = frame.vMax / c.v;
    for (let y = 0; y < rows; y++) {
      const line = Math.floor(y / sy) * c.lineStride;
      for (let x = 0, o = y * columns * n + index; x < columns; x++, o += n) out[o] = c.samples[line + Math.floor(x / sx)]!;
    }
  });
  return { samples: out, rows, columns, components: n, bitsPerSample: frame.precision, signed: false, colorConverted: false };
}
