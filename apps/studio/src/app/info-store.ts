import { create } from 'zustand';
import { api } from '../api/client.js';
import type { Info } from '../api/schemas.js';

/** The server's /api/info: store and configs folders, queue concurrency. Loaded once by the shell. */
interface InfoState {
  info: Info | null;
  error: unknown;
  load(): Promise<void>;
}

export const useInfoStore = create<InfoState>((set) => ({
  info: null,
  error: null,
  async load() {
    try {
      set({ info: await api.info(), error: null });
    } catch (error) {
      set({ error });
    }
  },
}));
