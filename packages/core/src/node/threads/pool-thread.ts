import { parentPort } from 'node:worker_threads';
import { CvfError } from '../../errors.js';
import { ScanTaskRunner } from '../../index/threads/run-scan-task.js';
import type { ThreadAnswer, ThreadRequest } from './thread-protocol.js';

// One thread of a ThreadPool: runs the shared-memory work the main thread splits (flat index scans).
// The data stays in the caller's SharedArrayBuffer; only pointers come in and candidates go out.
const scans = new ScanTaskRunner();

parentPort!.on('message', (request: ThreadRequest) => {
  scans.run(request.task).then(
    (value) => parentPort!.postMessage({ id: request.id, ok: true, value } satisfies ThreadAnswer, [value.offsets.buffer, value.slots.buffer, value.keys.buffer] as ArrayBuffer[]),
    (error: unknown) => {
      const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
      parentPort!.postMessage({ id: request.id, ok: false, name, code: error instanceof CvfError ? error.code : undefined, message } satisfies ThreadAnswer);
    },
  );
});
parentPort!.postMessage({ ready: true });
