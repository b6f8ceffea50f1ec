// De-identification: DICOM PS3.15 Annex E Basic Application Level Confidentiality Profile.
export { BASIC_PROFILE, profileAttribute, type ProfileAttribute } from './basic-profile.js';
export { deidentifyLabels, readLabelsToDeidentify, type DeidentifiedLabels, type LabelsToDeidentify } from './deidentify-labels.js';
export { deidentifyDataset, deidentifyDicom, type DeidCounts, type DeidOptions, type DeidResult } from './deidentify.js';
export { cleanDescriptor, identifyingValues } from './clean-descriptor.js';
export { DateShifter, MAX_SHIFT_DAYS, shiftTemporalValue } from './date-shift.js';
export { BASIC_PROFILE_CODE, checkDeidOptions, DEID_OPTION_NAMES, DEID_OPTIONS, OPTION_ATTRIBUTES, optionAction, type DeidOptionName, type OptionAction } from './deid-options.js';
export { DEIDENTIFICATION_METHOD, methodAttributes } from './method-attributes.js';
export { elementTree, type ElementTree } from './element-tree.js';
export { resolveAction, type CombinedActionPolicy, type ProfileAction, type ResolvedAction } from './profile-action.js';
export { PatientPseudonyms } from './patient-pseudonym.js';
export { UidRemapper } from './uid-remapper.js';
