import { create } from 'zustand';
import { api } from '../../api/client.js';
import type { RunStatus, RunSummary } from '../../api/schemas.js';

export type SortKey = 'startedAt' | 'durationMs' | 'status' | 'name' | `metric:${string}`;

/** /runs: every run, the filter and sort the user chose, and the runs picked for comparison. */
interface RunsState {
  runs: RunSummary[] | null;
  error: unknown;
  query: string;
  status: RunStatus | '';
  sort: { key: SortKey; descending: boolean };
  /** Run ids picked for comparison, in the order picked. */
  picked: string[];
  load(): Promise<void>;
  setQuery(query: string): void;
  setStatus(status: RunStatus | ''): void;
  sortBy(key: SortKey): void;
  togglePick(id: string): void;
  clearPicked(): void;
}

export const MAX_COMPARED = 10;

let inflight: Promise<void> | null = null;

export const useRunsStore = create<RunsState>((set, get) => ({
  runs: null,
  error: null,
  query: '',
  status: '',
  sort: { key: 'startedAt', descending: true },
  picked: [],

  load() {
    // The route's loader and the page both ask on arrival: one request serves both.
    inflight ??= api
      .listRuns()
      .then(
        ({ runs }) => set({ runs, error: null }),
        (error: unknown) => set({ error }),
      )
      .finally(() => (inflight = null));
    return inflight;
  },
  setQuery: (query) => set({ query }),
  setStatus: (status) => set({ status }),
  sortBy(key) {
    const { sort } = get();
    set({ sort: { key, descending: sort.key === key ? !sort.descending : key !== 'name' } });
  },
  togglePick(id) {
    const { picked } = get();
    if (picked.includes(id)) set({ picked: picked.filter((p) => p !== id) });
    else if (picked.length < MAX_COMPARED) set({ picked: [...picked, id] });
  },
  clearPicked: () => set({ picked: [] }),
}));

/** The metrics worth a column, in this order when present: test scores first, then a tune search's best. */
const PREFERRED_METRICS = ['test.accuracy', 'test.balanced-accuracy', 'test.f1', 'test.log-loss', 'test.ece', 'best.accuracy', 'val.accuracy', 'train.loss'];

export function keyMetrics(runs: readonly RunSummary[], count = 3): string[] {
  const present = new Set(runs.flatMap((run) => Object.keys(run.metrics)));
  const chosen = PREFERRED_METRICS.filter((key) => present.has(key));
  for (const key of [...present].sort()) if (chosen.length < count && !chosen.includes(key)) chosen.push(key);
  return chosen.slice(0, count);
}

/**
 * The runs the filter keeps, sorted, each child placed right under its parent (tune trials under
 * their search, resumes under the run they resumed), with its depth for indentation.
 */
export function visibleRuns(runs: readonly RunSummary[], query: string, status: RunStatus | '', sort: { key: SortKey; descending: boolean }): { run: RunSummary; depth: number }[] {
  const needle = query.trim().toLowerCase();
  const kept = runs.filter((run) => (status === '' || run.status === status) && (needle === '' || searchText(run).includes(needle)));
  const sorted = [...kept].sort((a, b) => compare(a, b, sort.key) * (sort.descending ? -1 : 1));
  const keptIds = new Set(sorted.map((r) => r.id));
  const children = new Map<string, RunSummary[]>();
  for (const run of sorted) if (run.parentId && keptIds.has(run.parentId)) children.set(run.parentId, [...(children.get(run.parentId) ?? []), run]);
  const out: { run: RunSummary; depth: number }[] = [];
  const place = (run: RunSummary, depth: number) => {
    out.push({ run, depth });
    for (const child of children.get(run.id) ?? []) place(child, depth + 1);
  };
  for (const run of sorted) if (!run.parentId || !keptIds.has(run.parentId)) place(run, 0);
  return out;
}

function searchText(run: RunSummary): string {
  return [run.id, run.name ?? '', run.experiment, run.status, run.model ? `${run.model.name}@${run.model.version}` : '', ...Object.entries(run.tags).map(([k, v]) => `${k}=${v}`)].join(' ').toLowerCase();
}

function compare(a: RunSummary, b: RunSummary, key: SortKey): number {
  if (key.startsWith('metric:')) {
    const metric = key.slice(7);
    return (a.metrics[metric] ?? -Infinity) - (b.metrics[metric] ?? -Infinity);
  }
  switch (key) {
    case 'startedAt':
      return a.startedAt - b.startedAt;
    case 'durationMs':
      return (a.durationMs ?? Infinity) - (b.durationMs ?? Infinity);
    case 'status':
      return a.status.localeCompare(b.status);
    case 'name':
      return (a.name ?? a.id).localeCompare(b.name ?? b.id);
    default:
      return 0;
  }
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
