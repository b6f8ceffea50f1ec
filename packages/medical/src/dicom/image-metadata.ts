import type { DicomDataSet } from './dicom-dataset.js';
import { Tag } from './tags.js';

/** Modality (0008,0060), e.g. "CT"; undefined when absent. */
export function readModality(dataSet: DicomDataSet): string | undefined {
  return dataSet.string(Tag.Modality);
}

/** Rescale Slope (0028,1053) and Intercept (0028,1052); 1 and 0 where absent (identity Modality LUT). */
export function readRescale(dataSet: DicomDataSet): { slope: number; intercept: number } {
  return { slope: dataSet.number(Tag.RescaleSlope) ?? 1, intercept: dataSet.number(Tag.RescaleIntercept) ?? 0 };
}

/**
 * The first Window Center (0028,1050) / Window Width (0028,1051) pair, or undefined when either is
 * absent. Files may list several windows; `readWindows` gives them all.
 */
export function readWindow(dataSet: DicomDataSet): { center: number; width: number } | undefined {
  return readWindows(dataSet)[0];
}

/** Every Window Center/Width pair, with its explanation (0028,1055) where given. */
export function readWindows(dataSet: DicomDataSet): { center: number; width: number; explanation?: string }[] {
  const centers = dataSet.numbers(Tag.WindowCenter);
  const widths = dataSet.numbers(Tag.WindowWidth);
  const explanations = dataSet.strings(Tag.WindowCenterWidthExplanation);
  const count = Math.min(centers.length, widths.length);
  return Array.from({ length: count }, (_, i) => ({
    center: centers[i]!,
    width: widths[i]!,
    ...(explanations[i] ? { explanation: explanations[i] } : {}),
  }));
}
