// One Web Worker of a browser scan pool: runs the flat-index scans the page splits and the inserts of
// a parallel HNSW build, over the index's WebAssembly memory shared with the page (a
// SharedArrayBuffer: the page is cross-origin isolated). Only pointers come in and candidates go
// out; the kernels are the ones Node's worker threads run. A worker, unlike the page, may block in
// Atomics.wait on a graph node's lock.
import { ScanTaskRunner } from '../threads/run-scan-task.js';
import { answerThreadRequest } from '../threads/thread-answers.js';
import type { ThreadReady, ThreadRequest } from '../threads/thread-protocol.js';

/** The dedicated worker's global scope, as far as this script uses it (core compiles against the DOM library, not the worker one). */
declare const self: {
  onmessage: ((event: MessageEvent<ThreadRequest>) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
};

const scans = new ScanTaskRunner();

self.onmessage = (event) => {
  void answerThreadRequest(scans, event.data).then(({ answer, transfer }) => self.postMessage(answer, transfer));
};
self.postMessage({ ready: true } satisfies ThreadReady);
