import { FileError } from '@cvf/core';
import { readFile } from 'node:fs/promises';
import type { DicomFile } from '../dicom/dicom-file.js';
import { parseDicom } from '../dicom/parse-dicom.js';

/**
 * Reads and parses a DICOM Part 10 file from disk (Node only). A missing or unreadable file is a
 * FileError (FILE_UNREADABLE); what parseDicom rejects is a DicomError.
 */
export async function readDicomFile(path: string): Promise<DicomFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new FileError(`cannot read DICOM file "${path}": ${reason}`, { cause: error });
  }
  return parseDicom(bytes);
}
