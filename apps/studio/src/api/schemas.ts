import * as z from 'zod';

/**
 * The studio's HTTP contract: every request and response body of /api, as zod schemas. The
 * server validates what it receives and builds what it sends with these; the browser client
 * parses every response with them. Isomorphic: zod only, no Node or DOM imports.
 */

/** Every failed call answers `{"error":{"code","message"}}` with a 4xx/5xx status. */
export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Times are milliseconds since the Unix epoch. */
const epochMs = z.number();
/** JSON has no NaN: an undefined score travels as null. */
const score = z.number().nullable();

// ---- GET /api/info

export const infoSchema = z.object({
  version: z.string(),
  /** The tracking store folder (absolute). */
  store: z.string(),
  /** The configs folder (absolute). */
  configsDir: z.string(),
  /** How many training runs the queue runs at once. */
  concurrency: z.number().int().positive(),
  /** The DICOMweb base URL the viewer may query, when one was given. */
  dicomweb: z.string().nullable(),
});
export type Info = z.infer<typeof infoSchema>;

// ---- configs

/** A path inside the configs folder, '/'-separated and relative (no '..', no leading '/'). */
export const configPathSchema = z.string().min(1).max(1024);

export const configEntrySchema = z.object({ path: configPathSchema, size: z.number().int().nonnegative(), mtimeMs: epochMs });
export type ConfigEntry = z.infer<typeof configEntrySchema>;

export const configListSchema = z.object({ files: z.array(configEntrySchema) });
export type ConfigList = z.infer<typeof configListSchema>;

export const configFileSchema = z.object({ path: configPathSchema, text: z.string(), sha256: z.string() });
export type ConfigFile = z.infer<typeof configFileSchema>;

/** PUT /api/configs/file. `baseSha256`: the file's hash when it was read (null: a new file); 409 CONFIG_CONFLICT when it changed since. */
export const configSaveRequestSchema = z.object({
  path: configPathSchema,
  text: z.string().max(1 << 20),
  baseSha256: z.string().nullable(),
});
export type ConfigSaveRequest = z.infer<typeof configSaveRequestSchema>;

export const configSaveResponseSchema = z.object({ path: configPathSchema, sha256: z.string() });
export type ConfigSaveResponse = z.infer<typeof configSaveResponseSchema>;

// ---- run queue

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const jobStateSchema = z.enum(JOB_STATES);
export type JobState = z.infer<typeof jobStateSchema>;

/** One `cvf train` launched through the queue. */
export const jobSchema = z.object({
  id: z.string(),
  /** The config path, relative to the configs folder. */
  config: configPathSchema,
  /** `--set path=value` overrides given at launch. */
  overrides: z.array(z.string()),
  state: jobStateSchema,
  /** The tracking run, once the child has started it. */
  runId: z.string().nullable(),
  queuedAt: epochMs,
  startedAt: epochMs.nullable(),
  endedAt: epochMs.nullable(),
  /** Why the job failed or was cancelled, in words. */
  error: z.string().nullable(),
});
export type Job = z.infer<typeof jobSchema>;

export const queueSchema = z.object({ jobs: z.array(jobSchema) });
export type Queue = z.infer<typeof queueSchema>;

export const queueRequestSchema = z.object({
  config: configPathSchema,
  overrides: z.array(z.string().min(1).max(4096)).max(64).optional(),
});
export type QueueRequest = z.infer<typeof queueRequestSchema>;

// ---- training output (`cvf train --json` lines, relayed over SSE)

/** A progress line: stage, done/total, metrics (epoch loss, …). */
export const progressLineSchema = z.object({
  type: z.literal('progress'),
  stage: z.string(),
  done: z.number(),
  total: z.number(),
  etaSeconds: z.number().optional(),
  metrics: z.record(z.string(), z.number()).optional(),
  message: z.string().optional(),
});
export type ProgressLine = z.infer<typeof progressLineSchema>;

/** The last line of a successful run: its summary. */
export const summaryLineSchema = z.looseObject({
  runId: z.string(),
  metrics: z.looseObject({ test: z.record(z.string(), score), val: z.record(z.string(), score) }),
  bundle: z.string(),
  model: z.object({ name: z.string(), version: z.number() }).nullable().optional(),
  seconds: z.number(),
});
export type SummaryLine = z.infer<typeof summaryLineSchema>;

/** The last line of a failed or interrupted run. */
export const errorLineSchema = errorBodySchema;

/** Data of an SSE `progress` event: one line of `cvf train --json`. */
export const trainLineSchema = z.union([progressLineSchema, errorLineSchema, summaryLineSchema]);
export type TrainLine = z.infer<typeof trainLineSchema>;

/** SSE event names: `progress` (data: a TrainLine), then `end` (data: the Job, or the RunSummary for /api/runs/:id/events). */
export const SSE_EVENTS = { progress: 'progress', end: 'end' } as const;

// ---- runs

export const RUN_STATUSES = ['running', 'finished', 'failed', 'killed'] as const;
export const runStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const modelRefSchema = z.object({ name: z.string(), version: z.number().int().positive() });
export type ModelRef = z.infer<typeof modelRefSchema>;

export const runSummarySchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  experiment: z.string(),
  status: runStatusSchema,
  startedAt: epochMs,
  endedAt: epochMs.nullable(),
  /** endedAt − startedAt; null while running. */
  durationMs: z.number().nullable(),
  /** The model version registered from this run, if any. */
  model: modelRefSchema.nullable(),
  /** The latest value of each metric key. */
  metrics: z.record(z.string(), z.number()),
  tags: z.record(z.string(), z.string()),
  /** The tune search or resumed run this one belongs to. */
  parentId: z.string().nullable(),
  configHash: z.string().nullable(),
  failureReason: z.string().nullable(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const runListQuerySchema = z.object({
  experiment: z.string().optional(),
  status: runStatusSchema.optional(),
  /** Case-insensitive text matched against id, name, experiment and tag values. */
  q: z.string().optional(),
});
export type RunListQuery = z.infer<typeof runListQuerySchema>;

export const runListSchema = z.object({ runs: z.array(runSummarySchema) });
export type RunList = z.infer<typeof runListSchema>;

export const metricPointSchema = z.object({ key: z.string(), step: z.number(), value: z.number(), time: epochMs });
export type MetricPoint = z.infer<typeof metricPointSchema>;

export const artifactSchema = z.object({ path: z.string(), size: z.number().int().nonnegative() });
export type ArtifactEntry = z.infer<typeof artifactSchema>;

export const classReportSchema = z.looseObject({
  label: z.string(),
  support: z.number(),
  predicted: z.number(),
  precision: score,
  recall: score,
  specificity: score,
  f1: score,
  auroc: score,
  auprc: score,
});
export type ClassReport = z.infer<typeof classReportSchema>;

export const reliabilityBinSchema = z.object({ lower: z.number(), upper: z.number(), confidence: score, accuracy: score, count: z.number() });
export type ReliabilityBin = z.infer<typeof reliabilityBinSchema>;

/** One split's evaluation as the run stored it (evaluation.json); scalar metrics ride along as extra keys. */
export const splitEvaluationSchema = z.looseObject({
  samples: z.number(),
  classes: z.array(z.string()),
  positiveClass: z.string().nullable(),
  threshold: z.number().nullable(),
  perClass: z.array(classReportSchema),
  /** Rows = true class, columns = predicted class, in the order of `classes`. */
  confusionMatrix: z.array(z.array(z.number())),
  reliability: z.array(reliabilityBinSchema),
});
export type SplitEvaluation = z.infer<typeof splitEvaluationSchema>;

export const evaluationSchema = z.object({ val: splitEvaluationSchema.nullable(), test: splitEvaluationSchema });
export type Evaluation = z.infer<typeof evaluationSchema>;

export const runDetailSchema = z.object({
  run: runSummarySchema,
  params: z.record(z.string(), z.unknown()),
  history: z.array(metricPointSchema),
  artifacts: z.array(artifactSchema),
  /** The resolved config of the run as YAML (rebuilt from its params). */
  configText: z.string().nullable(),
  /** The same for the parent run, for the diff. */
  parentConfigText: z.string().nullable(),
  evaluation: evaluationSchema.nullable(),
});
export type RunDetail = z.infer<typeof runDetailSchema>;

export const misclassifiedQuerySchema = z.object({
  actual: z.coerce.number().int().nonnegative(),
  predicted: z.coerce.number().int().nonnegative(),
});
export type MisclassifiedQuery = z.infer<typeof misclassifiedQuerySchema>;

export const caseSchema = z.object({
  /** The sample's id in the dataset (a relative path, a SOPInstanceUID, `file#index`). */
  id: z.string(),
  label: z.string(),
  predicted: z.string(),
  thumbnailUrl: z.string(),
});
export type Case = z.infer<typeof caseSchema>;

/** The test cases of one confusion-matrix cell (at most 200), from the run's test split predicted again with its bundle. */
export const misclassifiedSchema = z.object({ cases: z.array(caseSchema) });
export type Misclassified = z.infer<typeof misclassifiedSchema>;

// ---- models

export const modelVersionSchema = z.object({
  version: z.number().int().positive(),
  runId: z.string().nullable(),
  createdAt: epochMs,
  bundleDigest: z.string().nullable(),
  metrics: z.record(z.string(), z.unknown()),
  /** The bundle manifest's `input` (height, width, channels, formats, …); null when the bundle cannot be read. */
  inputContract: z.record(z.string(), z.unknown()).nullable(),
  configHash: z.string().nullable(),
  aliases: z.array(z.string()),
});
export type ModelVersionEntry = z.infer<typeof modelVersionSchema>;

export const aliasEntrySchema = z.object({
  alias: z.string(),
  version: z.number().int().positive(),
  /** Newest first: each time the alias moved, and to which version. */
  history: z.array(z.object({ version: z.number().int().positive(), previous: z.number().int().positive().nullable(), at: epochMs })),
});
export type AliasEntry = z.infer<typeof aliasEntrySchema>;

export const modelEntrySchema = z.object({
  name: z.string(),
  /** Newest first. */
  versions: z.array(modelVersionSchema),
  aliases: z.array(aliasEntrySchema),
});
export type ModelEntry = z.infer<typeof modelEntrySchema>;

export const modelListSchema = z.object({ models: z.array(modelEntrySchema) });
export type ModelList = z.infer<typeof modelListSchema>;

export const promoteRequestSchema = z.object({ version: z.number().int().positive() });
export type PromoteRequest = z.infer<typeof promoteRequestSchema>;

export const promoteResponseSchema = z.object({
  alias: z.string(),
  version: z.number().int().positive(),
  /** The version the alias left; null when it is new. */
  previous: z.number().int().positive().nullable(),
});
export type PromoteResponse = z.infer<typeof promoteResponseSchema>;

// ---- data

/** `thumbnailUrl`s are paths on the studio server (same origin as the page). */
export const sampleSchema = z.object({ id: z.string(), label: z.string(), split: z.string(), thumbnailUrl: z.string() });
export type Sample = z.infer<typeof sampleSchema>;

/** A train sample on the embedding map; `thumbnailUrl` opens its image. */
export const embeddingPointSchema = z.object({ id: z.string(), x: z.number(), y: z.number(), label: z.string(), thumbnailUrl: z.string() });
export type EmbeddingPoint = z.infer<typeof embeddingPointSchema>;

export const dataSummarySchema = z.object({
  classes: z.array(z.string()),
  /** Per split, the count of each class in the order of `classes`. */
  splits: z.array(z.object({ split: z.string(), counts: z.array(z.number().int().nonnegative()) })),
  /** A few train samples per class (at most 8 each). */
  samples: z.array(sampleSchema),
  /** Up to 400 train samples, evenly spread, as a PCA-2 map (`embeddingMap`); each id opens with /api/data/thumbnail. */
  embedding: z.array(embeddingPointSchema),
  /** What the map is of: the features of the pipeline's newest registered model (after its PCA), or, before any model exists, the preprocessed pixels at 32×32. */
  embeddingOf: z.discriminatedUnion('kind', [z.object({ kind: z.literal('model'), name: z.string(), version: z.number().int().positive() }), z.object({ kind: z.literal('pixels') })]),
});
export type DataSummary = z.infer<typeof dataSummarySchema>;
