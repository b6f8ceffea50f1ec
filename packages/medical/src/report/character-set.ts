import { textElement, type DataElement, type Dataset } from '../writer/data-element.js';
import { tag } from '../writer/dicom-tag.js';

const SPECIFIC_CHARACTER_SET = tag(0x0008, 0x0005);

function hasNonAscii(dataset: Dataset): boolean {
  return dataset.some(({ value }) => {
    if (value.kind === 'text') return value.values.some((v) => /[^\x20-\x7e\r\n\t\f\x1b]/.test(v));
    if (value.kind === 'sequence') return value.items.some(hasNonAscii);
    return false;
  });
}

/**
 * The data set with the Specific Character Set its text needs: none (the default repertoire) when
 * every value is ASCII, else ISO_IR 192 (the writer encodes text as UTF-8). Leaving it out where it
 * is not needed keeps the object readable by every PACS and checker.
 */
export function withCharacterSet(dataset: Dataset): DataElement[] {
  const rest = dataset.filter((e) => e.tag !== SPECIFIC_CHARACTER_SET);
  return hasNonAscii(rest) ? [textElement(SPECIFIC_CHARACTER_SET, 'CS', 'ISO_IR 192'), ...rest] : rest;
}
