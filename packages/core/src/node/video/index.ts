// Video files decoded by ffmpeg child processes into raw frames (Node only).
export { DEFAULT_FFMPEG, DEFAULT_FFPROBE, type FfmpegTools } from './ffmpeg-tools.js';
export { probeVideo, type VideoInfo } from './probe-video.js';
export { openVideoFrames, type VideoFrame, type VideoFrames, type VideoFramesOptions } from './video-frames.js';
export { VideoError, type VideoErrorCode } from './video-error.js';
