import type { ConfigIssue } from '@cvf/core';
import { create } from 'zustand';
import { api, ApiError } from '../../api/client.js';
import type { ConfigEntry } from '../../api/schemas.js';

/** The pipelines page: the configs folder, the open file and its edits, saving with a conflict check. */
interface PipelinesState {
  files: ConfigEntry[] | null;
  listError: unknown;
  path: string | null;
  /** The text as last read or saved, and its hash (the base of the conflict check). */
  savedText: string;
  baseSha256: string | null;
  text: string;
  /** Bumped when the text is replaced from outside the editor (open, reload), so the editor resets. */
  revision: number;
  issues: readonly ConfigIssue[];
  saving: boolean;
  /** A save refused because the file changed on disk since it was read. */
  conflict: boolean;
  error: unknown;
  notice: string | null;
  loadFiles(): Promise<void>;
  open(path: string): Promise<void>;
  edit(text: string): void;
  setIssues(issues: readonly ConfigIssue[]): void;
  save(options?: { overwrite?: boolean }): Promise<boolean>;
  reload(): Promise<void>;
  /** Writes a new file (refused by the server if it exists) and opens it. */
  create(path: string, text: string): Promise<boolean>;
  dismiss(): void;
}

export const usePipelinesStore = create<PipelinesState>((set, get) => ({
  files: null,
  listError: null,
  path: null,
  savedText: '',
  baseSha256: null,
  text: '',
  revision: 0,
  issues: [],
  saving: false,
  conflict: false,
  error: null,
  notice: null,

  async loadFiles() {
    try {
      const { files } = await api.listConfigs();
      set({ files: [...files].sort((a, b) => a.path.localeCompare(b.path)), listError: null });
    } catch (error) {
      set({ listError: error });
    }
  },

  async open(path) {
    try {
      const file = await api.readConfig(path);
      set((s) => ({ path, text: file.text, savedText: file.text, baseSha256: file.sha256, revision: s.revision + 1, conflict: false, error: null, notice: null }));
    } catch (error) {
      set({ path, error });
    }
  },

  edit(text) {
    set({ text });
  },

  setIssues(issues) {
    set({ issues });
  },

  async save(options = {}) {
    const { path, text, baseSha256, saving } = get();
    if (!path || saving) return false;
    set({ saving: true, error: null, notice: null });
    try {
      // Overwriting after a conflict: the base is the file as it is on disk now.
      const base = options.overwrite ? (await api.readConfig(path)).sha256 : baseSha256;
      const saved = await api.saveConfig({ path, text, baseSha256: base });
      set({ savedText: text, baseSha256: saved.sha256, conflict: false, notice: `saved ${path}` });
      void get().loadFiles();
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'CONFIG_CONFLICT') set({ conflict: true });
      else set({ error });
      return false;
    } finally {
      set({ saving: false });
    }
  },

  async reload() {
    const { path } = get();
    if (path) await get().open(path);
  },

  async create(path, text) {
    try {
      await api.saveConfig({ path, text, baseSha256: null });
      await get().loadFiles();
      return true;
    } catch (error) {
      set({ error: error instanceof ApiError && error.code === 'CONFIG_CONFLICT' ? new Error(`${path} exists already: pick it in the list`) : error });
      return false;
    }
  },

  dismiss() {
    set({ error: null, notice: null });
  },
}));
