import type { Command } from 'commander';
import { registerDicomDeid } from './dicom-deid.js';
import { registerDicomInspect } from './dicom-inspect.js';

/** `cvf dicom ...`: DICOM tools. */
export function registerDicom(program: Command): void {
  const dicom = program.command('dicom').description('DICOM tools: inspect files, de-identify them');
  registerDicomInspect(dicom);
  registerDicomDeid(dicom);
}
