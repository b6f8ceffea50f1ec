import { inspectDicom, transferSyntaxName, type DicomInspectReport } from '@cvf/medical';
import { readDicomFile } from '@cvf/medical/node';
import type { Command } from 'commander';
import { EXIT, printJson, runAction } from '../output.js';

/**
 * `cvf dicom inspect FILE [--json]`: parses the file, decodes every frame and prints the image's
 * encoding, geometry, Modality/VOI attributes and stored-value range. A missing, non-DICOM,
 * truncated or malformed file, or pixels that cannot be decoded, exit 2 with
 * `{"error":{"code","message"}}` (with --json) — never a stack trace.
 */
export function registerDicomInspect(dicom: Command): void {
  dicom
    .command('inspect')
    .description('decode a DICOM file and print its transfer syntax, geometry, rescale, window and pixel range')
    .argument('<file>', 'DICOM Part 10 file')
    .option('--json', 'print one JSON object (or {"error":{"code","message"}}) on stdout')
    .action((file: string, options: { json?: boolean }) => {
      const json = options.json === true;
      return runAction(
        json,
        async () => {
          const report = await inspectDicom(await readDicomFile(file));
          if (json) printJson(report);
          else process.stdout.write(formatReport(file, report));
          return EXIT.ok;
        },
        EXIT.badInput,
      );
    });
}

function formatReport(file: string, r: DicomInspectReport): string {
  const lines: [string, string][] = [
    ['file', file],
    ['transfer syntax', `${r.transferSyntaxUID} (${transferSyntaxName(r.transferSyntaxUID)})`],
    ['size', `${r.columns} × ${r.rows}, ${r.frames} frame(s), ${r.samplesPerPixel} sample(s) per pixel`],
    ['bits', `${r.bitsStored} stored of ${r.bitsAllocated} allocated, ${r.pixelRepresentation === 1 ? 'signed' : 'unsigned'}`],
    ['photometric', r.photometricInterpretation],
    ['modality', r.modality ?? '(none)'],
    ['rescale', `slope ${r.rescale.slope}, intercept ${r.rescale.intercept}`],
    ['window', r.window ? `center ${r.window.center}, width ${r.window.width}` : '(none)'],
    ['pixel', `min ${r.pixel.min}, max ${r.pixel.max}, mean ${round(r.pixel.mean)}`],
  ];
  const width = Math.max(...lines.map(([k]) => k.length));
  return `${lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`;
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}
