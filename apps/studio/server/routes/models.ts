import * as z from 'zod';
import { modelListSchema, promoteRequestSchema, promoteResponseSchema } from '../../src/api/schemas.js';
import { parseInput, readJson, sendJson } from '../http/respond.js';
import type { Route } from '../http/router.js';
import { readBundleFile } from '../tracking/bundle-files.js';
import { listModels, promote } from '../tracking/model-views.js';

const versionParam = z.object({ version: z.coerce.number().int().positive() });

export const modelRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/models',
    handle: async ({ res, studio }) => sendJson(res, modelListSchema, { models: await listModels(studio.store) }),
  },
  {
    method: 'POST',
    path: '/api/models/:name/aliases/:alias',
    handle: async ({ req, res, params, studio }) => {
      const { version } = await readJson(req, promoteRequestSchema);
      sendJson(res, promoteResponseSchema, await promote(studio.store, params.name!, params.alias!, version));
    },
  },
  {
    method: 'GET',
    path: '/api/models/:name/versions/:version/bundle/*file',
    handle: async ({ req, res, params, studio }) => {
      const { version } = parseInput(versionParam, params, 'path');
      const bytes = await readBundleFile(studio.store, params.name!, version, params.file!);
      if (!bytes) return void res.writeHead(204, { 'cache-control': 'private, max-age=3600' }).end();
      const type = params.file === 'manifest.json' ? 'application/json; charset=utf-8' : 'application/octet-stream';
      // A registered version's files never change: the browser may keep them.
      res.writeHead(200, { 'content-type': type, 'content-length': bytes.byteLength, 'cache-control': 'private, max-age=3600' });
      res.end(req.method === 'HEAD' ? undefined : bytes);
    },
  },
];
