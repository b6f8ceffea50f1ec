import { DeidError } from '@cvf/core';
import { parseDicom } from '../dicom/parse-dicom.js';
import { elementText, sequenceElement, textElement, type DataElement, type Dataset } from '../writer/data-element.js';
import type { Vr } from '../writer/value-representation.js';
import { isGroupLength, isPrivateTag, PIXEL_DATA, tag, tagGroup } from '../writer/dicom-tag.js';
import { DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN, writeDicom } from '../writer/write-dicom.js';
import { profileAttribute } from './basic-profile.js';
import { cleanDescriptor, identifyingValues } from './clean-descriptor.js';
import { DateShifter, shiftTemporalValue } from './date-shift.js';
import { checkDeidOptions, optionAction, type DeidOptionName, type OptionAction } from './deid-options.js';
import { methodAttributes } from './method-attributes.js';
import { dummyElement, emptyElement } from './dummy-value.js';
import { elementTree, knownVr } from './element-tree.js';
import { resolveAction, type CombinedActionPolicy } from './profile-action.js';
import { PatientPseudonyms } from './patient-pseudonym.js';
import { UidRemapper } from './uid-remapper.js';
import { looksLikeSequence, parseUnSequence } from './un-sequence.js';

export interface DeidOptions {
  /**
   * Replaces UIDs. Share one across the files of a run so a study's UIDs map consistently; made
   * from `secret` (or a random key) when not given.
   */
  readonly remapper?: UidRemapper;
  /**
   * Replaces Patient ID (0010,0020), at every depth, with a keyed pseudonym. Share one across the
   * files of a run, like the remapper; made from `secret` (or a random key) when not given.
   */
  readonly pseudonyms?: PatientPseudonyms;
  /** Key of the UID mapping and the pseudonyms when they are not given: the same secret gives the same new UIDs and pseudonyms. */
  readonly secret?: string | Uint8Array;
  /**
   * Keep private attributes (odd groups). Default false: removed, as the profile says. Kept private
   * sequences (UN-encoded ones included) still have the profile applied to every item.
   */
  readonly keepPrivate?: boolean;
  /** How combined actions (X/Z/D, ...) are resolved; see CombinedActionPolicy. Default 'conformant'. */
  readonly policy?: CombinedActionPolicy;
  /** PS3.15 options applied on top of the Basic Profile (see DEID_OPTIONS), each recorded in the Method Code Sequence. */
  readonly profileOptions?: readonly DeidOptionName[];
  /** Date shifts of retain-dates-shifted; share one across a run like the remapper. Made from `secret` when not given. */
  readonly dateShifter?: DateShifter;
}

/** What de-identification did, by action, counted over every level of nesting. */
export interface DeidCounts {
  removed: number;
  emptied: number;
  replaced: number;
  uidsReplaced: number;
  privateRemoved: number;
}

export interface DeidResult {
  readonly bytes: Uint8Array;
  readonly inputTransferSyntaxUID: string;
  readonly outputTransferSyntaxUID: string;
  readonly counts: DeidCounts;
}


interface Context {
  readonly remapper: UidRemapper;
  readonly pseudonyms: PatientPseudonyms;
  readonly keepPrivate: boolean;
  readonly policy: CombinedActionPolicy;
  readonly counts: DeidCounts;
  readonly profileOptions: readonly DeidOptionName[];
  /** The patient's date shift in days, under retain-dates-shifted. */
  readonly shiftDays: number;
  /** The data set's identifying values, under clean-descriptors. */
  readonly identifying: readonly string[];
}

async function remapUids(element: DataElement, ctx: Context): Promise<DataElement> {
  const values = await Promise.all(elementText(element).map((uid) => ctx.remapper.remap(uid)));
  ctx.counts.uidsReplaced += values.filter((v) => v !== '').length;
  return textElement(element.tag, 'UI', ...values);
}

const PATIENT_ID = tag(0x0010, 0x0020);

async function pseudonymize(element: DataElement, ctx: Context): Promise<DataElement> {
  const values = await Promise.all(elementText(element).map((id) => ctx.pseudonyms.pseudonym(id)));
  ctx.counts.replaced++;
  return textElement(element.tag, 'LO', ...values);
}

async function deidentifyItems(dataset: Dataset, ctx: Context): Promise<Dataset> {
  const out: DataElement[] = [];
  for (const element of dataset) {
    const result = await deidentifyElement(element, ctx);
    if (result) out.push(result);
  }
  return out;
}

/** Keeps an element; a sequence keeps its items, each de-identified in turn. */
async function keep(element: DataElement, ctx: Context): Promise<DataElement> {
  if (element.value.kind !== 'sequence') return element;
  const items = await Promise.all(element.value.items.map((item) => deidentifyItems(item, ctx)));
  return sequenceElement(element.tag, items);
}

/**
 * A UN value that holds a sequence, as that sequence (read as implicit VR little endian) so the
 * profile reaches inside it; undefined when it cannot be parsed: such a value is removed, not kept,
 * since what it holds cannot be checked. Other values are returned as they are.
 */
function unSequence(element: DataElement, hex: string): DataElement | undefined {
  if (element.vr !== 'UN' || element.value.kind !== 'bytes') return element;
  const known = knownVr(hex);
  if (!looksLikeSequence(element.value.bytes, known)) return element;
  if (element.value.bytes.length === 0) return sequenceElement(element.tag, []);
  const items = parseUnSequence(element.value.bytes);
  return items ? sequenceElement(element.tag, items) : undefined;
}

async function deidentifyElement(original: DataElement, ctx: Context): Promise<DataElement | undefined> {
  const { tag: t } = original;
  // File Meta Information is rebuilt by the writer; group lengths would be stale.
  if (tagGroup(t) <= 0x0002 || isGroupLength(t)) return undefined;
  const privateTag = isPrivateTag(t);
  if (privateTag && !ctx.keepPrivate) {
    ctx.counts.privateRemoved++;
    return undefined;
  }
  const hex = t.toString(16).toUpperCase().padStart(8, '0');
  const element = unSequence(original, hex);
  if (!element) {
    if (privateTag) ctx.counts.privateRemoved++;
    else ctx.counts.removed++;
    return undefined;
  }
  // Kept private attributes are not in the profile, but the items of their sequences are checked like any other.
  if (privateTag) return keep(element, ctx);
  // The profile empties Patient ID; a keyed pseudonym keeps a patient's files together (patient-level splits).
  if (t === PATIENT_ID && element.value.kind !== 'sequence') return pseudonymize(element, ctx);
  const attribute = profileAttribute(hex);
  if (!attribute) return keep(element, ctx);
  const isSequence = element.value.kind === 'sequence' || attribute.vr === 'SQ';
  const vr = element.vr === 'UN' ? attribute.vr : element.vr;
  const option = optionAction(attribute.tag, ctx.profileOptions);
  if (option) return applyOption(option, element, vr, ctx);
  switch (resolveAction(attribute.action, ctx.policy, isSequence)) {
    case 'X':
      ctx.counts.removed++;
      return undefined;
    case 'Z':
      ctx.counts.emptied++;
      return emptyElement(t, isSequence ? 'SQ' : vr);
    case 'D':
    case 'C':
      // Clean (C) needs knowledge of each value's meaning; a dummy is the safe replacement.
      ctx.counts.replaced++;
      return vr === 'UI' ? remapUids(element, ctx) : dummyElement(t, isSequence ? 'SQ' : vr);
    case 'U':
      return remapUids(element, ctx);
    case 'U*':
      // A sequence of references: kept, with every UID inside replaced by its own row (U).
      if (element.value.kind === 'sequence') return keep(element, ctx);
      ctx.counts.removed++;
      return undefined;
    case 'K':
      return keep(element, ctx);
  }
}

/** An option's action in place of the profile's: kept, dates shifted by the patient's offset, or text cleaned. */
function applyOption(action: OptionAction, element: DataElement, vr: string, ctx: Context): Promise<DataElement> | DataElement {
  if (action === 'K' || element.value.kind === 'sequence') return keep(element, ctx);
  ctx.counts.replaced++;
  const values = elementText(element);
  const changed = action === 'shift' ? values.map((v) => shiftTemporalValue(v, vr, ctx.shiftDays)) : values.map((v) => cleanDescriptor(v, ctx.identifying));
  return textElement(element.tag, vr as Vr, ...changed);
}

/** Patient ID of the top level of a data set ('' when absent): the key of its date shift. */
function patientIdOf(dataset: Dataset): string {
  const element = dataset.find((e) => e.tag === PATIENT_ID);
  return element ? (elementText(element)[0] ?? '') : '';
}

/** The profile applied to a data set (no File Meta Information), with the de-identification attributes added. */
export async function deidentifyDataset(dataset: Dataset, options: DeidOptions = {}): Promise<{ dataset: Dataset; counts: DeidCounts }> {
  const policy = options.policy ?? 'conformant';
  if (policy !== 'conformant' && policy !== 'minimal') throw new DeidError('DEID_INVALID_OPTIONS', `policy "${String(policy)}" is not one of conformant, minimal`);
  const secret = options.secret ?? globalThis.crypto.getRandomValues(new Uint8Array(32));
  const remapper = options.remapper ?? (await UidRemapper.create(secret));
  const pseudonyms = options.pseudonyms ?? (await PatientPseudonyms.create(secret));
  const profileOptions = checkDeidOptions(options.profileOptions);
  const shifter = profileOptions.includes('retain-dates-shifted') ? (options.dateShifter ?? (await DateShifter.create(secret))) : undefined;
  const shiftDays = shifter ? await shifter.offsetDays(patientIdOf(dataset)) : 0;
  const identifying = profileOptions.includes('clean-descriptors') ? identifyingValues(dataset) : [];
  const counts: DeidCounts = { removed: 0, emptied: 0, replaced: 0, uidsReplaced: 0, privateRemoved: 0 };
  const cleaned = await deidentifyItems(dataset, { remapper, pseudonyms, keepPrivate: options.keepPrivate === true, policy, counts, profileOptions, shiftDays, identifying });
  const added = methodAttributes(profileOptions);
  const addedTags = new Set(added.map((e) => e.tag));
  return { dataset: [...cleaned.filter((e) => !addedTags.has(e.tag)), ...added], counts };
}

/**
 * The output's transfer syntax: encapsulated Pixel Data stays in its syntax; otherwise the data
 * set keeps its VR encoding, little endian (deflated stays deflated).
 */
function outputSyntax(input: string, explicitVr: boolean, dataset: Dataset): string {
  if (dataset.some((e) => e.tag === PIXEL_DATA && e.value.kind === 'fragments')) return input;
  if (!explicitVr) return IMPLICIT_VR_LITTLE_ENDIAN;
  return input === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN ? input : EXPLICIT_VR_LITTLE_ENDIAN;
}

/**
 * De-identifies one DICOM Part 10 file with the Basic Application Level Confidentiality Profile
 * (PS3.15 Annex E): every attribute of Table E.1-1 removed, emptied, replaced with a dummy or, for
 * UIDs, remapped; Patient ID replaced with a keyed pseudonym; private attributes removed unless kept; Patient Identity Removed = YES and the
 * De-identification Method added. Pixel Data is copied byte for byte (a big-endian file is
 * rewritten little endian, its values unchanged). Encapsulated Pixel Data keeps its transfer
 * syntax; otherwise Implicit VR stays implicit, Deflated stays deflated, and the other native
 * syntaxes (Explicit VR Big Endian included) become Explicit VR Little Endian.
 */
export async function deidentifyDicom(input: Uint8Array, options: DeidOptions = {}): Promise<DeidResult> {
  const file = parseDicom(input);
  const tree = elementTree(file);
  const secret = options.secret ?? globalThis.crypto.getRandomValues(new Uint8Array(32));
  const remapper = options.remapper ?? (await UidRemapper.create(secret));
  const { dataset, counts } = await deidentifyDataset(tree.dataset, { ...options, secret, remapper });
  const outputTransferSyntaxUID = outputSyntax(tree.transferSyntaxUID, tree.explicitVr, dataset);
  // Files whose data set lacks SOP Class/Instance UID keep those of their File Meta Information.
  const { mediaStorageSOPClassUID, mediaStorageSOPInstanceUID } = file.meta;
  const retainUids = options.profileOptions?.includes('retain-uids') === true;
  const metaInstance = mediaStorageSOPInstanceUID && !retainUids ? await remapper.remap(mediaStorageSOPInstanceUID) : mediaStorageSOPInstanceUID;
  let bytes: Uint8Array;
  try {
    bytes = writeDicom(dataset, {
      transferSyntaxUID: outputTransferSyntaxUID,
      ...(mediaStorageSOPClassUID ? { mediaStorageSOPClassUID } : {}),
      ...(metaInstance ? { mediaStorageSOPInstanceUID: metaInstance } : {}),
    });
  } catch (error) {
    throw new DeidError('DEID_FAILED', `the de-identified data set cannot be written: ${(error as Error).message}`, { cause: error });
  }
  return { bytes, inputTransferSyntaxUID: tree.transferSyntaxUID, outputTransferSyntaxUID, counts };
}

