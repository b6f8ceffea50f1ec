import type { Route } from '../http/router.js';
import { auditRoutes } from './audit.js';
import { configRoutes } from './configs.js';
import { dataRoutes } from './data.js';
import { deidRoutes } from './deid.js';
import { dicomwebRoutes } from './dicomweb.js';
import { infoRoutes } from './info.js';
import { modelRoutes } from './models.js';
import { queueRoutes } from './queue.js';
import { runCaseRoutes } from './run-cases.js';
import { runRoutes } from './runs.js';
import { teachRoutes } from './teach.js';

/** Every API route, one group per file: a new group is one import and one line here. */
export const API_ROUTES: readonly Route[] = [
  ...infoRoutes,
  ...configRoutes,
  ...queueRoutes,
  ...runRoutes,
  ...runCaseRoutes,
  ...modelRoutes,
  ...dataRoutes,
  ...teachRoutes,
  ...dicomwebRoutes,
  ...deidRoutes,
  ...auditRoutes,
];
