import type { DataSet } from 'dicom-parser';
import { DicomDataSet } from './dicom-dataset.js';
import { Tag } from './tags.js';

/** File Meta Information (group 0002) of a Part 10 file. */
export interface DicomFileMeta {
  readonly transferSyntaxUID: string;
  readonly mediaStorageSOPClassUID: string | undefined;
  readonly mediaStorageSOPInstanceUID: string | undefined;
  readonly implementationClassUID: string | undefined;
  readonly implementationVersionName: string | undefined;
}

/**
 * A parsed DICOM Part 10 file: its top-level data set (File Meta Information included, so every
 * getter of `DicomDataSet` works on it), the transfer syntax, and what the parser warned about.
 */
export class DicomFile extends DicomDataSet {
  private fileMeta: DicomFileMeta | undefined;

  constructor(
    /** The bytes as given to `parseDicom` (for deflated files, `byteArray` is the inflated copy). */
    readonly fileBytes: Uint8Array,
    parsed: DataSet,
    readonly transferSyntaxUID: string,
    littleEndian: boolean,
    /** Non-fatal problems the parser met (odd lengths, undefined-length oddities, …). */
    readonly warnings: readonly string[],
  ) {
    super(parsed, littleEndian);
  }

  /** File Meta Information, read on first use. */
  get meta(): DicomFileMeta {
    this.fileMeta ??= {
      transferSyntaxUID: this.transferSyntaxUID,
      mediaStorageSOPClassUID: this.string(Tag.MediaStorageSOPClassUID),
      mediaStorageSOPInstanceUID: this.string(Tag.MediaStorageSOPInstanceUID),
      implementationClassUID: this.string(Tag.ImplementationClassUID),
      implementationVersionName: this.string(Tag.ImplementationVersionName),
    };
    return this.fileMeta;
  }
}
