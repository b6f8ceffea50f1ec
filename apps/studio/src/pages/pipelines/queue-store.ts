import { create } from 'zustand';
import { api, type Unsubscribe } from '../../api/client.js';
import type { Job, ProgressLine } from '../../api/schemas.js';
import { isProgressLine } from '../runs/train-line.js';

/** The run queue as the server reports it, the live progress of the jobs this page follows, launching and cancelling. */
interface QueueState {
  jobs: Job[];
  /** The latest progress line of each followed job. */
  progress: Record<string, ProgressLine>;
  error: unknown;
  refresh(): Promise<void>;
  enqueue(config: string): Promise<Job | null>;
  cancel(jobId: string): Promise<void>;
  follow(jobId: string): void;
}

const following = new Map<string, Unsubscribe>();
let lastRefresh = 0;

export const useQueueStore = create<QueueState>((set, get) => ({
  jobs: [],
  progress: {},
  error: null,

  async refresh() {
    try {
      const { jobs } = await api.queue();
      set({ jobs, error: null });
      for (const job of jobs) if (job.state === 'running' || job.state === 'queued') get().follow(job.id);
    } catch (error) {
      set({ error });
    }
  },

  async enqueue(config) {
    try {
      const job = await api.enqueue({ config });
      set((s) => ({ jobs: [...s.jobs.filter((j) => j.id !== job.id), job], error: null }));
      get().follow(job.id);
      return job;
    } catch (error) {
      set({ error });
      return null;
    }
  },

  async cancel(jobId) {
    try {
      const job = await api.cancelJob(jobId);
      set((s) => ({ jobs: s.jobs.map((j) => (j.id === job.id ? job : j)) }));
    } catch (error) {
      set({ error });
    }
  },

  follow(jobId) {
    if (following.has(jobId)) return;
    const stop = api.followJob(jobId, {
      onLine: (line) => {
        if (isProgressLine(line)) set((s) => ({ progress: { ...s.progress, [jobId]: line } }));
        // The run id appears once the child started its run: the queue says which.
        if (!get().jobs.find((j) => j.id === jobId)?.runId && Date.now() - lastRefresh > 1000) {
          lastRefresh = Date.now();
          void get().refresh();
        }
      },
      onEnd: (job) => {
        following.delete(jobId);
        set((s) => ({ jobs: s.jobs.map((j) => (j.id === job.id ? job : j)) }));
      },
      onError: (error) => {
        following.delete(jobId);
        set({ error });
      },
    });
    following.set(jobId, stop);
  },
}));
