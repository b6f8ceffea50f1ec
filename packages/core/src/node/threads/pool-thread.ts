import { parentPort } from 'node:worker_threads';
import { ScanTaskRunner } from '../../index/threads/run-scan-task.js';
import { answerThreadRequest } from '../../index/threads/thread-answers.js';
import type { ThreadReady, ThreadRequest } from '../../index/threads/thread-protocol.js';

// One thread of a ThreadPool: runs the shared-memory work the main thread splits (flat index scans, HNSW inserts).
// The data stays in the caller's SharedArrayBuffer; only pointers come in and candidates go out.
const scans = new ScanTaskRunner();

parentPort!.on('message', (request: ThreadRequest) => {
  void answerThreadRequest(scans, request).then(({ answer, transfer }) => parentPort!.postMessage(answer, transfer));
});
parentPort!.postMessage({ ready: true } satisfies ThreadReady);
