import { CvfError } from '@cvf/core';

/**
 * An error that carries the HTTP status it answers with. Everything else the server throws is
 * mapped by `httpStatusOf`: a bad input is never a 500.
 */
export class HttpError extends CvfError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, options: { headers?: Record<string, string>; cause?: unknown } = {}) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HttpError';
    this.status = status;
    this.headers = options.headers ?? {};
  }
}

/** Codes of input errors the core and @cvf/medical throw, by the status that answers them. */
const STATUS_BY_CODE_PREFIX: readonly [prefix: string, status: number][] = [
  ['INPUT_UNSUPPORTED_MEDIA', 415],
  ['IMAGE_UNSUPPORTED_FORMAT', 415],
  ['DICOM_NOT_DICOM', 415],
  ['DICOM_UNSUPPORTED_TRANSFER_SYNTAX', 422],
  ['DICOM_TOO_LARGE', 413],
  ['INPUT_CONTRACT_MISMATCH', 422],
  ['DICOM_', 422],
  ['IMAGE_', 422],
  ['SHAPE_MISMATCH', 400],
  ['MONITOR_FEEDBACK_INVALID', 400],
  ['DTYPE_UNSUPPORTED', 400],
];

/** The HTTP status an error answers with: its own, an input error's 4xx, else 500. */
export function httpStatusOf(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof CvfError) {
    for (const [prefix, status] of STATUS_BY_CODE_PREFIX) if (error.code.startsWith(prefix)) return status;
  }
  return 500;
}
