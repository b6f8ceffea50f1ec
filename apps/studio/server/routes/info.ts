import { infoSchema } from '../../src/api/schemas.js';
import { sendJson } from '../http/respond.js';
import type { Route } from '../http/router.js';

export const infoRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/info',
    handle: ({ res, studio }) =>
      sendJson(res, infoSchema, { version: studio.version, store: studio.store.location, configsDir: studio.configs.folder.root, concurrency: studio.concurrency, dicomweb: studio.dicomweb }),
  },
];
