import * as z from 'zod';
import { misclassifiedQuerySchema, misclassifiedSchema } from '../../src/api/schemas.js';
import { thumbnailPng } from '../data/thumbnail-png.js';
import { StudioError } from '../errors.js';
import { parseInput, queryOf, sendJson } from '../http/respond.js';
import type { Route } from '../http/router.js';
import { sendPng } from './send-png.js';

/** Cases listed per confusion-matrix cell. */
const MAX_CASES = 200;

const caseQuery = z.object({ id: z.string().min(1).max(4096) });
const caseThumbnailUrl = (runId: string, id: string) => `/api/runs/${encodeURIComponent(runId)}/cases/thumbnail?${new URLSearchParams({ id })}`;

/** The test cases behind a run's confusion matrix: a cell's cases and their thumbnails. */
export const runCaseRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/runs/:id/misclassified',
    handle: async ({ res, url, params, studio }) => {
      const { actual, predicted } = parseInput(misclassifiedQuerySchema, queryOf(url), 'query');
      const set = await studio.testSets.of(params.id!);
      for (const [name, index] of [['actual', actual], ['predicted', predicted]] as const) {
        if (index >= set.classes.length) throw new StudioError('REQUEST_INVALID', `${name}=${index} is not a class index; the run has ${set.classes.length} classes (0–${set.classes.length - 1})`);
      }
      const cases = set.predictions
        .filter((p) => p.actual === actual && p.predicted === predicted)
        .slice(0, MAX_CASES)
        .map((p) => ({ id: p.id, label: set.classes[p.actual]!, predicted: set.classes[p.predicted]!, thumbnailUrl: caseThumbnailUrl(params.id!, p.id) }));
      sendJson(res, misclassifiedSchema, { cases });
    },
  },
  {
    method: 'GET',
    path: '/api/runs/:id/cases/thumbnail',
    handle: async ({ req, res, url, params, studio }) => {
      const { id } = parseInput(caseQuery, queryOf(url), 'query');
      const found = (await studio.testSets.dataset(params.id!)).byId.get(id);
      if (!found) throw new StudioError('NOT_FOUND', `run ${params.id}'s dataset has no sample "${id.slice(0, 200)}"`);
      sendPng(req, res, await thumbnailPng(found.sample));
    },
  },
];
