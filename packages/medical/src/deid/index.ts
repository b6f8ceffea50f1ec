// De-identification: DICOM PS3.15 Annex E Basic Application Level Confidentiality Profile.
export { BASIC_PROFILE, profileAttribute, type ProfileAttribute } from './basic-profile.js';
export { deidentifyLabels, readLabelsToDeidentify, type DeidentifiedLabels, type LabelsToDeidentify } from './deidentify-labels.js';
export { DEIDENTIFICATION_METHOD, deidentifyDataset, deidentifyDicom, type DeidCounts, type DeidOptions, type DeidResult } from './deidentify.js';
export { elementTree, type ElementTree } from './element-tree.js';
export { resolveAction, type CombinedActionPolicy, type ProfileAction, type ResolvedAction } from './profile-action.js';
export { PatientPseudonyms } from './patient-pseudonym.js';
export { UidRemapper } from './uid-remapper.js';
