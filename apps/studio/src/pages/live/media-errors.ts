/** What went wrong with a camera or a video, said so that a person knows what to do next. */

/** The words for a `getUserMedia` failure, by the DOMException's name (Media Capture and Streams). */
export function cameraErrorText(error: unknown): string {
  const name = (error as { name?: string } | null)?.name ?? '';
  const detail = (error as { message?: string } | null)?.message;
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'The camera was refused: allow camera access for this site in the browser (the camera icon in the address bar), or open a video file instead.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found: connect one and press Start camera again, or open a video file instead.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera could not be read: another application may be using it. Close it and press Start camera again.';
    default:
      return `The camera could not be opened${detail ? ` (${name || 'Error'}: ${detail})` : ''}.`;
  }
}

/** Why this page cannot ask for a camera at all, or null when it can. */
export function cameraUnavailableText(): string | null {
  if (typeof navigator.mediaDevices?.getUserMedia === 'function') return null;
  return window.isSecureContext
    ? 'This browser gives pages no camera access; open a video file instead.'
    : 'Cameras need a secure page: open the studio over https or at http://localhost, or open a video file instead.';
}

const MEDIA_ERROR_TEXT: Readonly<Record<number, string>> = {
  1: 'its loading was aborted',
  2: 'it could not be read',
  3: 'it is damaged or in a codec this browser cannot decode',
  4: 'its format or codec is not one this browser plays (try WebM or MP4/H.264)',
};

/** The words for a `<video>` element's MediaError on file `name`. */
export function videoErrorText(name: string, error: { code: number; message?: string } | null): string {
  const why = (error && MEDIA_ERROR_TEXT[error.code]) ?? 'it could not be played';
  return `The video "${name}" cannot be played: ${why}${error?.message ? ` (${error.message})` : ''}.`;
}
