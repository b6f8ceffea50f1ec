import { DicomError } from '@cvf/core';
import type { DicomDataSet } from './dicom-dataset.js';
import { Tag } from './tags.js';

/** Modality (0008,0060), e.g. "CT"; undefined when absent. */
export function readModality(dataSet: DicomDataSet): string | undefined {
  return dataSet.string(Tag.Modality);
}

/**
 * Rescale Slope (0028,1053) and Intercept (0028,1052); 1 and 0 where absent (identity Modality
 * LUT). A value that is not a finite number (e.g. DS "1e400") is DICOM_MALFORMED.
 */
export function readRescale(dataSet: DicomDataSet): { slope: number; intercept: number } {
  const slope = dataSet.number(Tag.RescaleSlope) ?? 1;
  const intercept = dataSet.number(Tag.RescaleIntercept) ?? 0;
  for (const [name, value] of [['Slope (0028,1053)', slope], ['Intercept (0028,1052)', intercept]] as const) {
    if (!Number.isFinite(value)) throw new DicomError('DICOM_MALFORMED', `Rescale ${name} ${value} is not a finite number`);
  }
  return { slope, intercept };
}

/**
 * The first Window Center (0028,1050) / Window Width (0028,1051) pair, or undefined when either is
 * absent. Files may list several windows; `readWindows` gives them all.
 */
export function readWindow(dataSet: DicomDataSet): { center: number; width: number } | undefined {
  return readWindows(dataSet)[0];
}

/**
 * Every Window Center/Width pair, with its explanation (0028,1055) where given. Pairs that are no
 * window (a center or width that is not finite, a width ≤ 0) are left out, as the display pipeline
 * ignores them (falling back to min–max).
 */
export function readWindows(dataSet: DicomDataSet): { center: number; width: number; explanation?: string }[] {
  const centers = dataSet.numbers(Tag.WindowCenter);
  const widths = dataSet.numbers(Tag.WindowWidth);
  const explanations = dataSet.strings(Tag.WindowCenterWidthExplanation);
  const count = Math.min(centers.length, widths.length);
  return Array.from({ length: count }, (_, i) => ({
    center: centers[i]!,
    width: widths[i]!,
    ...(explanations[i] ? { explanation: explanations[i] } : {}),
  })).filter((w) => Number.isFinite(w.center) && Number.isFinite(w.width) && w.width > 0);
}
