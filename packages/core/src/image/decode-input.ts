import type { Device } from '../compute/device.js';
import { ImageError } from '../errors.js';
import { decodedInputSize, disposeDecodedInput, type DecodedInput } from './decoded-input.js';
import type { DicomInputDecoder, InputWindow } from './dicom-input-decoder.js';
import type { DecodeImageOptions, ImageDecoder } from './image-decoder.js';
import { contractMismatches, contractMismatchError, markContractMismatches, type ContractMismatch, type InputAttributes, type InputContractFields } from './input-contract.js';
import { parseMediaType, sniffMediaType, type InputMediaType } from './sniff-media-type.js';

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
  /**
   * The model's input contract (a bundle manifest's `input`): an input that differs in format,
   * modality, photometric interpretation, bits stored, body part or size is refused with
   * INPUT_CONTRACT_MISMATCH naming the field, what was expected and what was found.
   */
  readonly contract?: InputContractFields;
  /** Decode such an input anyway; what it did not meet stays with it (`inputContractMismatches`) and marks its prediction. */
  readonly allowContractMismatch?: boolean;
}

/**
 * The one way images enter CV Factory, in Node and in the browser: encoded bytes → the input
 * `preprocessImages` (and so `Predictor.predict`) takes. The type is `mediaType` when given (a
 * Content-Type), else sniffed from the bytes. PNG, JPEG and WebP decode through `decoder` to an
 * interleaved host ImageTensor; DICOM Part 10 through `dicom`, whose grayscale output stays on
 * `device`, windowed to 0..1 (see DicomInputDecoder). Other inputs are an ImageError
 * INPUT_UNSUPPORTED_MEDIA. Free a result with `disposeDecodedInput` once it is preprocessed.
 * With a `contract`, DICOM is checked on its header before its pixels are decoded, other images
 * on what they decode to.
 */
export async function decodeInput(bytes: Uint8Array, mediaType: string | undefined, options: DecodeInputOptions): Promise<DecodedInput> {
  const type = mediaType === undefined ? sniffMediaType(bytes) : parseMediaType(mediaType);
  const { contract } = options;
  if (type !== 'application/dicom') {
    const image = await options.decoder.decode(bytes, options.depth === undefined ? {} : { depth: options.depth });
    if (!contract) return image;
    const { height, width, channels } = decodedInputSize(image);
    const format = FORMATS[type];
    return checked(image, contractMismatches(contract, { format, height, width, photometricInterpretation: channels >= 3 ? 'RGB' : 'MONOCHROME2' }), options);
  }
  if (!options.dicom) {
    throw new ImageError('INPUT_UNSUPPORTED_MEDIA', 'application/dicom: no DICOM decoder was given (pass `dicom: dicomInputDecoder` from @cvf/medical); supported without one: image/png, image/jpeg, image/webp');
  }
  const header = contract && options.dicom.attributes ? options.dicom.attributes(bytes) : undefined;
  const before = header ? contractMismatches(contract!, dicomAttributes(header)) : [];
  if (before.length > 0 && !options.allowContractMismatch) throw contractMismatchError(before);
  const image = await options.dicom.decode(bytes, { device: options.device, ...(options.window && { window: options.window }) });
  if (!contract) return image;
  if (header) return checked(image, before, options);
  // A decoder that reads no header: the size is all the decoded image tells.
  const { height, width } = decodedInputSize(image);
  return checked(image, contractMismatches({ ...contract, modalities: [], photometricInterpretations: [], bodyParts: undefined }, { format: 'dicom', height, width, photometricInterpretation: '' }), options);
}

const FORMATS = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/webp': 'webp' } as const satisfies Record<Exclude<InputMediaType, 'application/dicom'>, string>;

function dicomAttributes(header: NonNullable<ReturnType<NonNullable<DicomInputDecoder['attributes']>>>): InputAttributes {
  const { rows, columns, ...fields } = header;
  return { format: 'dicom', height: rows, width: columns, ...fields };
}

/** The decoded input, marked with its mismatches when they are allowed; refused (and freed) when not. */
function checked(image: DecodedInput, mismatches: readonly ContractMismatch[], options: DecodeInputOptions): DecodedInput {
  if (mismatches.length === 0) return image;
  if (!options.allowContractMismatch) {
    disposeDecodedInput(image);
    throw contractMismatchError(mismatches);
  }
  markContractMismatches(image, mismatches);
  return image;
}
