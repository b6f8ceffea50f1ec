/**
 * Runs `work` for a frame only when the previous run has finished: a frame that arrives while one
 * is in flight is dropped (counted through `onDrop`), never queued, so a slow model always works
 * on a recent frame and never falls behind the video. `work` handles its own errors (it must not
 * reject): the page shows them.
 */
export function oneInFlight<A extends unknown[]>(work: (...args: A) => Promise<void>, onDrop: () => void): (...args: A) => void {
  let busy = false;
  return (...args) => {
    if (busy) return onDrop();
    busy = true;
    void work(...args).finally(() => (busy = false));
  };
}
