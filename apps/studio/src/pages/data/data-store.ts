import { create } from 'zustand';
import { api } from '../../api/client.js';
import type { ConfigEntry, DataSummary } from '../../api/schemas.js';

/** /data: the pipelines to choose from and the chosen one's dataset summary. */
interface DataState {
  configs: ConfigEntry[] | null;
  config: string | null;
  summary: DataSummary | null;
  loading: boolean;
  error: unknown;
  loadConfigs(): Promise<void>;
  open(config: string): Promise<void>;
}

export const useDataStore = create<DataState>((set, get) => ({
  configs: null,
  config: null,
  summary: null,
  loading: false,
  error: null,
  async loadConfigs() {
    try {
      const { files } = await api.listConfigs();
      set({ configs: files });
    } catch (error) {
      set({ error });
    }
  },
  async open(config) {
    if (get().config === config && (get().summary || get().loading)) return;
    set({ config, summary: null, loading: true, error: null });
    try {
      const summary = await api.data(config);
      if (get().config === config) set({ summary });
    } catch (error) {
      if (get().config === config) set({ error });
    } finally {
      if (get().config === config) set({ loading: false });
    }
  },
}));
