import * as z from 'zod';

/** Standard CT display windows in Hounsfield units (center, width). */
export const windowPresets = {
  'ct-lung': { center: -600, width: 1500 },
  'ct-mediastinum': { center: 50, width: 350 },
  'ct-bone': { center: 400, width: 1800 },
  'ct-brain': { center: 40, width: 80 },
  'ct-abdomen': { center: 40, width: 400 },
} as const satisfies Record<string, { center: number; width: number }>;
export type WindowPreset = keyof typeof windowPresets;

const presetNames = Object.keys(windowPresets) as [WindowPreset, ...WindowPreset[]];

const resizeSchema = z
  .strictObject({
    height: z.int().positive().default(224).describe('output height in pixels'),
    width: z.int().positive().default(224).describe('output width in pixels'),
    mode: z.enum(['nearest', 'bilinear']).default('bilinear').describe('interpolation'),
    coordinateTransform: z
      .enum(['half_pixel', 'align_corners', 'asymmetric', 'pytorch_half_pixel'])
      .default('half_pixel')
      .describe("how output pixels map to input coordinates, as ONNX Resize's coordinate_transformation_mode, so the exported graph resizes exactly like training did"),
  })
  .prefault({})
  .describe('resize every image to the model input size');

const windowSchema = z
  .strictObject({
    center: z.number().optional().describe('window center (level) in modality units, e.g. HU for CT; default: none'),
    width: z.number().positive().optional().describe('window width in modality units; default: none'),
    function: z
      .enum(['LINEAR', 'LINEAR_EXACT', 'SIGMOID'])
      .default('LINEAR')
      .describe('VOI LUT function (DICOM PS3.3 C.11.2.1.2)'),
    preset: z
      .enum(presetNames)
      .optional()
      .describe('a standard CT window instead of center/width: ct-lung -600/1500, ct-mediastinum 50/350, ct-bone 400/1800, ct-brain 40/80, ct-abdomen 40/400; default: none'),
    fromFile: z
      .boolean()
      .default(true)
      .describe("when neither center/width nor preset is given: use the window stored in the DICOM file if it has one (true), else the image's min..max range"),
  })
  .superRefine((w, ctx) => {
    if ((w.center === undefined) !== (w.width === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'center and width must be given together' });
    }
    if (w.preset !== undefined && w.center !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['preset'], message: `give either preset (${w.preset}) or center/width, not both` });
    }
  })
  .prefault({})
  .describe('DICOM only: rescale slope/intercept, then map the window to 0..255 like a display, so normalize treats DICOM and 8-bit images alike; MONOCHROME1 is inverted');

const normalizeSchema = z
  .strictObject({
    scale: z.number().positive().default(1 / 255).describe('multiply pixel values by this first (1/255 maps 0..255 to 0..1)'),
    mean: z.array(z.number()).min(1).max(3).default([0]).describe('subtracted after scaling; one value for all channels or one per channel (at most 3: rgb)'),
    std: z.array(z.number().positive()).min(1).max(3).default([1]).describe('divides after subtracting the mean; one value or one per channel (at most 3: rgb)'),
  })
  .prefault({})
  .describe('x -> (x * scale - mean) / std, per channel');

export const preprocessSchema = z
  .strictObject({
    resize: resizeSchema,
    color: z
      .enum(['gray', 'rgb'])
      .default('gray')
      .describe('channels fed to the features: gray (1) or rgb (3; gray images are replicated, as ImageNet-trained embedders expect)'),
    window: windowSchema,
    normalize: normalizeSchema,
  })
  .superRefine((p, ctx) => {
    const channels = p.color === 'rgb' ? 3 : 1;
    for (const key of ['mean', 'std'] as const) {
      const n = p.normalize[key].length;
      if (n !== 1 && n !== channels) {
        ctx.addIssue({
          code: 'custom',
          path: ['normalize', key],
          message: `expected 1 or ${channels} values for color ${p.color}, got ${n}`,
        });
      }
    }
  })
  .prefault({})
  .describe('image preprocessing, identical in training and serving (it is stored in the model bundle)');
