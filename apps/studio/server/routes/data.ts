import * as z from 'zod';
import { configPathSchema, dataSummarySchema } from '../../src/api/schemas.js';
import { datasetSummary } from '../data/dataset-summary.js';
import { thumbnailPng } from '../data/thumbnail-png.js';
import { StudioError } from '../errors.js';
import { parseInput, queryOf, sendJson } from '../http/respond.js';
import type { Route } from '../http/router.js';
import { sendPng } from './send-png.js';

const configQuery = z.object({ config: configPathSchema });
const thumbnailQuery = configQuery.extend({ id: z.string().min(1).max(4096) });

const thumbnailUrl = (config: string) => (id: string) => `/api/data/thumbnail?${new URLSearchParams({ config, id })}`;

export const dataRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/data',
    handle: async ({ res, url, studio }) => {
      const { config } = parseInput(configQuery, queryOf(url), 'query');
      const data = await studio.datasets.ofConfigFile(await studio.configs.resolveExisting(config));
      const [newest] = await studio.store.listVersions(data.config.registry.modelName ?? data.config.name);
      const model = newest ? { name: newest.name, version: newest.version, bundle: newest.bundle } : null;
      sendJson(res, dataSummarySchema, await datasetSummary(data, thumbnailUrl(config), model));
    },
  },
  {
    method: 'GET',
    path: '/api/data/thumbnail',
    handle: async ({ req, res, url, studio }) => {
      const { config, id } = parseInput(thumbnailQuery, queryOf(url), 'query');
      const data = await studio.datasets.ofConfigFile(await studio.configs.resolveExisting(config));
      const found = data.byId.get(id);
      if (!found) throw new StudioError('NOT_FOUND', `config "${config}" has no sample "${id.slice(0, 200)}"`);
      sendPng(req, res, await thumbnailPng(found.sample));
    },
  },
];
