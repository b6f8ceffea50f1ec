import * as z from 'zod';
import { pathText } from './common.js';

export const trackingSchema = z
  .strictObject({
    store: pathText().default('.cvf').describe('tracking store: a folder (SQLite database + artifacts), relative to the working directory, or a postgres:// URL (PostgreSQL; run files in its ?artifacts=DIR, default .cvf)'),
    experiment: z.string().min(1).optional().describe('experiment the runs are grouped under; default: the pipeline name'),
    tags: z.record(z.string().min(1), z.string()).default({}).describe('tags added to every run, e.g. { dataset: v3 }'),
  })
  .prefault({})
  .describe('experiment tracking');
