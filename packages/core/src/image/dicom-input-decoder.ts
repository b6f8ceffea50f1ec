import type { Device } from '../compute/device.js';
import type { DecodedInput } from './decoded-input.js';
import type { PipelineConfig } from '../config/schema.js';

/** The pipeline config's `preprocess.window`: the display window DICOM images are mapped through. */
export type InputWindow = PipelineConfig['preprocess']['window'];

export interface DicomInputOptions {
  /** Where the window runs and where a grayscale result stays. */
  readonly device: Device;
  /** Default: the file's window, else min–max. */
  readonly window?: InputWindow;
}

/**
 * How DICOM Part 10 bytes become a decoded input: parse → decode the first frame → Modality LUT or
 * rescale → the window (VOI LUT) on the window-level kernel → MONOCHROME1 inverted. A grayscale
 * frame stays on `device` as a DeviceImage [1, rows, columns] with range 'unit'; a colour one is
 * a host ImageTensor of its RGB samples. Implemented by @cvf/medical (`dicomInputDecoder`) and
 * injected, so the core never imports the DICOM stack.
 */
export interface DicomInputDecoder {
  decode(bytes: Uint8Array, options: DicomInputOptions): Promise<DecodedInput>;
  /**
   * The header fields a bundle's input contract checks, read without decoding pixels, so an
   * input the model is not meant for is refused before any work. Without it, only what the
   * decoded image shows (its size) is checked.
   */
  attributes?(bytes: Uint8Array): DicomInputAttributes;
}

/** Header fields of a DICOM input, as the input contract compares them. */
export interface DicomInputAttributes {
  readonly rows: number;
  readonly columns: number;
  readonly photometricInterpretation: string;
  readonly modality?: string | undefined;
  readonly bodyPart?: string | undefined;
  readonly bitsStored?: number | undefined;
}
