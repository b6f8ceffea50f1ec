import * as z from 'zod';
import { MAX_CLASSES, quoteShort } from '../limits.js';
import { pathField, pathText } from './common.js';

/** Fashion-MNIST-style IDX files (optionally gzip-compressed): one images file, one labels file. */
const idxSource = z.strictObject({
  kind: z.literal('idx').describe('IDX files, as Fashion-MNIST and MNIST ship'),
  images: pathField('IDX images file (idx3-ubyte, .gz allowed)'),
  labels: pathField('IDX labels file (idx1-ubyte, .gz allowed)'),
});

const folderSource = z.strictObject({
  kind: z.literal('folder').describe('a folder per class'),
  root: pathField('folder holding one sub-folder per class; the sub-folder name is the label'),
  extensions: z
    .array(z.string().min(1))
    .min(1)
    .default(['.png', '.jpg', '.jpeg'])
    .describe('image file extensions to include (case-insensitive)'),
});

/** Column (CSV) or field (JSONL) names of a manifest. Optional columns may be absent from the file. */
const manifestColumns = z
  .strictObject({
    path: z.string().min(1).default('path').describe('column holding the image path, relative to `root`'),
    label: z.string().min(1).default('label').describe('column holding the class label'),
    split: z
      .string()
      .min(1)
      .default('split')
      .describe('column holding a fixed split (train|val|test); when the column is absent, `data.splits` decides'),
    patientId: z
      .string()
      .min(1)
      .default('patientId')
      .describe('column holding the patient identifier, used by `data.splits.groupBy` (optional in the file)'),
    studyUID: z
      .string()
      .min(1)
      .default('studyUID')
      .describe('column holding the DICOM StudyInstanceUID (optional in the file)'),
  })
  .prefault({})
  .describe('names of the manifest columns');

const manifestRoot = pathText()
  .optional()
  .describe("folder that image paths in the manifest are relative to; default: the manifest's folder");

const csvSource = z.strictObject({
  kind: z.literal('csv').describe('a CSV manifest'),
  path: pathField('CSV manifest with a header row, one image per row'),
  root: manifestRoot,
  delimiter: z.string().length(1).default(',').describe('field delimiter'),
  columns: manifestColumns,
});

const jsonlSource = z.strictObject({
  kind: z.literal('jsonl').describe('a JSON Lines manifest'),
  path: pathField('JSON Lines manifest, one JSON object per image'),
  root: manifestRoot,
  columns: manifestColumns,
});

/** How DICOM instances are matched to their labels: a CSV keyed by a UID level or by file path. */
function dicomLabels<K extends readonly [string, ...string[]]>(keys: K) {
  return z
    .strictObject({
      path: pathField('labels CSV with a header row'),
      key: z
        .enum(keys)
        .default('sopInstanceUID' as K[number])
        .describe('what a row is keyed by; the CSV has a column of that name (a study-level key labels every image of the study)'),
      labelColumn: z.string().min(1).default('label').describe('column holding the class label'),
    })
    .describe('where the labels of the DICOM images come from');
}

const modalityFilter = z
  .array(z.string().regex(/^[A-Z0-9]{2,16}$/, { error: 'expected a DICOM modality code such as CT, MR, CR, DX' }))
  .min(1)
  .optional()
  .describe('keep only these DICOM modalities (0008,0060), e.g. [CT]; default: all');

const dicomFolderSource = z.strictObject({
  kind: z.literal('dicom-folder').describe('DICOM files in a folder tree, labelled by a CSV'),
  root: pathField('folder searched recursively for DICOM files'),
  labels: dicomLabels(['sopInstanceUID', 'seriesInstanceUID', 'studyInstanceUID', 'path'] as const),
  modality: modalityFilter,
});

const dicomwebSource = z.strictObject({
  kind: z.literal('dicomweb').describe('a PACS over DICOMweb (QIDO-RS search, WADO-RS retrieve), labelled by a CSV'),
  url: z.url({ protocol: /^https?$/ }).describe('DICOMweb service root, e.g. http://localhost:8042/dicom-web'),
  query: z
    .record(z.string().min(1), z.union([z.string(), z.number()]))
    .default({})
    .describe('QIDO-RS search parameters for the instances query, e.g. { Modality: CT, StudyDate: 20240101-20241231 }'),
  labels: dicomLabels(['sopInstanceUID', 'seriesInstanceUID', 'studyInstanceUID'] as const),
  modality: modalityFilter,
  tokenEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name' })
    .optional()
    .describe('name of the environment variable holding a bearer token; the token itself never goes in the config; default: no authentication'),
});

export const dataSourceSchema = z
  .discriminatedUnion('kind', [idxSource, folderSource, csvSource, jsonlSource, dicomFolderSource, dicomwebSource])
  .describe('where images and labels come from; `kind` selects the reader');
export type DataSource = z.output<typeof dataSourceSchema>;

/**
 * Images without labels, for pseudo-labelling (`train.pseudoLabel`): the trained head labels the
 * ones it is confident about and the head is trained again with them.
 */
const unlabelledImages = z.strictObject({
  kind: z.literal('images').describe('image files in a folder tree (no class folders)'),
  root: pathField('folder searched recursively for images'),
  extensions: z
    .array(z.string().min(1))
    .min(1)
    .default(['.png', '.jpg', '.jpeg'])
    .describe('image file extensions to include (case-insensitive)'),
  limit: z.int().positive().optional().describe('use at most this many images (a seeded random subset); default: all'),
});

const unlabelledIdx = z.strictObject({
  kind: z.literal('idx').describe('an IDX images file; no labels file'),
  images: pathField('IDX images file (idx3-ubyte, .gz allowed)'),
  limit: z.int().positive().optional().describe('use at most this many images (a seeded random subset); default: all'),
});

const unlabelledDicomFolder = z.strictObject({
  kind: z.literal('dicom-folder').describe('DICOM files in a folder tree, not labelled'),
  root: pathField('folder searched recursively for DICOM files'),
  modality: modalityFilter,
  limit: z.int().positive().optional().describe('use at most this many images (a seeded random subset); default: all'),
});

export const unlabelledSourceSchema = z
  .discriminatedUnion('kind', [unlabelledImages, unlabelledIdx, unlabelledDicomFolder])
  .describe('images without labels for pseudo-labelling; `kind` selects the reader');
export type UnlabelledSource = z.output<typeof unlabelledSourceSchema>;

/** Sources whose records carry patient and study identifiers. */
const sourcesWithPatients: ReadonlySet<DataSource['kind']> = new Set(['csv', 'jsonl', 'dicom-folder', 'dicomweb']);

const splitsSchema = z
  .strictObject({
    train: z.number().min(0).max(1).default(0.8).describe('fraction of the source used for training'),
    val: z.number().min(0).max(1).default(0.1).describe('fraction used for validation (early stopping, tuning, calibration)'),
    test: z.number().min(0).max(1).default(0.1).describe('fraction held out for the final evaluation; 0 when `data.test` is given'),
    seed: z.int().default(42).describe('seed of the random split, so a split is reproducible'),
    groupBy: z
      .enum(['patientId', 'studyUID'])
      .optional()
      .describe('keep all images of one patient (or study) in the same split, so no patient leaks between train and test; default: split images independently'),
  })
  .superRefine((splits, ctx) => {
    const sum = splits.train + splits.val + splits.test;
    // Fractions written in YAML (0.7, 0.2, 0.1) do not add up exactly in binary floating point.
    if (Math.abs(sum - 1) > 1e-6) {
      ctx.addIssue({
        code: 'custom',
        message: `train + val + test must sum to 1, got ${splits.train} + ${splits.val} + ${splits.test} = ${Number(sum.toFixed(6))}`,
      });
    }
    if (splits.train === 0) ctx.addIssue({ code: 'custom', path: ['train'], message: 'the train fraction must be greater than 0' });
  })
  .prefault({})
  .describe('random split of `data.source` into train/val/test');

export const dataSchema = z
  .strictObject({
    source: dataSourceSchema,
    test: dataSourceSchema
      .optional()
      .describe('a separate held-out test set (e.g. Fashion-MNIST t10k); default: the test split of `source`'),
    classes: z
      .array(z.string().min(1))
      .min(2)
      .max(MAX_CLASSES)
      .optional()
      .superRefine((classes, ctx) => {
        const seen = new Set<string>();
        classes?.forEach((name, i) => {
          if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [i], message: `class ${quoteShort(name)} is listed twice` });
          seen.add(name);
        });
      })
      .describe(`class names in label-index order (IDX labels 0..n-1 map to them; at most ${MAX_CLASSES}); default: the sorted distinct labels of the source`),
    splits: splitsSchema,
    limit: z.int().positive().optional().describe('use at most this many images of the source (quick trial runs); default: all'),
    unlabelled: unlabelledSourceSchema
      .optional()
      .describe('images without labels: when given, the head is self-trained on the ones it labels confidently (see train.pseudoLabel); default: none'),
  })
  .superRefine((data, ctx) => {
    if (data.test !== undefined && data.splits.test !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['splits', 'test'],
        message: `data.test provides the test set, so the test split must be 0, got ${data.splits.test}`,
      });
    }
    if (data.splits.groupBy !== undefined && !sourcesWithPatients.has(data.source.kind)) {
      ctx.addIssue({
        code: 'custom',
        path: ['splits', 'groupBy'],
        message: `groupBy ${data.splits.groupBy} needs a source with patient/study identifiers (csv, jsonl, dicom-folder, dicomweb), got "${data.source.kind}"`,
      });
    }
  })
  .describe('the dataset: source, optional separate test set, class names and splits');
