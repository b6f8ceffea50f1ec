import { parentPort } from 'node:worker_threads';
import { CvfError, OnnxError } from '../../errors.js';
import type { OnnxSession } from '../../onnx/session.js';
import { createOrtNodeRuntime } from '../ort-node.js';
import { tensorBuffers, type OrtWorkerAnswer, type OrtWorkerRequest, type RunAnswer } from './ort-worker-protocol.js';

// The thread that owns onnxruntime-node's sessions. Its `run` is synchronous native code: here it
// blocks this thread only, and the server's event loop goes on reading and answering requests.
const sessions = new Map<number, OnnxSession>();
let nextSession = 0;

/** The answer to a request, and the buffers to move with it rather than copy. */
async function handle(request: OrtWorkerRequest): Promise<[OrtWorkerAnswer & { ok: true }, ArrayBuffer[]]> {
  const runtime = await createOrtNodeRuntime();
  switch (request.op) {
    case 'create': {
      const session = await runtime.createSession(request.model, request.options);
      const handle = nextSession++;
      sessions.set(handle, session);
      const { inputNames, outputNames, executionProvider } = session;
      return [{ id: request.id, ok: true, value: { session: handle, inputNames, outputNames, executionProvider } }, []];
    }
    case 'run': {
      const session = sessions.get(request.session);
      if (!session) throw new OnnxError('ONNX_RUN_FAILED', 'the ONNX session was released; create a new one to run the model');
      const outputs = await session.run(request.feeds, request.outputNames);
      // The outputs are fresh arrays that nothing here reads again; so are the feeds after the run,
      // which go back for the caller's next ones if it asked.
      const feeds = request.returnFeeds ? tensorBuffers(Object.values(request.feeds).filter((t) => t.type === 'float32')) : [];
      const answer: RunAnswer = { outputs, feeds };
      return [{ id: request.id, ok: true, value: answer }, [...tensorBuffers(Object.values(outputs)), ...feeds]];
    }
    case 'release':
      await sessions.get(request.session)?.release();
      sessions.delete(request.session);
      return [{ id: request.id, ok: true, value: null }, []];
  }
}

parentPort!.on('message', (request: OrtWorkerRequest) => {
  handle(request).then(
    ([answer, transfer]) => parentPort!.postMessage(answer, transfer),
    (error: unknown) => {
      const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
      parentPort!.postMessage({ id: request.id, ok: false, name, code: error instanceof CvfError ? error.code : undefined, message } satisfies OrtWorkerAnswer);
    },
  );
});
parentPort!.postMessage({ ready: true });
