import type { CombinedActionPolicy } from '@cvf/medical';
import { deidPath, type DeidPathReport } from '@cvf/medical/node';
import type { Command } from 'commander';
import { EXIT, printJson, runAction } from '../output.js';

interface DeidCommandOptions {
  json?: boolean;
  secret?: string;
  keepPrivate?: boolean;
  policy?: string;
}

/**
 * `cvf dicom deid IN OUT [--secret S] [--keep-private] [--policy conformant|minimal] [--json]`:
 * de-identifies a DICOM file, or a folder into a mirror of it, with the PS3.15 Basic Application
 * Level Confidentiality Profile. UIDs are remapped with one key for the whole run (--secret, else
 * $CVF_DEID_SECRET, else random), so a study stays consistent. Exit 0 when every DICOM file was
 * written (non-DICOM files are skipped and listed), 1 when some DICOM file failed, 2 for bad input
 * (missing input, a single file that is not DICOM, bad options) with `{"error":{"code","message"}}`.
 */
export function registerDicomDeid(dicom: Command): void {
  dicom
    .command('deid')
    .description('de-identify a DICOM file or folder (DICOM PS3.15 Basic Application Level Confidentiality Profile)')
    .argument('<in>', 'DICOM file, or folder of files')
    .argument('<out>', 'output file or folder (a folder input is mirrored into it)')
    .option('--secret <secret>', 'key of the UID remapping: the same key gives the same new UIDs (default $CVF_DEID_SECRET, else random per run)')
    .option('--keep-private', 'keep private attributes (removed by default)')
    .option('--policy <policy>', 'combined actions (X/Z/D, ...): conformant keeps IODs valid, minimal removes the most', 'conformant')
    .option('--json', 'print the report (written, skipped, failed) or {"error":{"code","message"}} as JSON on stdout')
    .action((input: string, output: string, options: DeidCommandOptions) => {
      const json = options.json === true;
      return runAction(
        json,
        async () => {
          const secret = options.secret ?? process.env.CVF_DEID_SECRET;
          const report = await deidPath(input, output, {
            ...(secret === undefined ? {} : { secret }),
            keepPrivate: options.keepPrivate === true,
            policy: (options.policy ?? 'conformant') as CombinedActionPolicy,
          });
          if (json) printJson(report);
          else writeSummary(report);
          return report.failed.length === 0 ? EXIT.ok : EXIT.failed;
        },
        EXIT.badInput,
      );
    });
}

function writeSummary(report: DeidPathReport): void {
  const { written, skipped, failed } = report;
  process.stdout.write(`de-identified ${written.length} file(s) into ${report.output}; skipped ${skipped.length}; failed ${failed.length}\n`);
  for (const s of skipped) process.stderr.write(`skipped ${s.path}: ${s.reason}\n`);
  for (const f of failed) process.stderr.write(`failed ${f.path}: [${f.code}] ${f.message}\n`);
}
