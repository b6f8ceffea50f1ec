import { CvfError } from '@cvf/core';

/** Codes the studio server itself answers with, and their HTTP status. */
export const STUDIO_ERROR_STATUS = {
  REQUEST_INVALID: 400,
  CONFIG_PATH_INVALID: 400,
  UNAUTHORIZED: 401,
  ORIGIN_FORBIDDEN: 403,
  HOST_FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFIG_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFIG_CONFLICT: 409,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  STUDIO_OPTIONS_INVALID: 500,
} as const;
export type StudioErrorCode = keyof typeof STUDIO_ERROR_STATUS;

/** An error of the studio server: its code decides the HTTP status. */
export class StudioError extends CvfError {
  constructor(code: StudioErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Codes of the libraries below the server (tracking, bundles, configs, files) that are not the server's fault. */
const LIBRARY_ERROR_STATUS: Readonly<Record<string, number>> = {
  TRACKING_NOT_FOUND: 404,
  TRACKING_INVALID: 400,
  TRACKING_CONFLICT: 409,
  BUNDLE_NOT_FOUND: 404,
  FILE_UNREADABLE: 404,
  FILE_NOT_REGULAR: 400,
  FILE_TOO_LARGE: 413,
  CONFIG_INVALID: 400,
};

/** The HTTP status of an error: the studio's table, then the libraries'; other coded errors are 400 (bad input), anything else 500. */
export function httpStatusOf(error: unknown): number {
  if (!(error instanceof CvfError)) return 500;
  return (STUDIO_ERROR_STATUS as Readonly<Record<string, number>>)[error.code] ?? LIBRARY_ERROR_STATUS[error.code] ?? 400;
}
