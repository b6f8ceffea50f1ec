/**
 * Every error CV Factory throws on purpose is a CvfError with a stable `code`, so callers
 * (the CLI's --json output, HTTP servers, the studio) can branch on it without parsing text.
 */
export class CvfError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options?.details;
  }

  toJSON(): { code: string; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** One problem found in a pipeline config, located in its YAML source. */
export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  /** Dotted path in the YAML document, e.g. `train.epochs` or `data.splits[1]`. */
  path: string;
  message: string;
}

export class ConfigError extends CvfError {
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[]) {
    super('CONFIG_INVALID', issues.map(formatConfigIssue).join('\n'), { details: { issues } });
    this.issues = issues;
  }
}

export function formatConfigIssue(issue: ConfigIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.path || '(root)'}: ${issue.message}`;
}

/**
 * A file could not be read: missing or unreadable (FILE_UNREADABLE), not a regular file — a
 * device, a FIFO, a refused symbolic link (FILE_NOT_REGULAR) — or larger than allowed (FILE_TOO_LARGE).
 */
export class FileError extends CvfError {
  constructor(message: string, options?: { cause?: unknown; code?: 'FILE_UNREADABLE' | 'FILE_NOT_REGULAR' | 'FILE_TOO_LARGE' }) {
    super(options?.code ?? 'FILE_UNREADABLE', message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** Inputs to a kernel or an operation do not fit its contract (shape, dtype, attribute). */
export class ShapeError extends CvfError {
  constructor(message: string) {
    super('SHAPE_MISMATCH', message);
  }
}

export class DtypeError extends CvfError {
  constructor(message: string) {
    super('DTYPE_UNSUPPORTED', message);
  }
}

export class KernelNotFoundError extends CvfError {
  constructor(name: string, known: readonly string[]) {
    super('KERNEL_NOT_FOUND', `no kernel named "${name}"; registered kernels: ${known.join(', ')}`);
  }
}

/** No WebGPU adapter where one was required (prefer: 'webgpu'). */
export class WebGpuUnavailableError extends CvfError {
  constructor(reason: string) {
    super('WEBGPU_UNAVAILABLE', `WebGPU is not available: ${reason}`);
  }
}

/** The GPU device was lost (driver reset, device destroyed, out of memory); it cannot be used again. */
export class DeviceLostError extends CvfError {
  constructor(reason: string) {
    super('DEVICE_LOST', `the WebGPU device was lost (${reason}); create a new Device to continue`);
  }
}

/** WGSL compilation or pipeline validation failed: a defect in a kernel, reported with the kernel's name. */
export class ShaderError extends CvfError {
  constructor(kernel: string, message: string) {
    super('SHADER_INVALID', `kernel "${kernel}": ${message}`);
  }
}

export class OnnxError extends CvfError {
  constructor(code: 'ONNX_LOAD_FAILED' | 'ONNX_RUN_FAILED' | 'ONNX_EP_UNAVAILABLE' | 'ONNX_GRAPH_INVALID' | 'ONNX_OP_UNSUPPORTED', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Stable codes of DICOM reading and pixel decoding failures. */
export type DicomErrorCode =
  | 'DICOM_NOT_DICOM'
  | 'DICOM_TRUNCATED'
  | 'DICOM_MALFORMED'
  | 'DICOM_UNSUPPORTED_TRANSFER_SYNTAX'
  | 'DICOM_NO_PIXEL_DATA'
  | 'DICOM_DECODE_FAILED'
  | 'DICOM_FRAME_OUT_OF_RANGE'
  | 'DICOM_TOO_LARGE';

/** A DICOM file could not be parsed or its pixels could not be decoded; `code` says which way. */
export class DicomError extends CvfError {
  declare readonly code: DicomErrorCode;
  constructor(code: DicomErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
  }
}

/**
 * Stable codes of image decoding and preprocessing failures. INPUT_UNSUPPORTED_MEDIA: `decodeInput`
 * was given bytes or a media type it has no decoder for (not PNG, JPEG, WebP or DICOM Part 10).
 */
export type ImageErrorCode = 'IMAGE_UNSUPPORTED_FORMAT' | 'IMAGE_DECODE_FAILED' | 'IMAGE_UNSUPPORTED' | 'INPUT_UNSUPPORTED_MEDIA';

/** An image could not be decoded (unknown format, corrupt data) or an operation is not available for it. */
export class ImageError extends CvfError {
  declare readonly code: ImageErrorCode;
  constructor(code: ImageErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
  }
}

/** Stable codes of dataset reading failures. */
export type DatasetErrorCode = 'DATASET_MALFORMED' | 'DATASET_LABEL_UNKNOWN' | 'DATASET_EMPTY' | 'DATASET_SOURCE_UNSUPPORTED';

/** A dataset (IDX file, manifest, folder, labels CSV) is malformed, empty or names an unknown label. */
export class DatasetError extends CvfError {
  declare readonly code: DatasetErrorCode;
  constructor(code: DatasetErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
  }
}

/** Stable codes of DICOMweb (QIDO-RS, WADO-RS, STOW-RS) failures; DICOMWEB_STORE_FAILED: STOW-RS answered, but refused some instances. */
export type DicomwebErrorCode = 'DICOMWEB_HTTP_ERROR' | 'DICOMWEB_UNREACHABLE' | 'DICOMWEB_INVALID_RESPONSE' | 'DICOMWEB_INVALID_REQUEST' | 'DICOMWEB_STORE_FAILED';

/** A DICOMweb request failed: the server answered with an error status (`details.status`), could not be reached, answered nonsense, or the request itself was invalid (a malformed UID, a frame number below 1). */
export class DicomwebError extends CvfError {
  declare readonly code: DicomwebErrorCode;
  constructor(code: DicomwebErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
  }
}

/** The tracking store or registry refused a request (unknown run, bad alias, non-finite metric, ...). */
export class TrackingError extends CvfError {
  constructor(code: 'TRACKING_NOT_FOUND' | 'TRACKING_INVALID' | 'TRACKING_CONFLICT' | 'TRACKING_STORE_FAILED' | 'TRACKING_STORE_NOT_FOUND', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** A DICOM data set cannot be written as asked: a value that does not fit its VR, an unsupported transfer syntax. */
export class DicomWriteError extends CvfError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('DICOM_WRITE_INVALID', message, options);
  }
}

/** Display parameters (window, preset, LUT) that cannot be applied to an image; the message names the valid options. */
export class DisplayParamsError extends CvfError {
  constructor(message: string) {
    super('DISPLAY_PARAMS_INVALID', message);
  }
}

/** De-identification could not be carried out as asked (bad options, an output that would overwrite its input). */
export class DeidError extends CvfError {
  constructor(code: 'DEID_INVALID_OPTIONS' | 'DEID_FAILED', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Stable codes of evaluation failures (metrics, thresholds, explainability). */
export type EvalErrorCode =
  | 'EVAL_LENGTH_MISMATCH'
  | 'EVAL_LABEL_OUT_OF_RANGE'
  | 'EVAL_VALUE_INVALID'
  | 'EVAL_CLASS_UNKNOWN'
  | 'EVAL_OPTION_INVALID'
  | 'EVAL_UNDEFINED';

/**
 * Inputs to a metric or an explanation do not fit its contract: arrays of different lengths, a label
 * outside 0..C-1, a NaN score, an unknown class name, a bad option, or a quantity that is undefined
 * for the data (a threshold with no positives).
 */
export class EvalError extends CvfError {
  declare readonly code: EvalErrorCode;
  constructor(code: EvalErrorCode, message: string, options?: { details?: Record<string, unknown> }) {
    super(code, message, options);
  }
}

/** Stable codes of training failures. */
export type TrainErrorCode =
  | 'TRAIN_INVALID_DATA'
  | 'TRAIN_INVALID_OPTIONS'
  | 'TRAIN_METRIC_UNAVAILABLE'
  | 'TRAIN_CHECKPOINT_INVALID'
  | 'TRAIN_CHECKPOINT_MISMATCH'
  | 'TRAIN_HEAD_NOT_ON_HOST';

/** Training data, options, a checkpoint or a head do not fit the trainer's contract; `code` says which. */
export class TrainError extends CvfError {
  declare readonly code: TrainErrorCode;
  constructor(code: TrainErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
  }
}

/** A model bundle that cannot be used: not a bundle, damaged, or written by an incompatible version. */
export class BundleError extends CvfError {
  constructor(code: 'BUNDLE_INVALID' | 'BUNDLE_CORRUPT' | 'BUNDLE_VERSION_UNSUPPORTED' | 'BUNDLE_NOT_FOUND' | 'BUNDLE_SIGNATURE_INVALID', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Stable codes of feature extractor and PCA failures (bad options, use before fit, unreadable saved state). */
export type FeatureErrorCode = 'FEATURE_OPTION_INVALID' | 'FEATURE_NOT_FITTED' | 'FEATURE_STATE_CORRUPT' | 'FEATURE_STATE_UNSUPPORTED';

export class FeatureError extends CvfError {
  declare readonly code: FeatureErrorCode;
  constructor(code: FeatureErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
  }
}

/** Stable codes of vector index and retrieval failures. */
export type IndexErrorCode =
  | 'INDEX_INVALID_ARGUMENT'
  | 'INDEX_DIMENSION_MISMATCH'
  | 'INDEX_INVALID_VECTOR'
  | 'INDEX_DUPLICATE_ID'
  | 'INDEX_ID_NOT_FOUND'
  | 'INDEX_INVALID_FILTER'
  | 'INDEX_INVALID_METADATA'
  | 'INDEX_CORRUPT'
  | 'INDEX_VERSION_UNSUPPORTED'
  | 'INDEX_KIND_UNAVAILABLE';

/** A vector index or retriever refused an input, or stored index data could not be trusted; `code` says which. */
export class IndexError extends CvfError {
  declare readonly code: IndexErrorCode;
  constructor(code: IndexErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
  }
}

/** A pipeline run that cannot proceed: an unsupported combination of settings, a stage that failed. */
export class PipelineError extends CvfError {
  constructor(code: 'PIPELINE_UNSUPPORTED' | 'PIPELINE_FAILED' | 'PIPELINE_ABORTED', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** WebGPU rejected a command (a defect or a limit the checks missed); results since then are not trusted. */
export class WebGpuValidationError extends CvfError {
  constructor(message: string) {
    super('WEBGPU_VALIDATION', `WebGPU rejected a command: ${message.split('\n')[0]}`);
  }
}

/**
 * A numerical method failed on data it should handle (an eigensolver that did not converge): not
 * bad input, so the message says what to change — another method, fewer components — to go on.
 */
export class NumericalError extends CvfError {
  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super('NUMERICAL_FAILURE', message, options);
  }
}

/**
 * An input does not suit the model it was given to: one field of the bundle's input contract
 * (modality, photometric interpretation, bits, size, body part) differs. `details` holds the
 * field, the expected value(s) and what was found.
 */
export class InputContractError extends CvfError {
  readonly field: string;
  readonly expected: string;
  readonly found: string;
  constructor(field: string, expected: string, found: string, message: string) {
    super('INPUT_CONTRACT_MISMATCH', message, { details: { field, expected, found } });
    this.field = field;
    this.expected = expected;
    this.found = found;
  }
}

/** Stable codes of drift detection failures: bad live data, a reference that does not fit it (or a bundle without the input reference), an unknown method or option. */
export type DriftErrorCode = 'DRIFT_INVALID_DATA' | 'DRIFT_REFERENCE_MISMATCH' | 'DRIFT_OPTION_INVALID' | 'DRIFT_NO_INPUT_REFERENCE';

/** A drift test could not run on what it was given; `code` says why and the message names the value and the valid options. */
export class DriftError extends CvfError {
  declare readonly code: DriftErrorCode;
  constructor(code: DriftErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
  }
}

/** Stable codes of the monitor's triggers: a bad fed-back label or prediction id, a bad event, a schedule that cannot run. */
export type MonitorErrorCode = 'MONITOR_FEEDBACK_INVALID' | 'MONITOR_PREDICTION_UNKNOWN' | 'MONITOR_EVENT_INVALID' | 'MONITOR_SCHEDULE_INVALID';

/** A trigger, fed-back label or scheduled action the monitor refuses or could not carry out; the message names the value and the valid options. */
export class MonitorError extends CvfError {
  declare readonly code: MonitorErrorCode;
  constructor(code: MonitorErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
  }
}

/** Stable codes of `cvf retrain`: a champion whose classes are not the config's, a model name or added data it cannot use. */
export type RetrainErrorCode = 'RETRAIN_CLASSES_DIFFER' | 'RETRAIN_OPTION_INVALID';

/** Retraining cannot compare or register the models it was given; the message names the value and what was expected. */
export class RetrainError extends CvfError {
  declare readonly code: RetrainErrorCode;
  constructor(code: RetrainErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
  }
}

/**
 * Stable codes of `cvf consume` on message streams. STREAM_PAYLOAD_INVALID: a message without an
 * id, with neither or both of an image and a reference, or a field of the wrong kind;
 * STREAM_REFERENCE_FAILED: a referenced file or URL could not be read; STREAM_ENTRY_DELETED: the
 * entry left the stream (trimmed) before it was processed; STREAM_DELIVERY_LIMIT: a message was
 * delivered more often than allowed (it kept killing its consumers); STREAM_URL_INVALID: a server URL or
 * stream option that cannot be used; STREAM_SERVER_FAILED: the server refused or dropped a call.
 */
export type StreamErrorCode = 'STREAM_PAYLOAD_INVALID' | 'STREAM_REFERENCE_FAILED' | 'STREAM_ENTRY_DELETED' | 'STREAM_DELIVERY_LIMIT' | 'STREAM_URL_INVALID' | 'STREAM_SERVER_FAILED';

/** A message of a stream could not be turned into an input, or the stream itself cannot be used; the message names the value and the valid options. */
export class StreamError extends CvfError {
  declare readonly code: StreamErrorCode;
  constructor(code: StreamErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
  }
}
