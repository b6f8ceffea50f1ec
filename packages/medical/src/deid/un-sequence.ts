import { bytesElement, sequenceElement, type DataElement, type Dataset } from '../writer/data-element.js';
import { ITEM, ITEM_DELIMITATION, SEQUENCE_DELIMITATION } from '../writer/dicom-tag.js';
import { knownVr } from './element-tree.js';

const UNDEFINED_LENGTH = 0xffffffff;
/** Deeper nesting is not parsed (the value is then removed): bounds the recursion on hostile input. */
const MAX_DEPTH = 64;

/** Thrown inside the parser only: the value is not a well-formed implicit VR little endian sequence. */
class NotASequence extends Error {}

interface Cursor {
  readonly view: DataView;
  at: number;
}

function header(cursor: Cursor, end: number): { tag: number; length: number } {
  if (cursor.at + 8 > end) throw new NotASequence('header past the end');
  const { view, at } = cursor;
  const tag = ((view.getUint16(at, true) << 16) | view.getUint16(at + 2, true)) >>> 0;
  cursor.at += 8;
  return { tag, length: view.getUint32(at + 4, true) };
}

/** Items up to `end` (defined length) or up to the Sequence Delimitation Item (undefined length). */
function readItems(cursor: Cursor, end: number, undefinedLength: boolean, depth: number): Dataset[] {
  if (depth > MAX_DEPTH) throw new NotASequence('nested too deep');
  const items: Dataset[] = [];
  while (undefinedLength || cursor.at < end) {
    const { tag, length } = header(cursor, end);
    // Also accepted closing a defined length: some writers keep it when they set the length.
    if (tag === SEQUENCE_DELIMITATION) return items;
    if (tag !== ITEM) throw new NotASequence('not an item');
    if (length === UNDEFINED_LENGTH) items.push(readDataset(cursor, end, true, depth));
    else {
      const itemEnd = cursor.at + length;
      if (itemEnd > end) throw new NotASequence('item past the end');
      items.push(readDataset(cursor, itemEnd, false, depth));
    }
  }
  return items;
}

function readDataset(cursor: Cursor, end: number, undefinedLength: boolean, depth: number): Dataset {
  const elements: DataElement[] = [];
  while (undefinedLength || cursor.at < end) {
    const { tag, length } = header(cursor, end);
    if (tag === ITEM_DELIMITATION) {
      if (!undefinedLength) throw new NotASequence('delimiter in a defined-length item');
      return elements;
    }
    if (tag >>> 16 === 0xfffe) throw new NotASequence('misplaced delimiter');
    const vr = knownVr(tag.toString(16).toUpperCase().padStart(8, '0'));
    if (length === UNDEFINED_LENGTH) {
      elements.push(sequenceElement(tag, readItems(cursor, end, true, depth + 1)));
      continue;
    }
    const valueEnd = cursor.at + length;
    if (valueEnd > end) throw new NotASequence('value past the end');
    if (vr === 'SQ') elements.push(sequenceElement(tag, readItems(cursor, valueEnd, false, depth + 1)));
    else {
      // Unknown tags stay UN bytes; de-identification parses them in turn when they hold items.
      const { view } = cursor;
      elements.push(bytesElement(tag, vr, new Uint8Array(view.buffer, view.byteOffset + cursor.at, length).slice()));
    }
    cursor.at = valueEnd;
  }
  return elements;
}

/** Whether a UN value should be read as a sequence: its VR is known to be SQ, or it starts with an Item tag. */
export function looksLikeSequence(bytes: Uint8Array, vr: string | undefined): boolean {
  if (vr === 'SQ') return true;
  return bytes.length >= 8 && bytes[0] === 0xfe && bytes[1] === 0xff && bytes[2] === 0x00 && bytes[3] === 0xe0;
}

/**
 * The items of a sequence stored as UN (PS3.5 6.2.2: such values are implicit VR little endian),
 * or undefined when the bytes are not a well-formed sequence (the caller removes the value).
 */
export function parseUnSequence(bytes: Uint8Array): Dataset[] | undefined {
  const cursor: Cursor = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), at: 0 };
  try {
    return readItems(cursor, bytes.length, false, 0);
  } catch (error) {
    if (error instanceof NotASequence) return undefined;
    throw error;
  }
}
