import { CvfError } from '@cvf/core';
import { cameraErrorText, cameraUnavailableText, videoErrorText } from './media-errors.js';

/** What the page plays: a camera (by device id; null for the browser's default) or a video file opened or dropped on the page. */
export type LiveSourceRequest = { readonly kind: 'camera'; readonly deviceId: string | null } | { readonly kind: 'file'; readonly file: File };

/** A camera the browser lists; its label is empty until the page was allowed a camera once. */
export interface CameraChoice {
  readonly deviceId: string;
  readonly label: string;
}

/** A source playing in the `<video>` element: its name for the page, and how to let go of it (camera off, file URL freed). */
export interface OpenedSource {
  readonly name: string;
  /** The camera that plays (the browser's default when none was asked for). */
  readonly deviceId?: string;
  close(): void;
}

type LiveSourceCode = 'LIVE_CAMERA_FAILED' | 'LIVE_VIDEO_FAILED';

/** A camera or a video that cannot play, in the words the page shows. */
export class LiveSourceError extends CvfError {
  constructor(code: LiveSourceCode, message: string) {
    super(code, message);
  }
}

/** The cameras of this machine, in the browser's order. */
export async function listCameras(): Promise<CameraChoice[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((d) => d.kind === 'videoinput').map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }));
}

/**
 * Plays `request` in `video` and resolves once its first frame is there; throws LiveSourceError
 * with the words to show (camera refused, no camera, a file the browser cannot decode).
 * `onCameraLost` is called when a playing camera goes away (unplugged, turned off, taken).
 */
export async function openSource(video: HTMLVideoElement, request: LiveSourceRequest, onCameraLost: () => void): Promise<OpenedSource> {
  return request.kind === 'camera' ? openCamera(video, request.deviceId, onCameraLost) : openFile(video, request.file);
}

async function openCamera(video: HTMLVideoElement, deviceId: string | null, onLost: () => void): Promise<OpenedSource> {
  const unavailable = cameraUnavailableText();
  if (unavailable) throw new LiveSourceError('LIVE_CAMERA_FAILED', unavailable);
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: deviceId ? { deviceId: { exact: deviceId } } : true });
  } catch (error) {
    throw new LiveSourceError('LIVE_CAMERA_FAILED', cameraErrorText(error));
  }
  const track = stream.getVideoTracks()[0];
  // The browser ends the track when the camera goes away; stopping it here does not end it.
  track?.addEventListener('ended', onLost);
  const close = () => {
    track?.removeEventListener('ended', onLost);
    for (const t of stream.getTracks()) t.stop();
    video.srcObject = null;
  };
  video.srcObject = stream;
  video.loop = false;
  try {
    await play(video, 'LIVE_CAMERA_FAILED', () => cameraErrorText(null));
  } catch (error) {
    close();
    throw error;
  }
  const playing = track?.getSettings().deviceId;
  return { name: track?.label || 'camera', ...(playing ? { deviceId: playing } : {}), close };
}

async function openFile(video: HTMLVideoElement, file: File): Promise<OpenedSource> {
  const url = URL.createObjectURL(file);
  const close = () => {
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
  };
  video.srcObject = null;
  video.src = url;
  try {
    await play(video, 'LIVE_VIDEO_FAILED', () => videoErrorText(file.name, video.error));
  } catch (error) {
    close();
    throw error;
  }
  return { name: file.name, close };
}

/** Starts playback and waits for the first frame, or for the element's error (in `words`). */
async function play(video: HTMLVideoElement, code: LiveSourceCode, words: () => string): Promise<void> {
  video.muted = true;
  video.playsInline = true;
  await new Promise<void>((resolve, reject) => {
    const done = () => {
      video.removeEventListener('loadeddata', loaded);
      video.removeEventListener('error', failed);
    };
    const loaded = () => (done(), resolve());
    const failed = () => (done(), reject(new LiveSourceError(code, words())));
    if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) return resolve();
    video.addEventListener('loadeddata', loaded);
    video.addEventListener('error', failed);
  });
  try {
    await video.play();
  } catch (error) {
    throw new LiveSourceError(code, video.error ? words() : `Playback did not start (${(error as Error).message}).`);
  }
}
