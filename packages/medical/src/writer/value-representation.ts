/** Value Representations of PS3.5 Table 6.2-1. */
export const VRS = [
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW',
  'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV',
] as const;

export type Vr = (typeof VRS)[number];

export function isVr(value: string): value is Vr {
  return (VRS as readonly string[]).includes(value);
}

/** VRs whose explicit-VR header has 2 reserved bytes and a 32-bit length (PS3.5 7.1.2). */
const LONG_LENGTH: ReadonlySet<Vr> = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

export function hasLongLength(vr: Vr): boolean {
  return LONG_LENGTH.has(vr);
}

/** Character-string VRs; values are padded with a space to even length, UI with NUL (PS3.5 6.2). */
const TEXT: ReadonlySet<Vr> = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);

export function isTextVr(vr: Vr): boolean {
  return TEXT.has(vr);
}

/** The byte that pads an odd-length value to even length: space for text, NUL for UI and binary VRs. */
export function paddingByte(vr: Vr): number {
  return TEXT.has(vr) && vr !== 'UI' ? 0x20 : 0x00;
}

/** Bytes per number of the binary VRs that hold numbers; byte order matters for these. */
const NUMBER_WIDTH: Partial<Record<Vr, 2 | 4 | 8>> = {
  US: 2, SS: 2, OW: 2, AT: 2, UL: 4, SL: 4, FL: 4, OF: 4, OL: 4, FD: 8, OD: 8, SV: 8, UV: 8, OV: 8,
};

/** The width of one number in a binary VR (AT counts as two 16-bit numbers), or undefined for bytes and text. */
export function numberWidth(vr: Vr): 2 | 4 | 8 | undefined {
  return NUMBER_WIDTH[vr];
}
