import * as z from 'zod';
import { configFileSchema, configListSchema, configPathSchema, configSaveRequestSchema, configSaveResponseSchema } from '../../src/api/schemas.js';
import { parseInput, queryOf, readJson, sendJson } from '../http/respond.js';
import type { Route } from '../http/router.js';

export const configRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/configs',
    handle: async ({ res, studio }) => sendJson(res, configListSchema, { files: await studio.configs.list() }),
  },
  {
    method: 'GET',
    path: '/api/configs/file',
    handle: async ({ res, url, studio }) => {
      const { path } = parseInput(z.object({ path: configPathSchema }), queryOf(url), 'query');
      sendJson(res, configFileSchema, await studio.configs.read(path));
    },
  },
  {
    method: 'PUT',
    path: '/api/configs/file',
    handle: async ({ req, res, studio }) => sendJson(res, configSaveResponseSchema, await studio.configs.save(await readJson(req, configSaveRequestSchema))),
  },
];
