import { sendJson } from './http/respond.js';
import type { Route } from './http/route.js';
import type { ServerState } from './server-state.js';

/** Kubernetes-style probe aliases of the v2 health routes (same answers: 200, or 400 when not ready), and the Prometheus scrape endpoint. */
export const serviceRoutes: Route<ServerState>[] = [
  { method: 'GET', path: /^\/healthz$/, label: '/healthz', errors: 'coded', auth: false, handle: async ({ response }) => sendJson(response, 200, { live: true }) },
  {
    method: 'GET',
    path: /^\/readyz$/,
    label: '/readyz',
    errors: 'coded',
    auth: false,
    handle: async ({ response }, state) => sendJson(response, state.ready() ? 200 : 400, { ready: state.ready() }),
  },
  {
    method: 'GET',
    path: /^\/metrics$/,
    label: '/metrics',
    errors: 'coded',
    auth: true,
    handle: async ({ response }, { metrics }) => {
      const text = await metrics.registry.metrics();
      response.writeHead(200, { 'content-type': metrics.registry.contentType, 'content-length': Buffer.byteLength(text) }).end(text);
    },
  },
];
