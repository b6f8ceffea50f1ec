import { DicomError } from '@cvf/core';
import type { DicomDataSet } from './dicom-dataset.js';
import { Tag } from './tags.js';

/** One fragment of encapsulated Pixel Data; `itemOffset` counts from the first fragment's item tag. */
interface Fragment {
  readonly itemOffset: number;
  readonly bytes: Uint8Array;
}

/**
 * The compressed frames of encapsulated Pixel Data (PS3.5 A.4), located with the Extended Offset
 * Table, else the Basic Offset Table, else — when the latter is empty — one frame per fragment,
 * all fragments as one frame, or fragments grouped where a codestream starts (JPEG SOI, J2K SOC).
 */
export class EncapsulatedFrames {
  private readonly fragments: Fragment[];
  private readonly basicOffsetTable: number[];
  private extended: readonly number[] | null | undefined;
  private groups: Fragment[][] | undefined;

  constructor(
    private readonly dataSet: DicomDataSet,
    private readonly numberOfFrames: number,
  ) {
    const element = dataSet.element(Tag.PixelData);
    const value = dataSet.bytes(Tag.PixelData);
    if (!element || !value) throw new DicomError('DICOM_NO_PIXEL_DATA', 'the data set has no Pixel Data (7FE0,0010)');
    const items = readItems(value);
    if (items.length === 0) throw new DicomError('DICOM_MALFORMED', 'encapsulated Pixel Data has no items (not even the Basic Offset Table)');
    const [table, ...fragments] = items;
    this.basicOffsetTable = readOffsets(table!.bytes, 4);
    this.fragments = fragments;
    if (fragments.length === 0) throw new DicomError('DICOM_MALFORMED', 'encapsulated Pixel Data has a Basic Offset Table but no fragments');
    // Every frame starts a fragment of its own (PS3.5 A.4).
    if (fragments.length < numberOfFrames) throw malformed(`Number of Frames is ${numberOfFrames}, but there are only ${fragments.length} fragments`);
  }

  /** The codestream of frame `index` (0-based); a view when it is one fragment, else a copy. */
  frame(index: number): Uint8Array {
    const parts = this.frameFragments(index);
    if (parts.length === 1) return parts[0]!.bytes;
    const out = new Uint8Array(parts.reduce((n, f) => n + f.bytes.length, 0));
    let o = 0;
    for (const f of parts) {
      out.set(f.bytes, o);
      o += f.bytes.length;
    }
    return out;
  }

  /**
   * Fragments of frame `index`. Fragments are in item-offset order, so a frame's fragments are
   * found by binary search (never a scan of the whole list per frame, which made N frames cost N²).
   */
  private frameFragments(index: number): readonly Fragment[] {
    const frames = this.numberOfFrames;
    const extended = this.extendedOffsets();
    if (extended) {
      const offset = extended[index]!;
      const at = this.lowerBound(offset);
      if (this.fragments[at]?.itemOffset !== offset) throw malformed(`the Extended Offset Table's offset ${offset} for frame ${index + 1} is not where a fragment starts`);
      return [this.fragments[at]!];
    }
    if (this.basicOffsetTable.length > 0) {
      if (this.basicOffsetTable.length !== frames) {
        throw malformed(`the Basic Offset Table lists ${this.basicOffsetTable.length} frames, but Number of Frames is ${frames}`);
      }
      const start = this.basicOffsetTable[index]!;
      const end = index + 1 < frames ? this.basicOffsetTable[index + 1]! : Number.POSITIVE_INFINITY;
      const from = this.lowerBound(start);
      const to = Math.max(from, this.lowerBound(end));
      if (to === from || this.fragments[from]!.itemOffset !== start) throw malformed(`the Basic Offset Table's offset ${start} for frame ${index + 1} is not where a fragment starts`);
      return this.fragments.slice(from, to);
    }
    if (frames === 1) return this.fragments;
    if (this.fragments.length === frames) return [this.fragments[index]!];
    this.groups ??= groupByCodestreamStart(this.fragments);
    if (this.groups.length !== frames) {
      throw malformed(`${this.fragments.length} fragments without an offset table cannot be split into ${frames} frames (found ${this.groups.length} codestream starts)`);
    }
    return this.groups[index]!;
  }

  /** The Extended Offset Table's offsets, read once; undefined when absent or too short for every frame. */
  private extendedOffsets(): readonly number[] | undefined {
    if (this.extended === undefined) {
      const bytes = this.dataSet.bytes(Tag.ExtendedOffsetTable);
      this.extended = bytes && bytes.length >= this.numberOfFrames * 8 ? readOffsets(bytes, 8) : null;
    }
    return this.extended ?? undefined;
  }

  /** Index of the first fragment whose item offset is ≥ `offset` (fragments.length when none). */
  private lowerBound(offset: number): number {
    let lo = 0;
    let hi = this.fragments.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.fragments[mid]!.itemOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function malformed(message: string): DicomError {
  return new DicomError('DICOM_MALFORMED', `encapsulated Pixel Data: ${message}`);
}

/** Items (FFFE,E000) of an encapsulated value, up to the Sequence Delimitation Item or the end. */
function readItems(value: Uint8Array): Fragment[] {
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const items: Fragment[] = [];
  let firstFragmentStart = -1;
  let p = 0;
  while (p + 8 <= value.length) {
    const group = view.getUint16(p, true);
    const element = view.getUint16(p + 2, true);
    const length = view.getUint32(p + 4, true);
    if (group !== 0xfffe) throw malformed(`expected an item tag (FFFE,E000) at byte ${p} of the value, found (${hex(group)},${hex(element)})`);
    if (element === 0xe0dd) break;
    if (element !== 0xe000) throw malformed(`expected an item tag (FFFE,E000) at byte ${p} of the value, found (FFFE,${hex(element)})`);
    if (length === 0xffffffff) throw malformed(`item at byte ${p} has an undefined length, which fragments may not have`);
    if (p + 8 + length > value.length) {
      throw new DicomError('DICOM_TRUNCATED', `encapsulated Pixel Data is truncated: the item at byte ${p} declares ${length} bytes, ${value.length - p - 8} remain`);
    }
    if (items.length === 1) firstFragmentStart = p;
    items.push({ itemOffset: items.length === 0 ? 0 : p - firstFragmentStart, bytes: value.subarray(p + 8, p + 8 + length) });
    p += 8 + length;
  }
  return items;
}

function readOffsets(bytes: Uint8Array, size: 4 | 8): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let o = 0; o + size <= bytes.length; o += size) out.push(size === 4 ? view.getUint32(o, true) : Number(view.getBigUint64(o, true)));
  return out;
}

/** Groups fragments into frames, a new frame at each fragment that starts a JPEG, JPEG-LS or JPEG 2000 codestream. */
function groupByCodestreamStart(fragments: readonly Fragment[]): Fragment[][] {
  const groups: Fragment[][] = [];
  for (const f of fragments) {
    const b = f.bytes;
    const starts = (b[0] === 0xff && (b[1] === 0xd8 || b[1] === 0x4f)) || (b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 0x0c && b[4] === 0x6a && b[5] === 0x50);
    if (starts || groups.length === 0) groups.push([f]);
    else groups[groups.length - 1]!.push(f);
  }
  return groups;
}

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}
