import { DisplayParamsError, Tensor } from '@cvf/core';

/** A decoded frame's typed array, as the DICOM decoder gives it (its type follows Bits Allocated and Pixel Representation). */
export type FramePixels = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** What `frameTensor` needs of a decoded image (DecodedImage of ../dicom fits it). */
export interface DecodedFrames {
  readonly rows: number;
  readonly columns: number;
  readonly samplesPerPixel: number;
  readonly data: readonly FramePixels[];
}

/**
 * One grayscale frame as a [rows, columns] Tensor of stored values, in a dtype the compute kernels
 * take: u8, u16, i16, i32 and f32 as they are; i8 widened to i16; u32 to i32 when it fits, else
 * f32; f64 to f32.
 */
export function frameTensor(image: DecodedFrames, index = 0): Tensor {
  const { rows, columns, samplesPerPixel, data } = image;
  if (samplesPerPixel !== 1) throw new DisplayParamsError(`frameTensor takes grayscale frames; this image has ${samplesPerPixel} samples per pixel`);
  const pixels = data[index];
  if (!pixels) throw new DisplayParamsError(`frame ${index} does not exist; the image has ${data.length} decoded frame(s) (valid: 0..${data.length - 1})`);
  const shape = [rows, columns];
  if (pixels instanceof Uint8Array || pixels instanceof Uint16Array || pixels instanceof Int16Array || pixels instanceof Int32Array || pixels instanceof Float32Array) {
    return Tensor.fromArray(pixels, shape);
  }
  // Tensor.cpu takes only arrays of its own dtypes as they are: the others are converted here.
  if (pixels instanceof Int8Array) return Tensor.cpu('i16', shape, Int16Array.from(pixels));
  // u32 below 2^31 is the same bits as i32 (a view, exact); above, f32 (exact up to 2^24, then 24 significant bits).
  if (pixels instanceof Uint32Array && pixels.every((v) => v <= 0x7fffffff)) return Tensor.cpu('i32', shape, new Int32Array(pixels.buffer, pixels.byteOffset, pixels.length));
  return Tensor.cpu('f32', shape, Float32Array.from(pixels));
}
