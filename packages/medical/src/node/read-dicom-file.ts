import { readRegularFile, type ReadRegularFileOptions } from '@cvf/core/node';
import type { DicomFile } from '../dicom/dicom-file.js';
import { parseDicom } from '../dicom/parse-dicom.js';

/**
 * Reads and parses a DICOM Part 10 file from disk (Node only), only a regular file of a bounded
 * size (see readRegularFile): a missing or unreadable file is FILE_UNREADABLE, a device, FIFO or
 * folder FILE_NOT_REGULAR, an oversize file FILE_TOO_LARGE; what parseDicom rejects is a DicomError.
 */
export async function readDicomFile(path: string, options: Omit<ReadRegularFileOptions, 'what'> = {}): Promise<DicomFile> {
  return parseDicom(await readRegularFile(path, { ...options, what: 'DICOM file' }));
}
