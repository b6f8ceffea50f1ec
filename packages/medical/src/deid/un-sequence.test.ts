import { describe, expect, it } from 'vitest';
import { elementText, tag } from '../writer/index.js';
import { looksLikeSequence, parseUnSequence } from './un-sequence.js';

const UNDEFINED = 0xffffffff;

/** One implicit VR little endian header (tag, length) followed by `value`. */
function el(group: number, element: number, value: Uint8Array, length = value.length): Uint8Array {
  const out = new Uint8Array(8 + value.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, group, true);
  view.setUint16(2, element, true);
  view.setUint32(4, length, true);
  out.set(value, 8);
  return out;
}

const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const text = (s: string) => new TextEncoder().encode(s);
const item = (...elements: Uint8Array[]) => el(0xfffe, 0xe000, cat(...elements));
const name = el(0x0010, 0x0010, text('Doe^Jane'));

describe('parseUnSequence (implicit VR little endian items of a UN value)', () => {
  it('reads defined- and undefined-length items and nested sequences, with VRs from the profile', () => {
    const itemEnd = el(0xfffe, 0xe00d, new Uint8Array());
    const sequenceEnd = el(0xfffe, 0xe0dd, new Uint8Array());
    const study = el(0x0020, 0x000d, text('1.2.3\0'));
    const undefinedItem = (...elements: Uint8Array[]) => el(0xfffe, 0xe000, cat(...elements, itemEnd), UNDEFINED);
    const nested = el(0x0008, 0x1115, cat(undefinedItem(study), sequenceEnd), UNDEFINED);
    const items = parseUnSequence(cat(item(name), undefinedItem(nested)))!;
    expect(items).toHaveLength(2);
    expect(items[0]![0]).toMatchObject({ tag: tag(0x0010, 0x0010), vr: 'PN' });
    expect(elementText(items[0]![0]!)).toEqual(['Doe^Jane']);
    const seq = items[1]![0]!;
    expect(seq).toMatchObject({ tag: tag(0x0008, 0x1115), vr: 'SQ' });
    if (seq.value.kind === 'sequence') expect(elementText(seq.value.items[0]![0]!)).toEqual(['1.2.3']);
    // A defined-length value closed by a Sequence Delimitation Item is accepted.
    expect(parseUnSequence(cat(item(name), sequenceEnd))).toHaveLength(1);
  });

  it('gives undefined (the caller removes the value) for what is not a well-formed sequence, and for nesting past the cap', () => {
    expect(parseUnSequence(cat(el(0xfffe, 0xe000, text('Doe'), 200)))).toBeUndefined(); // item past the end
    expect(parseUnSequence(cat(item(name), text('Doe^Jane')))).toBeUndefined(); // trailing bytes, not an item
    expect(parseUnSequence(item(el(0x0010, 0x0010, text('Doe'), 50)))).toBeUndefined(); // value past the end
    expect(parseUnSequence(el(0xfffe, 0xe000, name, UNDEFINED))).toBeUndefined(); // no item delimiter
    /** `depth` private sequences (undefined length) nested in each other. */
    const nest = (depth: number) => {
      let inner = item(name);
      for (let i = 0; i < depth; i++) inner = item(el(0x0009, 0x1001, cat(inner, el(0xfffe, 0xe0dd, new Uint8Array())), UNDEFINED));
      return inner;
    };
    expect(parseUnSequence(nest(10))).toHaveLength(1);
    expect(parseUnSequence(nest(100))).toBeUndefined();
  });

  it('treats a value as a sequence when its VR is SQ or it starts with an Item tag', () => {
    expect(looksLikeSequence(item(name), 'UN')).toBe(true);
    expect(looksLikeSequence(text('Doe^Jane'), 'UN')).toBe(false);
    expect(looksLikeSequence(new Uint8Array(), 'SQ')).toBe(true);
  });
});
