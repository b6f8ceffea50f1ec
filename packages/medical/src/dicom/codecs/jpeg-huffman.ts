/**
 * Huffman decoding of JPEG entropy-coded segments (ITU-T T.81 F.2.2): a bit reader that removes
 * stuffed zero bytes and stops at markers, and tables with a 9-bit lookup for the common short codes.
 */

const LOOKUP_BITS = 9;

export interface HuffmanTable {
  /** lookup[next 9 bits] = code length << 8 | symbol, or 0 when the code is longer than 9 bits. */
  readonly lookup: Uint16Array;
  readonly maxCode: Int32Array; // by code length 1..16 (index 17: sentinel); -1 when no code has that length
  readonly valPtr: Int32Array;
  readonly minCode: Int32Array;
  readonly values: Uint8Array;
}

/** The table of a DHT segment: code counts per length 1..16, then the symbols in code order. */
export function huffmanTable(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxCode = new Int32Array(18).fill(-1);
  const valPtr = new Int32Array(17);
  const minCode = new Int32Array(17);
  const lookup = new Uint16Array(1 << LOOKUP_BITS);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    const n = counts[length - 1]!;
    if (n > 0) {
      valPtr[length] = k;
      minCode[length] = code;
      for (let i = 0; i < n; i++, code++, k++) {
        if (length <= LOOKUP_BITS) {
          const shift = LOOKUP_BITS - length;
          for (let s = 0; s < 1 << shift; s++) lookup[(code << shift) | s] = (length << 8) | values[k]!;
        }
      }
      maxCode[length] = code - 1;
    }
    code <<= 1;
  }
  maxCode[17] = 0x7fffffff;
  return { lookup, maxCode, valPtr, minCode, values: values.slice() };
}

/** Reads bits MSB-first from an entropy-coded segment; past its end (a marker) it yields zeros. */
export class JpegBitReader {
  private accumulator = 0;
  private bits = 0;
  private atMarker = false;

  constructor(
    private readonly data: Uint8Array,
    /** Position of the next byte to read. */
    public position: number,
  ) {}

  private fill(): void {
    while (this.bits <= 24) {
      let byte = 0;
      if (!this.atMarker && this.position < this.data.length) {
        byte = this.data[this.position]!;
        if (byte === 0xff) {
          const next = this.data[this.position + 1];
          if (next === 0) this.position += 2;
          else {
            this.atMarker = true;
            byte = 0;
          }
        } else this.position++;
      }
      this.accumulator = ((this.accumulator << 8) | byte) >>> 0;
      this.bits += 8;
    }
  }

  receive(length: number): number {
    if (length === 0) return 0;
    if (this.bits < length) this.fill();
    this.bits -= length;
    return (this.accumulator >>> this.bits) & ((1 << length) - 1);
  }

  /** receive + EXTEND (T.81 F.2.2.1): `length` bits as a signed difference. */
  receiveExtend(length: number): number {
    if (length === 0) return 0;
    const v = this.receive(length);
    return v < 1 << (length - 1) ? v - (1 << length) + 1 : v;
  }

  decode(table: HuffmanTable): number {
    if (this.bits < 16) this.fill();
    const peek = (this.accumulator >>> (this.bits - LOOKUP_BITS)) & ((1 << LOOKUP_BITS) - 1);
    const hit = table.lookup[peek]!;
    if (hit !== 0) {
      this.bits -= hit >> 8;
      return hit & 0xff;
    }
    // Longer code: extend bit by bit from length 10.
    let length = LOOKUP_BITS + 1;
    let code = (this.accumulator >>> (this.bits - length)) & ((1 << length) - 1);
    while (code > table.maxCode[length]!) {
      length++;
      if (length > 16) throw new Error('invalid Huffman code in the entropy-coded data');
      code = (this.accumulator >>> (this.bits - length)) & ((1 << length) - 1);
    }
    this.bits -= length;
    return table.values[table.valPtr[length]! + code - table.minCode[length]!]!;
  }

  /** Skips to just after the next RSTn marker and forgets buffered bits. */
  restart(): void {
    this.bits = 0;
    this.accumulator = 0;
    this.atMarker = false;
    let p = this.position;
    while (p + 1 < this.data.length && !(this.data[p] === 0xff && this.data[p + 1]! >= 0xd0 && this.data[p + 1]! <= 0xd7)) p++;
    this.position = p + 2;
  }

  /** Position of the marker that ends the segment (bytes read ahead for the bit buffer are given back). */
  endOfSegment(): number {
    let p = this.position;
    while (p + 1 < this.data.length && !(this.data[p] === 0xff && this.data[p + 1] !== 0 && this.data[p + 1] !== 0xff && !(this.data[p + 1]! >= 0xd0 && this.data[p + 1]! <= 0xd7))) p++;
    return p;
  }
}
