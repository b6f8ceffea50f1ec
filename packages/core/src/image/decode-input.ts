import type { Device } from '../compute/device.js';
import { ImageError } from '../errors.js';
import type { DecodedInput } from './decoded-input.js';
import type { DicomInputDecoder, InputWindow } from './dicom-input-decoder.js';
import type { DecodeImageOptions, ImageDecoder } from './image-decoder.js';
import { parseMediaType, sniffMediaType } from './sniff-media-type.js';

export interface DecodeInputOptions {
  /** The Device preprocessing will run on: DICOM is windowed there, and stays there. */
  readonly device: Device;
  /** PNG, JPEG and WebP: sharp in Node (`sharpImageDecoder` of @cvf/core/node), `BrowserImageDecoder` in the browser. */
  readonly decoder: ImageDecoder;
  /** DICOM: `dicomInputDecoder` of @cvf/medical. Without it, DICOM input is INPUT_UNSUPPORTED_MEDIA. */
  readonly dicom?: DicomInputDecoder;
  /** The bundle's (or pipeline's) `preprocess.window`, for DICOM. */
  readonly window?: InputWindow;
  /** Bit depth of PNG/JPEG/WebP samples (see DecodeImageOptions). */
  readonly depth?: DecodeImageOptions['depth'];
}

/**
 * The one way images enter CV Factory, in Node and in the browser: encoded bytes → the input
 * `preprocessImages` (and so `Predictor.predict`) takes. The type is `mediaType` when given (a
 * Content-Type), else sniffed from the bytes. PNG, JPEG and WebP decode through `decoder` to an
 * interleaved host ImageTensor; DICOM Part 10 through `dicom`, whose grayscale output stays on
 * `device`, windowed to 0..1 (see DicomInputDecoder). Other inputs are an ImageError
 * INPUT_UNSUPPORTED_MEDIA. Free a result with `disposeDecodedInput` once it is preprocessed.
 */
export async function decodeInput(bytes: Uint8Array, mediaType: string | undefined, options: DecodeInputOptions): Promise<DecodedInput> {
  const type = mediaType === undefined ? sniffMediaType(bytes) : parseMediaType(mediaType);
  if (type !== 'application/dicom') return options.decoder.decode(bytes, options.depth === undefined ? {} : { depth: options.depth });
  if (!options.dicom) {
    throw new ImageError('INPUT_UNSUPPORTED_MEDIA', 'application/dicom: no DICOM decoder was given (pass `dicom: dicomInputDecoder` from @cvf/medical); supported without one: image/png, image/jpeg, image/webp');
  }
  return options.dicom.decode(bytes, { device: options.device, ...(options.window && { window: options.window }) });
}
