import { BASIC_PROFILE, profileAttribute } from '../deid/basic-profile.js';
import { Tag } from '../dicom/tags.js';
import { dictionaryVR } from '../dicom/value-representation.js';

/**
 * Keywords and VRs (PS3.6) of attributes a dump meets beyond those CV Factory reads (Tag) and those
 * the confidentiality profile lists: image geometry, and the structure of SR, RT and waveform objects.
 */
const MORE: Readonly<Record<string, readonly [keyword: string, vr: string]>> = {
  '00020000': ['FileMetaInformationGroupLength', 'UL'],
  '00020016': ['SourceApplicationEntityTitle', 'AE'],
  '00080070': ['Manufacturer', 'LO'],
  '00080100': ['CodeValue', 'SH'],
  '00080102': ['CodingSchemeDesignator', 'SH'],
  '00080104': ['CodeMeaning', 'LO'],
  '00081090': ['ManufacturerModelName', 'LO'],
  '00081115': ['ReferencedSeriesSequence', 'SQ'],
  '00081150': ['ReferencedSOPClassUID', 'UI'],
  '00081199': ['ReferencedSOPSequence', 'SQ'],
  '00120062': ['PatientIdentityRemoved', 'CS'],
  '00120063': ['DeidentificationMethod', 'LO'],
  '00120064': ['DeidentificationMethodCodeSequence', 'SQ'],
  '00180015': ['BodyPartExamined', 'CS'],
  '00180050': ['SliceThickness', 'DS'],
  '00180060': ['KVP', 'DS'],
  '00181210': ['ConvolutionKernel', 'SH'],
  '00185100': ['PatientPosition', 'CS'],
  '00200011': ['SeriesNumber', 'IS'],
  '00200020': ['PatientOrientation', 'CS'],
  '00200032': ['ImagePositionPatient', 'DS'],
  '00200037': ['ImageOrientationPatient', 'DS'],
  '00201041': ['SliceLocation', 'DS'],
  '00280030': ['PixelSpacing', 'DS'],
  '003A0005': ['NumberOfWaveformChannels', 'US'],
  '003A0010': ['NumberOfWaveformSamples', 'UL'],
  '003A001A': ['SamplingFrequency', 'DS'],
  '003A0200': ['ChannelDefinitionSequence', 'SQ'],
  '0040A010': ['RelationshipType', 'CS'],
  '0040A040': ['ValueType', 'CS'],
  '0040A043': ['ConceptNameCodeSequence', 'SQ'],
  '0040A050': ['ContinuityOfContent', 'CS'],
  '0040A168': ['ConceptCodeSequence', 'SQ'],
  '0040A360': ['PredecessorDocumentsSequence', 'SQ'],
  '0040A372': ['PerformedProcedureCodeSequence', 'SQ'],
  '0040A491': ['CompletionFlag', 'CS'],
  '0040A493': ['VerificationFlag', 'CS'],
  '0040B020': ['WaveformAnnotationSequence', 'SQ'],
  '30060002': ['StructureSetLabel', 'SH'],
  '30060010': ['ReferencedFrameOfReferenceSequence', 'SQ'],
  '30060020': ['StructureSetROISequence', 'SQ'],
  '30060022': ['ROINumber', 'IS'],
  '30060026': ['ROIName', 'LO'],
  '30060039': ['ROIContourSequence', 'SQ'],
  '30060080': ['RTROIObservationsSequence', 'SQ'],
  '300A0002': ['RTPlanLabel', 'SH'],
  '300A000C': ['RTPlanGeometry', 'CS'],
  '300A0010': ['DoseReferenceSequence', 'SQ'],
  '300A0070': ['FractionGroupSequence', 'SQ'],
  '300A00B0': ['BeamSequence', 'SQ'],
  '300A00C2': ['BeamName', 'LO'],
  '300A0180': ['PatientSetupSequence', 'SQ'],
  '300C0002': ['ReferencedRTPlanSequence', 'SQ'],
  '300C0060': ['ReferencedStructureSetSequence', 'SQ'],
  '54000100': ['WaveformSequence', 'SQ'],
  '54001004': ['WaveformBitsAllocated', 'US'],
  '54001006': ['WaveformSampleInterpretation', 'CS'],
  '54001010': ['WaveformData', 'OW'],
};

const TAG_KEYWORDS: ReadonlyMap<string, string> = new Map(Object.entries(Tag).map(([keyword, tag]) => [tag as string, keyword]));

/** A keyword from the profile's attribute name: "Patient's Name" → PatientName, as PS3.6 spells keywords. */
function keywordOf(name: string): string {
  return name.replace(/'s\b/g, '').replace(/[^A-Za-z0-9]/g, '');
}

/** The keyword of a tag (GGGGEEEE, upper case), or '' when CV Factory's short dictionary lacks it. */
export function tagKeyword(tag: string): string {
  if (tag.endsWith('0000')) return tag === '00020000' ? MORE[tag]![0] : 'GroupLength';
  const profile = profileAttribute(tag);
  return TAG_KEYWORDS.get(tag) ?? MORE[tag]?.[0] ?? (profile ? keywordOf(profile.name) : '');
}

/** The dictionary VR of a tag, for implicit-VR data sets; undefined when unknown. */
export function tagVr(tag: string): string | undefined {
  return dictionaryVR(tag) ?? MORE[tag]?.[1] ?? profileAttribute(tag)?.vr;
}

let keywordTags: ReadonlyMap<string, string> | undefined;

/** The tag (GGGGEEEE) of a PS3.6 keyword the short dictionary knows (the inverse of tagKeyword), or undefined. */
export function tagOfKeyword(keyword: string): string | undefined {
  keywordTags ??= new Map([
    ...BASIC_PROFILE.filter((attribute) => !attribute.tag.includes('x')).map((attribute) => [keywordOf(attribute.name), attribute.tag] as const),
    ...Object.entries(MORE).map(([tag, [name]]) => [name, tag] as const),
    ...Object.entries(Tag).map(([name, tag]) => [name, tag as string] as const),
  ]);
  return keywordTags.get(keyword);
}
