import { decodeInput, parseMediaType, sniffMediaType, type DecodedInput, type Device, type InputContractFields, type InputMediaType, type InputWindow } from '@cvf/core';
import { sharpImageDecoder } from '@cvf/core/node';
import { dicomInputDecoder, parseDicom, Tag } from '@cvf/medical';
import type { DicomDecodePool } from './dicom-decode-pool.js';
import { assertPixelBudget } from './pixel-guard.js';

/** An uploaded image ready for a model, with the SOP Instance UID of a DICOM one (for the inference log's hash only). */
export interface DecodedUpload {
  readonly input: DecodedInput;
  readonly media: InputMediaType;
  readonly sopInstanceUid: string | undefined;
}

export interface UploadDecodeOptions {
  readonly device: Device;
  /** The model's `preprocess.window`, for DICOM. */
  readonly window: InputWindow | undefined;
  /** The model's input contract (its manifest's `input`): an upload that does not meet it is INPUT_CONTRACT_MISMATCH (422). */
  readonly contract: InputContractFields;
  readonly maxPixels: number;
  /** Worker threads for DICOM; without them (or on a GPU device) DICOM is decoded on the event loop. */
  readonly dicomPool: DicomDecodePool | undefined;
}

/** Content types that say nothing about the bytes: the type is sniffed from them. */
const UNTYPED = new Set(['application/octet-stream', 'binary/octet-stream', '']);

/**
 * Encoded bytes → the input a model takes. The media type is the declared one (415 for a type
 * no decoder reads), sniffed when the declaration is generic. The header's pixel count is checked
 * against `maxPixels` before any pixel is decoded, then `decodeInput` checks the model's input
 * contract (DICOM on its header) and decodes, as `cvf predict` does.
 */
export async function decodeUpload(bytes: Uint8Array, declaredType: string | undefined, options: UploadDecodeOptions): Promise<DecodedUpload> {
  const essence = (declaredType ?? '').split(';')[0]!.trim().toLowerCase();
  const media = UNTYPED.has(essence) ? sniffMediaType(bytes) : parseMediaType(declaredType!);
  const { device, window, contract, maxPixels, dicomPool } = options;
  if (media === 'application/dicom' && dicomPool && device.backend === 'cpu') {
    return { ...(await dicomPool.decode(bytes, { window, contract, maxPixels })), media };
  }
  const decode = { device, decoder: sharpImageDecoder, dicom: dicomInputDecoder, contract, ...(window && { window }) };
  if (media === 'application/dicom') {
    // Parsing is cheap next to decoding: the header gives the pixel count and the UID first.
    const file = parseDicom(bytes);
    assertPixelBudget(bytes, media, maxPixels, file);
    return { input: await decodeInput(bytes, media, decode), media, sopInstanceUid: file.string(Tag.SOPInstanceUID) };
  }
  assertPixelBudget(bytes, media, maxPixels);
  return { input: await decodeInput(bytes, media, decode), media, sopInstanceUid: undefined };
}
