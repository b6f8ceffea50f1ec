import { DisplayParamsError } from '@cvf/core';

export interface WindowPreset {
  /** Window centre (level), in the modality's rescaled units (Hounsfield units for CT). */
  readonly center: number;
  /** Window width, in the same units. */
  readonly width: number;
  readonly description: string;
}

/**
 * Common windows per modality. CT values are in Hounsfield units, the usual values of radiology
 * teaching references (e.g. Radiopaedia, "Windowing (CT)"): brain W 80 L 40; subdural W 200 L 75 (130–300 / 50–100); stroke W 40 L 40;
 * lung W 1500 L −600; mediastinum W 350 L 50; abdomen soft tissue W 400 L 50 (350–400 / 20–60);
 * liver W 150 L 30; bone W 1800 L 400. MR and other modalities have arbitrary or
 * vendor-scaled units and no standard windows: use the data set's window or min–max.
 */
export const WINDOW_PRESETS: Readonly<Record<string, Readonly<Record<string, WindowPreset>>>> = {
  CT: {
    brain: { center: 40, width: 80, description: 'brain parenchyma' },
    subdural: { center: 75, width: 200, description: 'subdural and extra-axial blood' },
    stroke: { center: 40, width: 40, description: 'early ischaemia: grey/white matter contrast' },
    lung: { center: -600, width: 1500, description: 'lung parenchyma and airways' },
    mediastinum: { center: 50, width: 350, description: 'mediastinum, heart and great vessels' },
    abdomen: { center: 50, width: 400, description: 'abdominal soft tissue' },
    liver: { center: 30, width: 150, description: 'liver parenchyma and lesions' },
    bone: { center: 400, width: 1800, description: 'bone and calcification' },
  },
};

/** The preset names for a modality (empty for modalities without presets). */
export function presetNames(modality: string): string[] {
  return Object.keys(WINDOW_PRESETS[modality.toUpperCase()] ?? {});
}

/** The preset `name` of `modality`; an error lists the valid names. */
export function windowPreset(modality: string, name: string): WindowPreset {
  const presets = WINDOW_PRESETS[modality.toUpperCase()];
  const preset = presets?.[name.toLowerCase()];
  if (preset) return preset;
  const withPresets = Object.keys(WINDOW_PRESETS).join(', ');
  throw new DisplayParamsError(
    presets
      ? `no window preset "${name}" for ${modality.toUpperCase()}; presets: ${Object.keys(presets).join(', ')}`
      : `no window presets for modality "${modality || '(none)'}"; presets exist for ${withPresets}`,
  );
}
