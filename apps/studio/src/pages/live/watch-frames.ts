/**
 * Calls `onFrame` once for each new frame the `<video>` element presents (requestVideoFrameCallback;
 * where a browser lacks it, on animation frames whose media time moved). A paused video presents
 * no frames, so it calls nothing until it plays again. Returns the function that stops watching.
 */
export function watchFrames(video: HTMLVideoElement, onFrame: () => void): () => void {
  let stopped = false;
  if (typeof HTMLVideoElement.prototype.requestVideoFrameCallback === 'function') {
    let handle = 0;
    const next = () => {
      if (stopped) return;
      onFrame();
      handle = video.requestVideoFrameCallback(next);
    };
    handle = video.requestVideoFrameCallback(next);
    return () => {
      stopped = true;
      video.cancelVideoFrameCallback(handle);
    };
  }
  let last = -1;
  let handle = 0;
  const poll = () => {
    if (stopped) return;
    if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.currentTime !== last) {
      last = video.currentTime;
      onFrame();
    }
    handle = requestAnimationFrame(poll);
  };
  handle = requestAnimationFrame(poll);
  return () => {
    stopped = true;
    cancelAnimationFrame(handle);
  };
}
