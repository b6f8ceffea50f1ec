import { create } from 'zustand';
import { DecodeClient } from '../../workers/decode-client.js';
import type { DecodedFrame, OpenedImageInfo } from '../../workers/decode-protocol.js';
import type { UserWindow } from './render-frame.js';
import { groupStudies, type Series, type Slice, type Study } from './study-grouping.js';

/** Decoded frames kept for scrolling back and forth; older ones are decoded again when needed. */
const FRAME_CACHE_SIZE = 96;

export interface OpenFailure {
  readonly fileName: string;
  readonly code: string;
  readonly message: string;
}

interface ViewerState {
  images: OpenedImageInfo[];
  studies: Study[];
  failures: OpenFailure[];
  opening: number;
  seriesUid: string | null;
  sliceIndex: number;
  /** The user's window (modality units), or null for the data set's own. */
  window: UserWindow | null;
  preset: string | null;
  zoom: number;
  pan: { x: number; y: number };
  showPhi: boolean;
  cine: boolean;
  cineFps: number;
  openFiles(files: readonly File[]): Promise<void>;
  selectSeries(uid: string): void;
  scroll(delta: number): void;
  setSlice(index: number): void;
  setWindow(window: UserWindow | null, preset?: string | null): void;
  setView(zoom: number, pan: { x: number; y: number }): void;
  resetView(): void;
  setShowPhi(show: boolean): void;
  setCine(playing: boolean, fps?: number): void;
}

let client: DecodeClient | null = null;
export function decodeClient(): DecodeClient {
  client ??= new DecodeClient();
  return client;
}

const frames = new Map<string, Promise<DecodedFrame>>();

/** A decoded frame, from the cache or the worker (least recently used frames are dropped). */
export function decodedFrame(slice: Slice): Promise<DecodedFrame> {
  const key = `${slice.fileId}:${slice.frame}`;
  let found = frames.get(key);
  if (found) frames.delete(key);
  else found = decodeClient().frame(slice.fileId, slice.frame);
  frames.set(key, found);
  found.catch(() => frames.delete(key));
  while (frames.size > FRAME_CACHE_SIZE) frames.delete(frames.keys().next().value!);
  return found;
}

export const useViewerStore = create<ViewerState>((set, get) => ({
  images: [],
  studies: [],
  failures: [],
  opening: 0,
  seriesUid: null,
  sliceIndex: 0,
  window: null,
  preset: null,
  zoom: 1,
  pan: { x: 0, y: 0 },
  showPhi: false,
  cine: false,
  cineFps: 10,

  async openFiles(files) {
    set({ opening: get().opening + files.length });
    const opened = await Promise.all(
      files.map(async (file) => {
        try {
          return await decodeClient().open(file.webkitRelativePath || file.name, await file.arrayBuffer());
        } catch (error) {
          const e = error as { code?: string; message: string };
          set({ failures: [...get().failures, { fileName: file.name, code: e.code ?? 'VIEWER_OPEN_FAILED', message: e.message }] });
          return null;
        } finally {
          set({ opening: get().opening - 1 });
        }
      }),
    );
    const images = [...get().images, ...opened.filter((i): i is OpenedImageInfo => i !== null)];
    const studies = groupStudies(images);
    const firstNew = opened.find((i) => i !== null);
    // Opening files shows the first new series; the current one stays when nothing opened.
    if (firstNew) set({ images, studies, seriesUid: firstNew.seriesUid, sliceIndex: 0, window: null, preset: null, zoom: 1, pan: { x: 0, y: 0 }, cine: false });
  },

  selectSeries(uid) {
    if (uid !== get().seriesUid) set({ seriesUid: uid, sliceIndex: 0, window: null, preset: null, cine: false });
  },

  scroll(delta) {
    const series = currentSeries(get());
    if (!series) return;
    const count = series.slices.length;
    set({ sliceIndex: Math.min(count - 1, Math.max(0, get().sliceIndex + delta)) });
  },

  setSlice(index) {
    const series = currentSeries(get());
    if (series) set({ sliceIndex: Math.min(series.slices.length - 1, Math.max(0, index)) });
  },

  setWindow(window, preset = null) {
    set({ window, preset });
  },

  setView(zoom, pan) {
    set({ zoom: Math.min(32, Math.max(0.1, zoom)), pan });
  },

  resetView() {
    set({ zoom: 1, pan: { x: 0, y: 0 } });
  },

  setShowPhi(show) {
    set({ showPhi: show });
  },

  setCine(playing, fps) {
    set({ cine: playing, ...(fps === undefined ? {} : { cineFps: fps }) });
  },
}));

export function currentSeries(state: Pick<ViewerState, 'studies' | 'seriesUid'>): Series | null {
  for (const study of state.studies) for (const series of study.series) if (series.uid === state.seriesUid) return series;
  return null;
}

/** The slice on screen and the file it belongs to. */
export function currentSlice(state: Pick<ViewerState, 'studies' | 'seriesUid' | 'sliceIndex' | 'images'>): { slice: Slice; image: OpenedImageInfo } | null {
  const series = currentSeries(state);
  const slice = series?.slices[state.sliceIndex];
  if (!series || !slice) return null;
  return { slice, image: series.images.find((i) => i.fileId === slice.fileId)! };
}
