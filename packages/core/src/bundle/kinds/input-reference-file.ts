import { BundleError } from '../../errors.js';
import type { InputReference } from '../../monitor/input-drift/input-reference.js';
import { decodeTensorArchive, encodeTensorArchive, type ArchiveTensor } from '../../train/tensor-archive.js';

const ARCHIVE_KIND = 'cvf-input-reference';

/** The input detector's reference as a tensor archive: per-image means, spreads, sizes, and the pooled histogram. */
export function encodeInputReference(reference: InputReference): Uint8Array {
  const { count, bins } = reference;
  const tensors: ArchiveTensor[] = [
    { name: 'means', shape: [count], data: reference.means },
    { name: 'stds', shape: [count], data: reference.stds },
    { name: 'widths', shape: [count], data: reference.widths },
    { name: 'heights', shape: [count], data: reference.heights },
    { name: 'histogram', shape: [bins], data: Float32Array.from(reference.histogram) },
  ];
  return encodeTensorArchive(ARCHIVE_KIND, null, tensors);
}

export function decodeInputReference(bytes: Uint8Array, file: string, params: { count: number; bins: number }): InputReference {
  let tensors: Map<string, ArchiveTensor>;
  try {
    tensors = decodeTensorArchive(bytes, ARCHIVE_KIND).tensors;
  } catch (cause) {
    throw new BundleError('BUNDLE_INVALID', `bundle file "${file}": ${(cause as Error).message}`, { cause });
  }
  const tensor = (name: string, length: number): Float32Array => {
    const data = tensors.get(name)?.data;
    if (!data || data.length !== length) throw new BundleError('BUNDLE_INVALID', `bundle file "${file}" lacks "${name}" of ${length} values`);
    return data;
  };
  const { count, bins } = params;
  return {
    count,
    bins,
    means: tensor('means', count),
    stds: tensor('stds', count),
    widths: tensor('widths', count),
    heights: tensor('heights', count),
    histogram: Float64Array.from(tensor('histogram', bins)),
  };
}
