/**
 * Runs async tasks one after another: a parallel search holds the index's memory until its
 * workers are done, so the next waits for it rather than being refused. With nothing queued a
 * task starts at once (synchronously up to its first await).
 */
export class SearchQueue {
  #last: Promise<unknown> = Promise.resolve();
  #queued = 0;

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#queued === 0 ? task() : this.#last.then(task);
    this.#queued++;
    this.#last = result.finally(() => this.#queued--).catch(() => undefined);
    return result;
  }
}
