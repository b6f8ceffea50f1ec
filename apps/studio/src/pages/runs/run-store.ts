import { create } from 'zustand';
import { api, type Unsubscribe } from '../../api/client.js';
import type { ProgressLine, RunDetail } from '../../api/schemas.js';
import { isProgressLine } from './train-line.js';

/** /runs/:id: the run's detail, and while it runs, its live progress over SSE. */
interface RunState {
  id: string | null;
  detail: RunDetail | null;
  error: unknown;
  /** The latest progress line, and every epoch's metrics seen live (for the chart before the store has them). */
  live: ProgressLine | null;
  /** Why the live stream stopped early, in words (the run's page stays). */
  liveError: unknown;
  /** Set when the live stream ended (the run finished, failed or was killed while the page was open). */
  ended: boolean;
  open(id: string): void;
  close(): void;
}

let unsubscribe: Unsubscribe | null = null;

export const useRunStore = create<RunState>((set, get) => {
  const load = async (id: string) => {
    try {
      const detail = await api.getRun(id);
      if (get().id !== id) return;
      set({ detail, error: null });
      if (detail.run.status === 'running' && !unsubscribe) follow(id);
    } catch (error) {
      if (get().id === id) set({ error });
    }
  };
  const follow = (id: string) => {
    let lastReload = 0;
    unsubscribe = api.followRun(id, {
      onLine: (line) => {
        if (!isProgressLine(line) || get().id !== id) return;
        set({ live: line });
        // A new epoch's metrics are in the store: refresh the charts, at most every 2 s.
        if (line.metrics && Date.now() - lastReload > 2000) {
          lastReload = Date.now();
          void load(id);
        }
      },
      onEnd: () => {
        unsubscribe = null;
        if (get().id !== id) return;
        set({ ended: true });
        void load(id);
      },
      onError: (error) => {
        unsubscribe = null;
        if (get().id === id) set({ liveError: error });
      },
    });
  };
  return {
    id: null,
    detail: null,
    error: null,
    live: null,
    liveError: null,
    ended: false,
    open(id) {
      if (get().id === id) return;
      get().close();
      set({ id, detail: null, error: null, live: null, liveError: null, ended: false });
      void load(id);
    },
    close() {
      unsubscribe?.();
      unsubscribe = null;
      set({ id: null });
    },
  };
});
