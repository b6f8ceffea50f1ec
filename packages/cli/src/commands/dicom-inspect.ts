import { CvfError } from '@cvf/core';
import { readRegularFile } from '@cvf/core/node';
import {
  dumpTags, formatTagDump, inspectDicom, parseDicom, parseDicomForced, readDicomIdentity, summarizeDicomObject, transferSyntaxName,
  type DicomFile, type DicomIdentity, type DicomInspectReport, type DicomObjectSummary, type TagDumpEntry,
} from '@cvf/medical';
import type { Command } from 'commander';
import { EXIT, printJson, runAction } from '../output.js';

interface InspectOptions {
  json?: boolean;
  tags?: boolean;
  phi?: boolean;
  force?: boolean;
}

/** An image: what decoding found. Any other object (SR, RT, ECG, ...): what it is and what it holds. */
type ObjectReport =
  | (DicomInspectReport & Pick<DicomObjectSummary, 'sopClassUID' | 'sopClass'>)
  | ({ transferSyntaxUID: string; pixel: null } & Omit<DicomObjectSummary, 'hasPixelData'>);

type InspectReport = ObjectReport & { assumptions?: readonly string[]; identity?: DicomIdentity; tags?: TagDumpEntry[] };

/** Parses as Part 10, or as pydicom's force=True does with --force; a file without the preamble says --force reads it. */
function parse(bytes: Uint8Array, force: boolean): { file: DicomFile; assumptions: readonly string[] } {
  if (force) return parseDicomForced(bytes);
  try {
    return { file: parseDicom(bytes), assumptions: [] };
  } catch (error) {
    if (error instanceof CvfError && error.code === 'DICOM_NOT_DICOM' && bytes.length >= 8) {
      throw new CvfError(
        error.code,
        'not a DICOM Part 10 file: no "DICM" prefix at byte 128; if it is a data set without the preamble and File Meta Information (as some archives write), --force reads it as pydicom\'s force=True does',
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * `cvf dicom inspect FILE [--tags] [--phi] [--force] [--json]`: for an image, decodes every frame
 * and prints its encoding, geometry, Modality/VOI attributes and stored-value range; for an object
 * without pixels (SR, RT plan or structure set, ECG waveform, ...), its SOP Class, title, content
 * sequences and waveforms. --tags adds every element, sequences nested; patient and study values
 * (and private ones) are printed only with --phi. A missing, non-DICOM, truncated or malformed
 * file, or pixels that cannot be decoded, exit 2 with `{"error":{"code","message"}}` (with --json).
 */
export function registerDicomInspect(dicom: Command): void {
  dicom
    .command('inspect')
    .description('describe a DICOM file: an image (transfer syntax, geometry, rescale, window, pixel range) or any other object (SR, RT, ECG)')
    .argument('<file>', 'DICOM file')
    .option('--tags', 'also dump every element, sequences nested (patient/study values hidden unless --phi)')
    .option('--phi', 'show patient, study and series identity (names, IDs, dates, UIDs) and, with --tags, their values')
    .option('--force', "read a file without the 128-byte preamble and File Meta Information, guessing its transfer syntax (as pydicom's force=True)")
    .option('--json', 'print one JSON object (or {"error":{"code","message"}}) on stdout')
    .action((path: string, options: InspectOptions) => {
      const json = options.json === true;
      return runAction(
        json,
        async () => {
          const { file, assumptions } = parse(await readRegularFile(path, { what: 'DICOM file' }), options.force === true);
          const { hasPixelData, ...summary } = summarizeDicomObject(file);
          const object: ObjectReport = hasPixelData
            ? { ...(await inspectDicom(file)), sopClassUID: summary.sopClassUID, sopClass: summary.sopClass }
            : { transferSyntaxUID: file.transferSyntaxUID, ...summary, pixel: null };
          const report: InspectReport = {
            ...object,
            ...(assumptions.length > 0 && { assumptions }),
            ...(options.phi && { identity: readDicomIdentity(file) }),
            ...(options.tags && { tags: dumpTags(file, { phi: options.phi === true }) }),
          };
          if (json) printJson(report);
          else {
            for (const assumption of assumptions) process.stderr.write(`note: ${assumption}\n`);
            process.stdout.write(formatReport(path, report));
          }
          return EXIT.ok;
        },
        EXIT.badInput,
      );
    });
}

function formatReport(file: string, r: InspectReport): string {
  const lines: [string, string][] = [
    ['file', file],
    ['transfer syntax', `${r.transferSyntaxUID} (${transferSyntaxName(r.transferSyntaxUID)})`],
    ['sop class', r.sopClassUID === null ? '(none)' : `${r.sopClassUID}${r.sopClass ? ` (${r.sopClass})` : ''}`],
    ['modality', r.modality ?? '(none)'],
  ];
  if ('rows' in r) {
    lines.push(
      ['size', `${r.columns} × ${r.rows}, ${r.frames} frame(s), ${r.samplesPerPixel} sample(s) per pixel`],
      ['bits', `${r.bitsStored} stored of ${r.bitsAllocated} allocated, ${r.pixelRepresentation === 1 ? 'signed' : 'unsigned'}`],
      ['photometric', r.photometricInterpretation],
      ['rescale', `slope ${r.rescale.slope}, intercept ${r.rescale.intercept}`],
      ['window', r.window ? `center ${r.window.center}, width ${r.window.width}` : '(none)'],
      ['pixel', `min ${r.pixel.min}, max ${r.pixel.max}, mean ${round(r.pixel.mean)}`],
    );
  } else {
    lines.push(['pixel data', 'none (not an image)']);
    if (r.title !== null) lines.push(['title', r.title]);
    lines.push(['sequences', r.sequences.length === 0 ? '(none)' : r.sequences.map((s) => `${s.keyword || s.tag} ${s.items} item(s)`).join(', ')]);
    for (const w of r.waveforms) lines.push(['waveform', `${w.channels} channel(s) × ${w.samples} sample(s)${w.frequency === null ? '' : ` at ${w.frequency} Hz`}`]);
  }
  if (r.identity) {
    const { patient, study, series, sopInstanceUID } = r.identity;
    const show = (fields: Record<string, string | null>) => Object.entries(fields).map(([k, v]) => `${k} ${v ?? '-'}`).join(', ');
    lines.push(['patient', show(patient)], ['study', show(study)], ['series', show(series)], ['instance', sopInstanceUID ?? '-']);
  }
  const width = Math.max(...lines.map(([k]) => k.length));
  const text = lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  if (r.tags) text.push('', ...formatTagDump(r.tags));
  return `${text.join('\n')}\n`;
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}
