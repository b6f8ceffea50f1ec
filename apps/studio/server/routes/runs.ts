import { extname } from 'node:path';
import { runDetailSchema, runListQuerySchema, runListSchema, runSummarySchema, SSE_EVENTS } from '../../src/api/schemas.js';
import type { StudioContext } from '../context.js';
import { parseInput, queryOf, sendJson } from '../http/respond.js';
import type { Route } from '../http/router.js';
import { EventStream } from '../http/sse.js';
import { listRunSummaries, runDetail, runSummary } from '../tracking/run-views.js';

/** A run that the queue did not start (a terminal's `cvf train`) is watched in the store this often until it ends. */
const FOREIGN_RUN_POLL_MS = 1000;

const ARTIFACT_TYPES: Readonly<Record<string, string>> = { '.json': 'application/json; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.png': 'image/png', '.yaml': 'text/yaml; charset=utf-8' };

export const runRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/runs',
    handle: async ({ res, url, studio }) => {
      const query = parseInput(runListQuerySchema, queryOf(url), 'query');
      sendJson(res, runListSchema, { runs: await listRunSummaries(studio.store, query) });
    },
  },
  {
    method: 'GET',
    path: '/api/runs/:id',
    handle: async ({ res, params, studio }) => sendJson(res, runDetailSchema, await runDetail(studio.store, params.id!)),
  },
  {
    method: 'GET',
    path: '/api/runs/:id/events',
    handle: async ({ req, res, params, studio }) => {
      const runId = params.id!;
      const initial = await runSummary(studio.store, runId);
      const stream = new EventStream(req, res);
      const end = async () => {
        stream.send(SSE_EVENTS.end, runSummarySchema.parse(await runSummary(studio.store, runId)));
        stream.close();
      };
      const job = studio.queue.jobOfRun(runId);
      if (job && (job.state === 'queued' || job.state === 'running')) {
        const unsubscribe = studio.queue.subscribe(job.id, { line: (line) => stream.send(SSE_EVENTS.progress, line), end: () => void end().catch(() => stream.close()) });
        stream.onClose(unsubscribe);
      } else if (initial.status !== 'running') await end();
      else followForeignRun(studio, runId, stream, end);
    },
  },
  {
    method: 'GET',
    path: '/api/runs/:id/artifacts/*path',
    handle: async ({ req, res, params, studio }) => {
      const bytes = await studio.store.readArtifact(params.id!, params.path!);
      res.writeHead(200, { 'content-type': ARTIFACT_TYPES[extname(params.path!).toLowerCase()] ?? 'application/octet-stream', 'content-length': bytes.byteLength, 'cache-control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : bytes);
    },
  },
];

function followForeignRun(studio: StudioContext, runId: string, stream: EventStream, end: () => Promise<void>): void {
  const timer = setInterval(() => {
    studio.store.getRun(runId).then(
      (run) => {
        if (run.status !== 'running' && !stream.closed) {
          clearInterval(timer);
          end().catch(() => stream.close());
        }
      },
      // The run was deleted meanwhile: nothing more will come.
      () => stream.close(),
    );
  }, FOREIGN_RUN_POLL_MS);
  stream.onClose(() => clearInterval(timer));
}
