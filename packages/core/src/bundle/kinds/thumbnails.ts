import * as z from 'zod';
import type { Device } from '../../compute/device.js';
import type { Sample } from '../../data/dataset.js';
import { BundleError } from '../../errors.js';
import { bundlePathSchema } from '../bundle-path.js';
import { savedStage, type SavedStage, type StageFiles } from '../stage-kind.js';
import { decodeThumbnails, encodeThumbnails, THUMBNAIL_SIZE, type Thumbnails } from '../thumbnails.js';

/** Small 8-bit pictures of the indexed cases, in case order, so viewers can show similar cases. */
export const thumbnailsStageSchema = z.strictObject({
  kind: z.literal('thumbnails'),
  params: z.strictObject({ size: z.int().positive().describe('side of the square thumbnails, in pixels') }),
  files: z.strictObject({ thumbnails: bundlePathSchema }),
});
export type ThumbnailsStage = z.output<typeof thumbnailsStageSchema>;

/** Thumbnails of the cases, decoded again (DICOM windows on `device`, then read back: thumbnails are host pixels). */
export async function saveThumbnailsStage(cases: readonly Sample[], device: Device): Promise<SavedStage<ThumbnailsStage>> {
  return savedStage({ kind: 'thumbnails', params: { size: THUMBNAIL_SIZE }, files: { thumbnails: 'thumbnails.bin' } }, { thumbnails: await encodeThumbnails(cases, device) });
}

export async function loadThumbnailsStage(stage: ThumbnailsStage, files: StageFiles<ThumbnailsStage>): Promise<Thumbnails> {
  try {
    return await decodeThumbnails(files.thumbnails);
  } catch (cause) {
    // A damaged gzip stream throws zlib's own error: say which bundle file it is.
    if (cause instanceof BundleError) throw cause;
    throw new BundleError('BUNDLE_INVALID', `bundle file "${stage.files.thumbnails}" is not gzip'd thumbnails: ${(cause as Error).message}`, { cause });
  }
}
