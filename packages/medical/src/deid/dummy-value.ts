import { bytesElement, numberElement, sequenceElement, textElement, type DataElement } from '../writer/data-element.js';
import { isTextVr, isVr, type Vr } from '../writer/value-representation.js';

/** Dummy text per VR: valid for the VR, obviously not a real value. */
const DUMMY_TEXT: Partial<Record<Vr, string>> = {
  AE: 'ANONYMIZED',
  AS: '000Y',
  CS: 'ANONYMIZED',
  DA: '19000101',
  DS: '0',
  DT: '19000101000000',
  IS: '0',
  TM: '000000',
  UR: 'urn:anonymized',
};

/**
 * Action D: a non-zero-length value consistent with the VR. A sequence becomes one empty item —
 * present, as a Type 1 sequence must be, and holding nothing of the original.
 */
export function dummyElement(tag: number, vrName: string): DataElement {
  const vr: Vr = isVr(vrName) ? vrName : 'UN';
  if (vr === 'SQ') return sequenceElement(tag, [[]]);
  if (isTextVr(vr)) return textElement(tag, vr, DUMMY_TEXT[vr] ?? 'ANONYMIZED');
  if (['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'SV', 'UV'].includes(vr)) return numberElement(tag, vr, 0);
  if (vr === 'AT') return numberElement(tag, vr, 0);
  return bytesElement(tag, vr, new Uint8Array(2));
}

/** Action Z: a zero-length value (an empty sequence for SQ). */
export function emptyElement(tag: number, vrName: string): DataElement {
  const vr: Vr = isVr(vrName) ? vrName : 'UN';
  if (vr === 'SQ') return sequenceElement(tag, []);
  return bytesElement(tag, vr, new Uint8Array(0));
}
