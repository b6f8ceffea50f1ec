// @cvf/medical DICOM: parsing, pixel decoding, metadata. Isomorphic (no node:*); see ../node for file access.
export { CharacterSet } from './character-set.js';
export type { CodecFrame, CodecSamples, FrameCodec } from './codecs/codec-frame.js';
export { configureWasmCodecs, type WasmCodecOptions } from './codecs/wasm-codec-loader.js';
export { DEFAULT_MAX_SAMPLES, decodeFrames, type DecodeFramesOptions } from './decode-frames.js';
export type { DecodedImage, PixelArray } from './decoded-image.js';
export { DicomDataSet, type DicomElement, type PixelDataFragment } from './dicom-dataset.js';
export { DicomFile, type DicomFileMeta } from './dicom-file.js';
export { PIXEL_DECODERS, pixelDecoderFor, SUPPORTED_TRANSFER_SYNTAXES, type PixelDecoder } from './frame-decoders.js';
export { readModality, readRescale, readWindow, readWindows } from './image-metadata.js';
export { PHOTOMETRIC_INTERPRETATIONS, readImagePixelModule, type ImagePixelModule } from './image-pixel-module.js';
export { inspectDicom, type DicomInspectReport } from './inspect-report.js';
export { applyPaletteColorLut, readPaletteColorLut, type PaletteColorLut } from './palette-color.js';
export { MAX_SEQUENCE_DEPTH, parseDicom } from './parse-dicom.js';
export { pixelStatistics } from './pixel-statistics.js';
export { parserTag, Tag, tagFromParser, type TagName } from './tags.js';
export { isEncapsulated, isLossy, TransferSyntax, transferSyntaxName, type TransferSyntaxUID } from './transfer-syntax.js';
