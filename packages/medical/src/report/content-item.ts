import { DicomWriteError } from '@cvf/core';
import { sequenceElement, textElement, type DataElement, type Dataset } from '../writer/data-element.js';
import { tag } from '../writer/dicom-tag.js';
import { codeItem, type CodedConcept } from './coded-concept.js';

// SR content items (PS3.3 C.17.3): one data set per node of the content tree, each with its
// relationship to the parent, its value type, its concept name and its value.

export type RelationshipType = 'CONTAINS' | 'HAS OBS CONTEXT' | 'HAS CONCEPT MOD' | 'HAS PROPERTIES' | 'INFERRED FROM';

export const SR_TAGS = {
  relationshipType: tag(0x0040, 0xa010),
  valueType: tag(0x0040, 0xa040),
  continuityOfContent: tag(0x0040, 0xa050),
  conceptNameCodeSequence: tag(0x0040, 0xa043),
  conceptCodeSequence: tag(0x0040, 0xa168),
  textValue: tag(0x0040, 0xa160),
  uid: tag(0x0040, 0xa124),
  measuredValueSequence: tag(0x0040, 0xa300),
  numericValue: tag(0x0040, 0xa30a),
  measurementUnitsCodeSequence: tag(0x0040, 0x08ea),
  contentSequence: tag(0x0040, 0xa730),
  referencedSopSequence: tag(0x0008, 0x1199),
  referencedSopClassUid: tag(0x0008, 0x1150),
  referencedSopInstanceUid: tag(0x0008, 0x1155),
  referencedFrameNumber: tag(0x0008, 0x1160),
} as const;

function node(relationship: RelationshipType, valueType: string, concept: CodedConcept | undefined, value: readonly DataElement[]): Dataset {
  return [
    textElement(SR_TAGS.relationshipType, 'CS', relationship),
    textElement(SR_TAGS.valueType, 'CS', valueType),
    ...(concept ? [sequenceElement(SR_TAGS.conceptNameCodeSequence, [codeItem(concept)])] : []),
    ...value,
  ];
}

/** The Concept Name Code Sequence, Continuity of Content and Content Sequence of a container (the root's too). */
export function containerBody(concept: CodedConcept, children: readonly Dataset[]): DataElement[] {
  return [
    textElement(SR_TAGS.valueType, 'CS', 'CONTAINER'),
    sequenceElement(SR_TAGS.conceptNameCodeSequence, [codeItem(concept)]),
    textElement(SR_TAGS.continuityOfContent, 'CS', 'SEPARATE'),
    sequenceElement(SR_TAGS.contentSequence, children),
  ];
}

export function containerItem(relationship: RelationshipType, concept: CodedConcept, children: readonly Dataset[]): Dataset {
  return [textElement(SR_TAGS.relationshipType, 'CS', relationship), ...containerBody(concept, children)];
}

export function codeContentItem(relationship: RelationshipType, concept: CodedConcept, value: CodedConcept, children: readonly Dataset[] = []): Dataset {
  return node(relationship, 'CODE', concept, [
    sequenceElement(SR_TAGS.conceptCodeSequence, [codeItem(value)]),
    ...(children.length ? [sequenceElement(SR_TAGS.contentSequence, children)] : []),
  ]);
}

/** TEXT is UT: unlimited, but an SR text value is one statement, not a document. */
export function textContentItem(relationship: RelationshipType, concept: CodedConcept, value: string): Dataset {
  return node(relationship, 'TEXT', concept, [textElement(SR_TAGS.textValue, 'UT', value)]);
}

export function uidContentItem(relationship: RelationshipType, concept: CodedConcept, uid: string): Dataset {
  return node(relationship, 'UIDREF', concept, [textElement(SR_TAGS.uid, 'UI', uid)]);
}

/** A decimal string (DS) of at most 16 characters that keeps as many digits as fit. */
export function decimalString(value: number): string {
  if (!Number.isFinite(value)) throw new DicomWriteError(`a numeric SR value must be finite, got ${value}`);
  for (let digits = 15; digits > 0; digits--) {
    const text = String(Number(value.toPrecision(digits)));
    if (text.length <= 16) return text;
  }
  return value.toExponential(8);
}

export function numContentItem(relationship: RelationshipType, concept: CodedConcept, value: number, unit: CodedConcept): Dataset {
  return node(relationship, 'NUM', concept, [
    sequenceElement(SR_TAGS.measuredValueSequence, [[sequenceElement(SR_TAGS.measurementUnitsCodeSequence, [codeItem(unit)]), textElement(SR_TAGS.numericValue, 'DS', decimalString(value))]]),
  ]);
}

/** A Referenced SOP Sequence item: class, instance, and the frame of a multi-frame image. */
export function referencedSopItem(image: { sopClassUID: string; sopInstanceUID: string; frame?: number }): Dataset {
  return [
    textElement(SR_TAGS.referencedSopClassUid, 'UI', image.sopClassUID),
    textElement(SR_TAGS.referencedSopInstanceUid, 'UI', image.sopInstanceUID),
    ...(image.frame === undefined ? [] : [textElement(SR_TAGS.referencedFrameNumber, 'IS', String(image.frame))]),
  ];
}

/** A reference to an image; the concept name says what the image is for (optional for IMAGE items). */
export function imageContentItem(relationship: RelationshipType, image: { sopClassUID: string; sopInstanceUID: string; frame?: number }, concept?: CodedConcept): Dataset {
  return node(relationship, 'IMAGE', concept, [sequenceElement(SR_TAGS.referencedSopSequence, [referencedSopItem(image)])]);
}
