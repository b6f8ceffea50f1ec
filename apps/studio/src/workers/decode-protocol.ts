import type { InputWindow } from '@cvf/core';
import type { DisplayParams, PixelArray } from '@cvf/medical';

/**
 * The messages between the viewer and its decode worker. Files are parsed and their frames
 * decoded off the main thread; pixels come back as transferred typed arrays, never copied twice.
 */

/** Who the image is about. Kept apart from everything else so the page shows it only on request. */
export interface PatientIdentity {
  readonly name: string;
  readonly id: string;
  readonly birthDate: string;
}

/** What the viewer knows of an opened file before decoding a frame: grouping keys and the display defaults. */
export interface OpenedImageInfo {
  readonly fileId: number;
  readonly fileName: string;
  readonly kind: 'dicom' | 'raster';
  /** Study/series/instance keys; raster images (PNG/JPEG) get one synthetic study and a series per file. */
  readonly studyUid: string;
  readonly seriesUid: string;
  /** The SOP Instance UID of a DICOM file that has one (for the audit trail, which stores only its salted hash). */
  readonly sopInstanceUid?: string;
  readonly studyDescription: string;
  readonly seriesDescription: string;
  readonly seriesNumber: number;
  readonly instanceNumber: number;
  readonly modality: string;
  readonly rows: number;
  readonly columns: number;
  readonly frames: number;
  /** 1 (grayscale, windowed on the Device) or 3 (RGB, shown as is); raster images keep their own count. */
  readonly samplesPerPixel: number;
  readonly photometric: string;
  readonly bitsStored: number;
  /** The data set's own display transform (rescale/Modality LUT, its window or VOI LUT, MONOCHROME1): grayscale DICOM only. */
  readonly display: DisplayParams | null;
  readonly patient: PatientIdentity;
  readonly warnings: readonly string[];
}

/** One decoded frame of stored values (grayscale) or interleaved samples (colour). */
export interface DecodedFrame {
  readonly fileId: number;
  readonly frame: number;
  readonly rows: number;
  readonly columns: number;
  readonly samplesPerPixel: number;
  readonly pixels: PixelArray;
}

export type DecodeRequest =
  | { readonly id: number; readonly type: 'open'; readonly fileName: string; readonly bytes: ArrayBuffer }
  | { readonly id: number; readonly type: 'frame'; readonly fileId: number; readonly frame: number }
  /** The display transform a model's `preprocess.window` gives this file's frame (what decodeInput applies). */
  | { readonly id: number; readonly type: 'model-display'; readonly fileId: number; readonly frame: number; readonly window: InputWindow | null };

export type DecodeResult = OpenedImageInfo | DecodedFrame | DisplayParams | null;

export type DecodeResponse =
  | { readonly id: number; readonly ok: true; readonly result: DecodeResult }
  | { readonly id: number; readonly ok: false; readonly error: { readonly name: string; readonly code: string; readonly message: string } };
