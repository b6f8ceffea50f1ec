/**
 * Decoding of text attributes under Specific Character Set (0008,0005), PS3.5 §6.1 and PS3.3
 * C.12.1.1.2: single-byte sets (ISO_IR 100 …), UTF-8 (ISO_IR 192), GB18030/GBK, and ISO 2022 code
 * extensions, where escape sequences switch the G0/G1 sets inside a value.
 */

type Charset =
  | { kind: 'latin1' } // ISO 8859-1 maps bytes 1:1 to code points (WHATWG's "iso-8859-1" is windows-1252)
  | { kind: 'decoder'; label: string } // a TextDecoder label
  | { kind: 'jis-x0208' } // 2-byte 7-bit codes, decoded through EUC-JP
  | { kind: 'jis-x0212' }; // 2-byte 7-bit codes, decoded through EUC-JP's 0x8F plane

const LATIN1: Charset = { kind: 'latin1' };

/** Single-valued defined terms (no code extensions). */
const SINGLE_BYTE: Readonly<Record<string, Charset>> = {
  '': LATIN1,
  ISO_IR_6: LATIN1,
  'ISO_IR 6': LATIN1,
  'ISO_IR 100': LATIN1,
  'ISO_IR 101': { kind: 'decoder', label: 'iso-8859-2' },
  'ISO_IR 109': { kind: 'decoder', label: 'iso-8859-3' },
  'ISO_IR 110': { kind: 'decoder', label: 'iso-8859-4' },
  'ISO_IR 144': { kind: 'decoder', label: 'iso-8859-5' },
  'ISO_IR 127': { kind: 'decoder', label: 'iso-8859-6' },
  'ISO_IR 126': { kind: 'decoder', label: 'iso-8859-7' },
  'ISO_IR 138': { kind: 'decoder', label: 'iso-8859-8' },
  'ISO_IR 148': { kind: 'decoder', label: 'iso-8859-9' },
  'ISO_IR 203': { kind: 'decoder', label: 'iso-8859-15' },
  'ISO_IR 166': { kind: 'decoder', label: 'windows-874' },
  'ISO_IR 13': { kind: 'decoder', label: 'shift_jis' },
  'ISO_IR 192': { kind: 'decoder', label: 'utf-8' },
  GB18030: { kind: 'decoder', label: 'gb18030' },
  GBK: { kind: 'decoder', label: 'gbk' },
};

/** ISO 2022 defined terms: the G0 and G1 sets each one designates. */
const ISO_2022: Readonly<Record<string, { g0?: Charset; g1?: Charset }>> = {
  'ISO 2022 IR 6': { g0: LATIN1 },
  'ISO 2022 IR 100': { g1: LATIN1 },
  'ISO 2022 IR 101': { g1: SINGLE_BYTE['ISO_IR 101']! },
  'ISO 2022 IR 109': { g1: SINGLE_BYTE['ISO_IR 109']! },
  'ISO 2022 IR 110': { g1: SINGLE_BYTE['ISO_IR 110']! },
  'ISO 2022 IR 144': { g1: SINGLE_BYTE['ISO_IR 144']! },
  'ISO 2022 IR 127': { g1: SINGLE_BYTE['ISO_IR 127']! },
  'ISO 2022 IR 126': { g1: SINGLE_BYTE['ISO_IR 126']! },
  'ISO 2022 IR 138': { g1: SINGLE_BYTE['ISO_IR 138']! },
  'ISO 2022 IR 148': { g1: SINGLE_BYTE['ISO_IR 148']! },
  'ISO 2022 IR 203': { g1: SINGLE_BYTE['ISO_IR 203']! },
  'ISO 2022 IR 166': { g1: SINGLE_BYTE['ISO_IR 166']! },
  'ISO 2022 IR 13': { g0: LATIN1, g1: SINGLE_BYTE['ISO_IR 13']! },
  'ISO 2022 IR 87': { g0: { kind: 'jis-x0208' } },
  'ISO 2022 IR 159': { g0: { kind: 'jis-x0212' } },
  'ISO 2022 IR 149': { g1: { kind: 'decoder', label: 'euc-kr' } },
  'ISO 2022 IR 58': { g1: { kind: 'decoder', label: 'gbk' } },
};

/** Escape sequences (the bytes after ESC) and the set they designate into G0 or G1. */
const ESCAPES: readonly { bytes: string; g: 0 | 1; charset: Charset }[] = [
  { bytes: '(B', g: 0, charset: LATIN1 },
  { bytes: '(J', g: 0, charset: LATIN1 },
  { bytes: ')I', g: 1, charset: SINGLE_BYTE['ISO_IR 13']! },
  { bytes: '$B', g: 0, charset: { kind: 'jis-x0208' } },
  { bytes: '$(D', g: 0, charset: { kind: 'jis-x0212' } },
  { bytes: '$)C', g: 1, charset: { kind: 'decoder', label: 'euc-kr' } },
  { bytes: '$)A', g: 1, charset: { kind: 'decoder', label: 'gbk' } },
  { bytes: '-A', g: 1, charset: LATIN1 },
  { bytes: '-B', g: 1, charset: SINGLE_BYTE['ISO_IR 101']! },
  { bytes: '-C', g: 1, charset: SINGLE_BYTE['ISO_IR 109']! },
  { bytes: '-D', g: 1, charset: SINGLE_BYTE['ISO_IR 110']! },
  { bytes: '-L', g: 1, charset: SINGLE_BYTE['ISO_IR 144']! },
  { bytes: '-G', g: 1, charset: SINGLE_BYTE['ISO_IR 127']! },
  { bytes: '-F', g: 1, charset: SINGLE_BYTE['ISO_IR 126']! },
  { bytes: '-H', g: 1, charset: SINGLE_BYTE['ISO_IR 138']! },
  { bytes: '-M', g: 1, charset: SINGLE_BYTE['ISO_IR 148']! },
  { bytes: '-T', g: 1, charset: SINGLE_BYTE['ISO_IR 166']! },
  { bytes: '-b', g: 1, charset: SINGLE_BYTE['ISO_IR 203']! },
];

const decoders = new Map<string, TextDecoder>();
function textDecoder(label: string): TextDecoder {
  let decoder = decoders.get(label);
  if (!decoder) {
    decoder = new TextDecoder(label);
    decoders.set(label, decoder);
  }
  return decoder;
}

/** Bytes as ISO 8859-1 (one code point per byte): the default repertoire, and never lossy. */
export function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return out;
}

function decodeWith(charset: Charset, bytes: Uint8Array): string {
  switch (charset.kind) {
    case 'latin1':
      return latin1(bytes);
    case 'decoder':
      return textDecoder(charset.label).decode(bytes);
    case 'jis-x0208': {
      const euc = bytes.map((b) => b | 0x80);
      return textDecoder('euc-jp').decode(euc);
    }
    case 'jis-x0212': {
      const euc = new Uint8Array((bytes.length / 2) * 3);
      for (let i = 0, j = 0; i + 1 < bytes.length; i += 2, j += 3) {
        euc[j] = 0x8f;
        euc[j + 1] = bytes[i]! | 0x80;
        euc[j + 2] = bytes[i + 1]! | 0x80;
      }
      return textDecoder('euc-jp').decode(euc);
    }
  }
}

/**
 * A decoder of text values for one Specific Character Set. Unknown defined terms fall back to
 * ISO 8859-1 so that a value is never lost (the bytes stay recoverable one to one).
 */
export class CharacterSet {
  readonly terms: readonly string[];
  private readonly single: Charset | undefined;
  private readonly initialG0: Charset;
  private readonly initialG1: Charset | undefined;

  constructor(specificCharacterSet: readonly string[] = []) {
    this.terms = specificCharacterSet.map((t) => t.trim());
    const first = this.terms[0] ?? '';
    const extended = this.terms.length > 1 || first.startsWith('ISO 2022');
    if (!extended) {
      this.single = SINGLE_BYTE[first] ?? LATIN1;
      this.initialG0 = LATIN1;
      return;
    }
    // With code extensions, the first value (or ASCII when empty) is the initial designation.
    const initial = ISO_2022[first.replace('ISO_IR', 'ISO 2022 IR')] ?? {};
    this.initialG0 = initial.g0 ?? LATIN1;
    this.initialG1 = initial.g1;
  }

  /** True when the set is plain ASCII/Latin-1 (nothing but a byte-per-character mapping). */
  get isDefault(): boolean {
    return this.single === LATIN1;
  }

  decode(bytes: Uint8Array): string {
    if (this.single) return decodeWith(this.single, bytes);
    return this.decodeIso2022(bytes);
  }

  private decodeIso2022(bytes: Uint8Array): string {
    let g0 = this.initialG0;
    let g1 = this.initialG1;
    let out = '';
    let start = 0;
    // A run is a stretch of bytes under one set: G0 for bytes < 0x80, G1 for bytes ≥ 0x80.
    let runHigh = false;
    const flush = (end: number) => {
      if (end > start) {
        const run = bytes.subarray(start, end);
        out += runHigh && g1 ? decodeWith(g1, run) : decodeWith(runHigh ? LATIN1 : g0, run);
      }
      start = end;
    };
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b === 0x1b) {
        flush(i);
        const escape = ESCAPES.find((e) => matches(bytes, i + 1, e.bytes));
        if (escape) {
          if (escape.g === 0) g0 = escape.charset;
          else g1 = escape.charset;
          i += escape.bytes.length;
        }
        start = i + 1;
        continue;
      }
      const high = b >= 0x80;
      if (high !== runHigh) {
        flush(i);
        runHigh = high;
      }
      // Delimiters of values and name components return to the initial designation (PS3.5 6.1.2.5.3).
      const singleByteG0 = g0.kind === 'latin1';
      if (!high && singleByteG0 && (b === 0x5c || b === 0x3d || b === 0x5e || b === 0x0d || b === 0x0a || b === 0x09 || b === 0x0c)) {
        flush(i);
        g0 = this.initialG0;
        g1 = this.initialG1;
      }
    }
    flush(bytes.length);
    return out;
  }
}

function matches(bytes: Uint8Array, at: number, ascii: string): boolean {
  for (let k = 0; k < ascii.length; k++) if (bytes[at + k] !== ascii.charCodeAt(k)) return false;
  return true;
}

export const DEFAULT_CHARACTER_SET = new CharacterSet();
