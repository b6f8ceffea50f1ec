// Display pipeline: stored DICOM pixel values → display values in [0, 1] (Modality LUT, VOI LUT, MONOCHROME1).
export { deriveDisplayParams, VOI_LUT_FUNCTIONS, type DisplayOptions, type DisplayParams, type ModalityTransform, type VoiTransform } from './display-params.js';
export { DisplayTag, type DisplayTagSource } from './display-tag-source.js';
export { frameTensor, type DecodedFrames, type FramePixels } from './frame-tensor.js';
export { applyLut, readLut, type Lut } from './lut.js';
export { presetNames, WINDOW_PRESETS, windowPreset, type WindowPreset } from './presets.js';
export { toDisplay } from './to-display.js';
