import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, useRouteError } from 'react-router';
import { useRunsStore } from '../pages/runs/runs-store.js';
import { ErrorMessage } from './error-message.js';
import { Layout } from './layout.js';

// Each page is its own chunk: CodeMirror, uPlot and onnxruntime-web load only with the page that needs them.
const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] }));

const PipelinesPage = page(() => import('../pages/pipelines/pipelines-page.js'), 'PipelinesPage');
const RunsPage = page(() => import('../pages/runs/runs-page.js'), 'RunsPage');
const RunPage = page(() => import('../pages/runs/run-page.js'), 'RunPage');
const ComparePage = page(() => import('../pages/runs/compare-page.js'), 'ComparePage');
const ModelsPage = page(() => import('../pages/models/models-page.js'), 'ModelsPage');
const DataPage = page(() => import('../pages/data/data-page.js'), 'DataPage');
const ViewerPage = page(() => import('../pages/viewer/viewer-page.js'), 'ViewerPage');
const LivePage = page(() => import('../pages/live/live-page.js'), 'LivePage');
const DevicePage = page(() => import('../pages/device/device-page.js'), 'DevicePage');

const loading = <p className="muted" aria-busy="true">Loading…</p>;
const wrap = (node: ReactNode) => <Suspense fallback={loading}>{node}</Suspense>;

export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Navigate to="/runs" replace /> },
      { path: 'pipelines', element: wrap(<PipelinesPage />) },
      // The runs are fetched as the route matches, while the page's chunk is still loading.
      { path: 'runs', element: wrap(<RunsPage />), loader: prefetchRuns },
      { path: 'runs/compare', element: wrap(<ComparePage />) },
      { path: 'runs/:id', element: wrap(<RunPage />) },
      { path: 'models', element: wrap(<ModelsPage />) },
      { path: 'data', element: wrap(<DataPage />) },
      { path: 'viewer', element: wrap(<ViewerPage />) },
      { path: 'live', element: wrap(<LivePage />) },
      { path: 'device', element: wrap(<DevicePage />) },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

function prefetchRuns(): null {
  void useRunsStore.getState().load();
  return null;
}

function RouteError() {
  return (
    <main className="page">
      <ErrorMessage error={useRouteError()} title="This page failed" onRetry={() => window.location.reload()} />
    </main>
  );
}

function NotFound() {
  return <ErrorMessage error={new Error(`no page at ${window.location.pathname}; use the navigation above`)} title="Not found" />;
}
