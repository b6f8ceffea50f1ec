import type { ByteStream, DataSet, Element } from 'dicom-parser';
import { dicomParser } from './dicom-parser-module.js';

/**
 * VRs with a 4-byte length in explicit VR (PS3.5 7.1.2). dicom-parser's own list predates OV, SV
 * and UV (2019), so it misreads, for one, the Extended Offset Table (7FE0,0001) OV of multi-frame
 * images; the top level of the data set is therefore walked here.
 */
const LONG_LENGTH_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const UNDEFINED_LENGTH = 0xffffffff;

/**
 * Parses an explicit-VR data set's top-level elements from the stream's position to `maxPosition`
 * into `dataSet.elements`, handing sequences, encapsulated Pixel Data and undefined-length
 * elements to dicom-parser's readers (so items inside sequences follow dicom-parser's rules).
 */
export function parseExplicitDataSet(dataSet: DataSet, stream: ByteStream, maxPosition: number): void {
  while (stream.position < maxPosition) {
    const element = readElement(stream, dataSet.warnings);
    dataSet.elements[element.tag] = element;
  }
  if (stream.position > maxPosition) throw 'dicomParser:parseDicomDataSetExplicit: buffer overrun';
}

function readElement(stream: ByteStream, warnings: string[]): Element {
  const group = stream.readUint16();
  const number = stream.readUint16();
  const tag = `x${hex(group)}${hex(number)}`;
  const vr = stream.readFixedString(2);
  let length: number;
  if (LONG_LENGTH_VRS.has(vr)) {
    stream.seek(2);
    length = stream.readUint32();
  } else length = stream.readUint16();
  const element: Element = { tag, vr, length, dataOffset: stream.position };
  if (length === UNDEFINED_LENGTH) element.hadUndefinedLength = true;
  if (vr === 'SQ') {
    dicomParser.readSequenceItemsExplicit(stream, element, warnings);
  } else if (length === UNDEFINED_LENGTH) {
    if (tag === 'x7fe00010') dicomParser.findEndOfEncapsulatedElement(stream, element, warnings);
    // An undefined-length UN is a sequence in implicit VR (CP-246).
    else if (vr === 'UN') dicomParser.readSequenceItemsImplicit(stream, element);
    else dicomParser.findItemDelimitationItemAndSetElementLength(stream, element);
  } else {
    stream.seek(length);
  }
  return element;
}

function hex(n: number): string {
  return n.toString(16).padStart(4, '0');
}
