import { jobSchema, queueRequestSchema, queueSchema, SSE_EVENTS } from '../../src/api/schemas.js';
import { readJson, sendJson } from '../http/respond.js';
import type { Route } from '../http/router.js';
import { EventStream } from '../http/sse.js';

export const queueRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/queue',
    handle: ({ res, studio }) => sendJson(res, queueSchema, { jobs: studio.queue.list() }),
  },
  {
    method: 'POST',
    path: '/api/queue',
    handle: async ({ req, res, studio }) => {
      const request = await readJson(req, queueRequestSchema);
      const configPath = await studio.configs.resolveExisting(request.config);
      sendJson(res, jobSchema, studio.queue.enqueue(request.config, configPath, request.overrides ?? []), 201);
    },
  },
  {
    method: 'DELETE',
    path: '/api/queue/:jobId',
    handle: ({ res, params, studio }) => sendJson(res, jobSchema, studio.queue.cancel(params.jobId!)),
  },
  {
    method: 'GET',
    path: '/api/queue/:jobId/events',
    handle: ({ req, res, params, studio }) => {
      studio.queue.get(params.jobId!);
      const stream = new EventStream(req, res);
      const unsubscribe = studio.queue.subscribe(params.jobId!, {
        line: (line) => stream.send(SSE_EVENTS.progress, line),
        end: (job) => {
          stream.send(SSE_EVENTS.end, jobSchema.parse(job));
          stream.close();
        },
      });
      stream.onClose(unsubscribe);
    },
  },
];
