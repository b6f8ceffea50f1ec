import { CvfError, DeidError, DicomError, FileError } from '@cvf/core';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { readRegularFile } from '@cvf/core/node';
import { DateShifter } from '../deid/date-shift.js';
import { checkDeidOptions, type DeidOptionName } from '../deid/deid-options.js';
import { deidentifyDicom, type DeidCounts, type DeidOptions } from '../deid/deidentify.js';
import { deidentifyLabels, readLabelsToDeidentify } from '../deid/deidentify-labels.js';
import { PatientPseudonyms } from '../deid/patient-pseudonym.js';
import { UidRemapper } from '../deid/uid-remapper.js';
import type { DicomFile } from '../dicom/dicom-file.js';
import { parseDicom } from '../dicom/parse-dicom.js';
import { Tag } from '../dicom/tags.js';
import { readOrCreateDeidKey, writeReidentificationMap } from './deid-secret-files.js';

export interface DeidPathOptions extends Omit<DeidOptions, 'remapper' | 'pseudonyms' | 'dateShifter'> {
  /**
   * A file holding the key of the UID mapping and the pseudonyms (created 0600 with a random key
   * when absent); the same file gives the same UIDs and pseudonyms in every run. Not with `secret`.
   * Never inside the output folder.
   */
  readonly keyFile?: string;
  /** Where to write the re-identification map (original → new UIDs and Patient IDs, 0600). Never inside the output folder. */
  readonly mapFile?: string;
  /** A labels CSV keyed by UIDs (or patientId) to rewrite to the new identifiers, and where to write it. */
  readonly labels?: { readonly input: string; readonly output: string };
  /**
   * How a folder's files are named in the output: `mirror` (default) keeps the input's folders and
   * file names; `uids` writes <new StudyInstanceUID>/<new SeriesInstanceUID>/<new SOPInstanceUID>.dcm,
   * for trees whose folder or file names hold names or IDs.
   */
  readonly layout?: 'mirror' | 'uids';
  /** Called after each file, for progress. */
  readonly onFile?: (done: number, path: string) => void;
}

/** The path of a de-identified file under the `uids` layout: its own new UIDs, nothing of the input's names. */
function uidPath(file: DicomFile): string {
  const study = file.string(Tag.StudyInstanceUID) ?? 'no-study-uid';
  const series = file.string(Tag.SeriesInstanceUID) ?? 'no-series-uid';
  const sop = file.string(Tag.SOPInstanceUID) ?? file.string(Tag.MediaStorageSOPInstanceUID) ?? 'no-sop-instance-uid';
  return join(study, series, `${sop}.dcm`);
}

export interface DeidWritten {
  readonly input: string;
  readonly output: string;
  readonly transferSyntaxUID: string;
  readonly counts: DeidCounts;
}

export interface DeidPathReport {
  readonly input: string;
  readonly output: string;
  /** Files de-identified and written. */
  readonly written: DeidWritten[];
  /** Files that are not DICOM Part 10 (or not regular files), left out. */
  readonly skipped: { readonly path: string; readonly reason: string }[];
  /** DICOM files that could not be de-identified (truncated, malformed, unwritable), left out. */
  readonly failed: { readonly path: string; readonly code: string; readonly message: string }[];
  /** The PS3.15 options applied on top of the Basic Profile, in table order. */
  readonly options: readonly DeidOptionName[];
  /** The key file used, and whether this run created it. */
  keyFile?: { readonly path: string; readonly created: boolean; readonly readableByOthers: boolean };
  /** The re-identification map written. */
  map?: { readonly path: string; readonly uids: number; readonly patientIds: number };
  /** The labels file rewritten to the new identifiers. */
  labels?: { readonly input: string; readonly output: string; readonly rows: number; readonly columns: readonly string[]; readonly unmatched: number };
}

function inside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

/** Every regular file under `dir`, sorted, as paths relative to `dir`; other entries reported. */
async function walk(dir: string, prefix = ''): Promise<{ files: string[]; others: string[] }> {
  const files: string[] = [];
  const others: string[] = [];
  const entries = (await readdir(join(dir, prefix), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(prefix, entry.name);
    if (entry.isDirectory()) {
      const inner = await walk(dir, path);
      files.push(...inner.files);
      others.push(...inner.others);
    } else if (entry.isFile()) files.push(path);
    else others.push(path);
  }
  return { files, others };
}

/**
 * De-identifies a DICOM file, or every DICOM file of a folder into a mirror of its structure (Node
 * only). One UID remapper and one set of Patient ID pseudonyms serve the whole run, keyed by the
 * key file, the secret or a random key, so the files of a study keep consistent UIDs and the files
 * of a patient one pseudonym. A labels CSV is rewritten to the new identifiers, and the
 * re-identification map written, after the files; neither the key file nor the map may lie inside
 * an output folder.
 * In a folder, files that are not DICOM Part 10 are skipped and reported, and DICOM files that
 * fail are reported and not written. A single file input goes to a file path or into an existing
 * folder, and its failure is thrown (DicomError, DeidError, FileError).
 */
export async function deidPath(input: string, output: string, options: DeidPathOptions = {}): Promise<DeidPathReport> {
  const source = resolve(input);
  const target = resolve(output);
  const info = await statOrUndefined(source);
  if (!info) throw new FileError(`cannot read "${input}": no such file or folder`);
  if (options.layout !== undefined && options.layout !== 'mirror' && options.layout !== 'uids') {
    throw new DeidError('DEID_INVALID_OPTIONS', `layout "${String(options.layout)}" is not one of mirror, uids`);
  }
  if (options.policy !== undefined && options.policy !== 'conformant' && options.policy !== 'minimal') {
    throw new DeidError('DEID_INVALID_OPTIONS', `policy "${String(options.policy)}" is not one of conformant, minimal`);
  }
  if (options.keyFile !== undefined && options.secret !== undefined) {
    throw new DeidError('DEID_INVALID_OPTIONS', 'both a secret and a key file were given; give one of them (the key file keeps the secret out of the shell history)');
  }
  if (info.isDirectory()) {
    // The key and the map re-identify the data: they must not travel with it.
    for (const [what, path] of [['key file', options.keyFile], ['re-identification map', options.mapFile]] as const) {
      if (path !== undefined && inside(resolve(path), target)) {
        throw new DeidError('DEID_INVALID_OPTIONS', `the ${what} "${path}" is inside the output folder "${output}", which is meant to be shared; keep it outside (e.g. "${join(dirname(target), basename(path))}")`);
      }
    }
  }
  if (options.labels && resolve(options.labels.output) === resolve(options.labels.input)) {
    throw new DeidError('DEID_INVALID_OPTIONS', `the labels output "${options.labels.output}" is the labels input; write the rewritten labels to another file`);
  }
  const labelsToRewrite = options.labels === undefined ? undefined : readLabelsToDeidentify(new TextDecoder().decode(await readRegularFile(options.labels.input, { what: 'labels CSV' })), options.labels.input);
  const key = options.keyFile === undefined ? undefined : await readOrCreateDeidKey(options.keyFile);
  const secret = key?.secret ?? options.secret ?? globalThis.crypto.getRandomValues(new Uint8Array(32));
  const remapper = await UidRemapper.create(secret);
  const pseudonyms = await PatientPseudonyms.create(secret);
  // One date shifter per run, like the remapper: a patient's files all move by the same days.
  const dateShifter = await DateShifter.create(secret);
  const profileOptions = checkDeidOptions(options.profileOptions);
  const deidOptions: DeidOptions = { ...options, profileOptions, secret, remapper, pseudonyms, dateShifter };
  const report: DeidPathReport = { input: source, output: target, written: [], skipped: [], failed: [], options: profileOptions };
  if (key) report.keyFile = { path: resolve(options.keyFile!), created: key.created, readableByOthers: key.readableByOthers };

  let jobs: { from: string; to: string }[];
  if (info.isDirectory()) {
    if (inside(target, source)) throw new DeidError('DEID_INVALID_OPTIONS', `the output folder "${output}" is inside the input folder "${input}"; choose a folder outside it`);
    const { files, others } = await walk(source);
    for (const other of others) report.skipped.push({ path: join(source, other), reason: 'not a regular file' });
    jobs = files.map((file) => ({ from: join(source, file), to: join(target, file) }));
  } else {
    const intoFolder = (await statOrUndefined(target))?.isDirectory() === true;
    const to = intoFolder ? join(target, basename(source)) : target;
    if (to === source && intoFolder) {
      throw new DeidError(
        'DEID_INVALID_OPTIONS',
        `the output "${output}" is an existing folder that holds the input file "${basename(source)}", which would be overwritten; ` +
          `for a single input file give an output file path (e.g. "${join(output, `${basename(source, extname(source))}-deid${extname(source)}`)}"), ` +
          'or pass a folder as input to write a folder',
      );
    }
    if (to === source) throw new DeidError('DEID_INVALID_OPTIONS', `the output "${output}" is the input file; write the de-identified copy elsewhere`);
    jobs = [{ from: source, to }];
  }

  let done = 0;
  const byUids = options.layout === 'uids' && info.isDirectory();
  for (const job of jobs) {
    const { from } = job;
    try {
      const result = await deidentifyDicom(await readRegularFile(from, { what: 'DICOM file' }), deidOptions);
      const to = byUids ? join(target, uidPath(parseDicom(result.bytes))) : job.to;
      await mkdir(dirname(to), { recursive: true });
      await writeFile(to, result.bytes);
      report.written.push({ input: from, output: to, transferSyntaxUID: result.outputTransferSyntaxUID, counts: result.counts });
    } catch (error) {
      if (!info.isDirectory()) throw error;
      if (error instanceof DicomError && error.code === 'DICOM_NOT_DICOM') report.skipped.push({ path: from, reason: error.message });
      else if (error instanceof CvfError) report.failed.push({ path: from, code: error.code, message: error.message });
      else throw error;
    }
    options.onFile?.(++done, from);
  }
  if (options.labels && labelsToRewrite) {
    // What the files held, before the labels add their own identifiers to the mappings.
    const seen = { uids: new Set(remapper.mapping.keys()), patientIds: new Set(pseudonyms.mapping.keys()) };
    const labels = await deidentifyLabels(labelsToRewrite, { remapper, pseudonyms, seen });
    await mkdir(dirname(resolve(options.labels.output)), { recursive: true });
    await writeFile(options.labels.output, labels.text);
    report.labels = { input: resolve(options.labels.input), output: resolve(options.labels.output), rows: labels.rows, columns: labels.columns, unmatched: labels.unmatched };
  }
  if (options.mapFile !== undefined) report.map = { path: resolve(options.mapFile), ...(await writeReidentificationMap(options.mapFile, remapper, pseudonyms)) };
  return report;
}
