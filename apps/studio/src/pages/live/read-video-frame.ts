import { imageTensor, type ImageTensor } from '@cvf/core';

/** How the page reads a frame's pixels: WebCodecs (a VideoFrame converted to RGBA) or a 2D canvas. */
export type FrameReader = 'webcodecs' | 'canvas';

export interface ReadFrame {
  /** The frame at its own size, RGBA u8: what `decodeInput` gives for an RGBA image; the Predictor's preprocessing resizes it and converts its colour. */
  readonly image: ImageTensor<'u8'>;
  readonly reader: FrameReader;
}

/** Set once a VideoFrame could not be converted to RGBA here: every later frame goes through the canvas. */
let webCodecsFailed = false;
let canvas: OffscreenCanvas | null = null;

/**
 * The pixels of the frame the `<video>` element shows now. WebCodecs where the browser has it (a
 * VideoFrame of the element, copied out as RGBA: no drawing), else a 2D canvas (drawImage +
 * getImageData). The pixels stay in this page.
 */
export async function readVideoFrame(video: HTMLVideoElement): Promise<ReadFrame> {
  if (typeof VideoFrame === 'function' && !webCodecsFailed) {
    try {
      return { image: await copyVideoFrame(video), reader: 'webcodecs' };
    } catch (error) {
      // Older browsers can copy a VideoFrame only in its own pixel format (I420, NV12): the canvas converts instead.
      webCodecsFailed = true;
      console.info(`WebCodecs frames unavailable (${(error as Error).message}); reading frames through a canvas`);
    }
  }
  return { image: drawVideoFrame(video), reader: 'canvas' };
}

async function copyVideoFrame(video: HTMLVideoElement): Promise<ImageTensor<'u8'>> {
  const frame = new VideoFrame(video);
  try {
    const { width, height } = frame.visibleRect!;
    const data = new Uint8Array(width * height * 4);
    await frame.copyTo(data, { format: 'RGBA', colorSpace: 'srgb', layout: [{ offset: 0, stride: width * 4 }] });
    return imageTensor('u8', { height, width, channels: 4 }, data);
  } finally {
    frame.close();
  }
}

function drawVideoFrame(video: HTMLVideoElement): ImageTensor<'u8'> {
  const { videoWidth: width, videoHeight: height } = video;
  if (!canvas || canvas.width !== width || canvas.height !== height) canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(video, 0, 0, width, height);
  const { data } = context.getImageData(0, 0, width, height);
  return imageTensor('u8', { height, width, channels: 4 }, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}
