/** A DICOM attribute tag as one number: group in the high 16 bits, element in the low 16 (e.g. 0x00100010). */
export type DicomTag = number;

export function tag(group: number, element: number): DicomTag {
  return ((group & 0xffff) * 0x10000 + (element & 0xffff)) >>> 0;
}

export function tagGroup(t: DicomTag): number {
  return t >>> 16;
}

export function tagElement(t: DicomTag): number {
  return t & 0xffff;
}

/** `(GGGG,EEEE)` in upper-case hex, the way the standard and dcmdump print tags. */
export function formatTag(t: DicomTag): string {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  return `(${hex(tagGroup(t))},${hex(tagElement(t))})`;
}

/** Parses `(0010,0010)`, `00100010`, `0010,0010` or dicom-parser's `x00100010`. */
export function parseTag(text: string): DicomTag | undefined {
  const hex = text.replace(/^x/i, '').replace(/[(),\s]/g, '');
  if (!/^[0-9a-fA-F]{8}$/.test(hex)) return undefined;
  return Number.parseInt(hex, 16) >>> 0;
}

/** dicom-parser's key for a tag: `x` and eight lower-case hex digits. */
export function dicomParserKey(t: DicomTag): string {
  return `x${t.toString(16).padStart(8, '0')}`;
}

/** Private attributes live in odd groups (PS3.5 7.8.1); groups 0001, 0003, 0005, 0007 and FFFF are not private. */
export function isPrivateTag(t: DicomTag): boolean {
  const group = tagGroup(t);
  return group % 2 === 1 && group > 0x0008 && group !== 0xffff;
}

/** Private Creator elements reserve blocks of a private group: (gggg,0010)–(gggg,00FF). */
export function isPrivateCreator(t: DicomTag): boolean {
  const element = tagElement(t);
  return isPrivateTag(t) && element >= 0x0010 && element <= 0x00ff;
}

/** Group Length elements (gggg,0000). */
export function isGroupLength(t: DicomTag): boolean {
  return tagElement(t) === 0;
}

export const ITEM = tag(0xfffe, 0xe000);
export const ITEM_DELIMITATION = tag(0xfffe, 0xe00d);
export const SEQUENCE_DELIMITATION = tag(0xfffe, 0xe0dd);
export const PIXEL_DATA = tag(0x7fe0, 0x0010);
