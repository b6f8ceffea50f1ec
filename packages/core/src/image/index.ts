export { BrowserImageDecoder } from './browser-image-decoder.js';
export { decodeInput, type DecodeInputOptions } from './decode-input.js';
export {
  decodedInputSize,
  deviceImage,
  disposeDecodedInput,
  isDeviceImage,
  readDecodedInput,
  type DecodedInput,
  type DeviceImage,
  type PixelRange,
} from './decoded-input.js';
export type { DicomInputAttributes, DicomInputDecoder, DicomInputOptions, InputWindow } from './dicom-input-decoder.js';
export { contractMismatches, inputContractMismatches, type ContractMismatch, type InputAttributes, type InputContractFields } from './input-contract.js';
export { encodePng } from './encode-png.js';
export { u16ToU8, type DecodeImageOptions, type ImageDecoder } from './image-decoder.js';
export { detectImageFormat, IMAGE_FORMATS, IMAGE_MIME_TYPES, readImageHeader, type ImageFormat, type ImageHeader } from './image-format.js';
export {
  colorChannels,
  fromPlanar,
  hasAlpha,
  IMAGE_DTYPES,
  imageSize,
  imageTensor,
  toPlanar,
  type ImageChannels,
  type ImageDType,
  type ImageSize,
  type ImageTensor,
  type ToPlanarOptions,
} from './image-tensor.js';
export { preprocessImage, preprocessImages, type PreprocessConfig } from './preprocess-image.js';
export { resizeNearest, resizeNearestOnDevice, type ResizeNearestOptions } from './resize-nearest.js';
export { rgbaToChannels } from './rgba-to-channels.js';
export { INPUT_MEDIA_TYPES, parseMediaType, sniffMediaType, type InputMediaType } from './sniff-media-type.js';
