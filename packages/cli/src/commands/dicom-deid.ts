import { DEID_OPTION_NAMES, DEID_OPTIONS, type CombinedActionPolicy, type DeidOptionName } from '@cvf/medical';
import { deidPath, type DeidPathReport } from '@cvf/medical/node';
import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EXIT, printJson, runAction } from '../output.js';
import { collectOption } from './serve-options.js';

interface DeidCommandOptions {
  json?: boolean;
  secret?: string;
  keyFile?: string;
  uidMap?: string;
  labels?: string;
  labelsOut?: string;
  keepPrivate?: boolean;
  policy?: string;
  layout?: string;
  option?: string[];
}

/** Where rewritten labels go by default: into the output folder (they hold no identifiers any more), else beside the output file. */
async function defaultLabelsOutput(labels: string, input: string, output: string): Promise<string> {
  const intoFolder = await stat(input).then((s) => s.isDirectory() || undefined, () => undefined) ?? (await stat(output).then((s) => s.isDirectory(), () => false));
  return intoFolder ? join(output, basename(labels)) : join(dirname(output), `deid-${basename(labels)}`);
}

/**
 * `cvf dicom deid IN OUT [--key-file F | --secret S] [--uid-map F] [--labels CSV [--labels-out CSV]] [--layout mirror|uids] [--keep-private] [--policy conformant|minimal] [--option NAME]… [--json]`:
 * de-identifies a DICOM file, or a folder into a mirror of it, with the PS3.15 Basic Application
 * Level Confidentiality Profile; Patient ID becomes a keyed pseudonym. UIDs and pseudonyms share one
 * key for the whole run (--key-file, else --secret, else $CVF_DEID_SECRET, else random), so a study
 * stays consistent and, with the same key, every run agrees. --uid-map writes the re-identification
 * map; --labels rewrites a labels CSV to the new UIDs. --option adds PS3.15 options (dates shifted
 * per patient, device identity, clean descriptors, …), each recorded in (0012,0064). Exit 0 when every DICOM file was written
 * (non-DICOM files are skipped and listed), 1 when some DICOM file failed, 2 for bad input
 * (missing input, a single file that is not DICOM, bad options) with `{"error":{"code","message"}}`.
 */
export function registerDicomDeid(dicom: Command): void {
  dicom
    .command('deid')
    .description('de-identify a DICOM file or folder (DICOM PS3.15 Basic Application Level Confidentiality Profile, Patient ID pseudonymised)')
    .argument('<in>', 'DICOM file, or folder of files')
    .argument('<out>', 'output file or folder (a folder input is mirrored into it)')
    .option('--key-file <file>', 'file holding the key of the new UIDs and Patient ID pseudonyms (created, owner-only, when missing); keep it, never inside <out>: the same file gives the same UIDs and pseudonyms in every run')
    .option('--secret <secret>', 'the key given inline instead of --key-file (default $CVF_DEID_SECRET, else random per run)')
    .option('--uid-map <file>', 'write the re-identification map (original → new UIDs and Patient IDs, CSV, owner-only) here; keep it, never inside <out>')
    .option('--labels <csv>', 'a labels CSV keyed by sopInstanceUID, seriesInstanceUID, studyInstanceUID or patientId, rewritten to the new identifiers')
    .option('--labels-out <csv>', 'where the rewritten labels go (default: <out>/<name of the labels file>)')
    .option('--layout <layout>', 'names in an output folder: mirror keeps the input\'s folders and file names, uids names them by the new UIDs (study/series/instance.dcm) when names hold IDs', 'mirror')
    .option('--keep-private', 'keep private attributes (removed by default)')
    .option('--policy <policy>', 'combined actions (X/Z/D, ...): conformant keeps IODs valid, minimal removes the most', 'conformant')
    .option('--option <name>', `a PS3.15 option on top of the Basic Profile, repeatable: ${DEID_OPTION_NAMES.map((n) => `${n} (${DEID_OPTIONS[n].code})`).join(', ')}; retain-dates-shifted moves every date of a patient back by one offset derived from the key`, collectOption)
    .option('--json', 'print the report (written, skipped, failed, key file, map, labels) or {"error":{"code","message"}} as JSON on stdout')
    .action((input: string, output: string, options: DeidCommandOptions) => {
      const json = options.json === true;
      return runAction(
        json,
        async () => {
          const secret = options.keyFile === undefined ? (options.secret ?? process.env.CVF_DEID_SECRET) : options.secret;
          const labels = options.labels === undefined ? undefined : { input: options.labels, output: options.labelsOut ?? (await defaultLabelsOutput(options.labels, input, output)) };
          const report = await deidPath(input, output, {
            ...(secret === undefined ? {} : { secret }),
            ...(options.keyFile === undefined ? {} : { keyFile: options.keyFile }),
            ...(options.uidMap === undefined ? {} : { mapFile: options.uidMap }),
            ...(labels === undefined ? {} : { labels }),
            keepPrivate: options.keepPrivate === true,
            layout: (options.layout ?? 'mirror') as 'mirror' | 'uids',
            policy: (options.policy ?? 'conformant') as CombinedActionPolicy,
            profileOptions: (options.option ?? []) as DeidOptionName[],
          });
          if (json) printJson(report);
          else writeSummary(report, secret === undefined && options.keyFile === undefined, options.layout !== 'uids');
          return report.failed.length === 0 ? EXIT.ok : EXIT.failed;
        },
        EXIT.badInput,
      );
    });
}

function writeSummary(report: DeidPathReport, randomKey: boolean, mirrored: boolean): void {
  const { written, skipped, failed, keyFile, map, labels } = report;
  const lines = [`de-identified ${written.length} file(s) into ${report.output}; skipped ${skipped.length}; failed ${failed.length}`];
  if (report.options.length > 0) lines.push(`options ${report.options.join(', ')} (on top of the Basic Profile)`);
  if (keyFile) lines.push(`key     ${keyFile.path}${keyFile.created ? ' (new: keep it to get the same UIDs and pseudonyms next time)' : ''}`);
  if (map) lines.push(`map     ${map.path}: ${map.uids} UIDs, ${map.patientIds} patient IDs (keep it apart from the data)`);
  if (labels) lines.push(`labels  ${labels.output}: ${labels.rows} row(s), ${labels.columns.join(', ')} replaced`);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (randomKey && !map) process.stderr.write('note: a random key and no --uid-map: these new UIDs and pseudonyms can be neither traced back nor repeated in another run (see --key-file)\n');
  if (mirrored && written.length > 1) process.stderr.write('note: folder and file names were copied as they are; if they hold names or IDs, use --layout uids\n');
  if (keyFile?.readableByOthers) process.stderr.write(`warning: the key file ${keyFile.path} can be read by other users; chmod 600 it\n`);
  if (labels && labels.unmatched > 0) process.stderr.write(`warning: ${labels.unmatched} of ${labels.rows} label row(s) name no file that was de-identified\n`);
  for (const s of skipped) process.stderr.write(`skipped ${s.path}: ${s.reason}\n`);
  for (const f of failed) process.stderr.write(`failed ${f.path}: [${f.code}] ${f.message}\n`);
}
