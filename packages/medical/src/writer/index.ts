// DICOM Part 10 writer over a simple element model, and Secondary Capture data sets for tests and image import.
export {
  bytesElement, elementText, findElement, fragmentsElement, numberElement, sequenceElement, textElement, withElement,
  type DataElement, type Dataset, type ElementValue,
} from './data-element.js';
export { dicomParserKey, formatTag, isGroupLength, isPrivateCreator, isPrivateTag, parseTag, tag, tagElement, tagGroup, PIXEL_DATA, type DicomTag } from './dicom-tag.js';
export { createCtImage, CT_IMAGE_STORAGE, type CtImageOptions } from './ct-image.js';
export { encodeDataset } from './encode-dataset.js';
export { createSecondaryCapture, lutItem, type SecondaryCaptureOptions, type SecondaryCapturePhotometric } from './secondary-capture.js';
export { isValidUid, randomUid, uidFromUuidBytes } from './uid.js';
export { hasLongLength, isTextVr, isVr, numberWidth, paddingByte, VRS, type Vr } from './value-representation.js';
export {
  CVF_IMPLEMENTATION_CLASS_UID, CVF_IMPLEMENTATION_VERSION_NAME, DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN, writeDicom, type WriteDicomOptions,
} from './write-dicom.js';
