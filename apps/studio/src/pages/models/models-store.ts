import { create } from 'zustand';
import { api } from '../../api/client.js';
import type { ModelEntry, PromoteResponse } from '../../api/schemas.js';

/** /models: the registry's models, and promoting a version to an alias. */
interface ModelsState {
  models: ModelEntry[] | null;
  error: unknown;
  load(): Promise<void>;
  promote(name: string, alias: string, version: number): Promise<PromoteResponse>;
}

export const useModelsStore = create<ModelsState>((set, get) => ({
  models: null,
  error: null,
  async load() {
    try {
      const { models } = await api.listModels();
      set({ models, error: null });
    } catch (error) {
      set({ error });
    }
  },
  async promote(name, alias, version) {
    const moved = await api.promote(name, alias, version);
    await get().load();
    return moved;
  },
}));
