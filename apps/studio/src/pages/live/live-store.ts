import type { Prediction } from '@cvf/core';
import { create } from 'zustand';
import { useInferenceStore } from '../viewer/inference-store.js';
import { achievedFrameRate, CHART_SECONDS, RATE_SECONDS, recentPoints, type LivePoint } from './live-stats.js';
import { listCameras, openSource, type CameraChoice, type LiveSourceRequest, type OpenedSource } from './live-source.js';
import { readVideoFrame, type FrameReader } from './read-video-frame.js';
import { oneInFlight } from './one-in-flight.js';
import { watchFrames } from './watch-frames.js';

/** idle: nothing plays; starting: asking for the camera or opening the file; ended: the file played to its end. */
export type LiveStatus = 'idle' | 'starting' | 'running' | 'paused' | 'ended';

interface LiveState {
  status: LiveStatus;
  source: { readonly kind: LiveSourceRequest['kind']; readonly name: string } | null;
  /** What went wrong, in words (camera refused, no camera, a video that cannot play, an inference that failed). */
  error: string | null;
  cameras: CameraChoice[];
  cameraId: string | null;
  /** Frames that went through the model, and frames skipped because the previous one was still being inferred. */
  inferred: number;
  dropped: number;
  fps: number | null;
  latencyMs: number | null;
  reader: FrameReader | null;
  prediction: Prediction | null;
  /** Every class's probability for each inferred frame of the last CHART_SECONDS. */
  history: LivePoint[];
  /** The `<video>` element the page shows, registered by the page. */
  attach(video: HTMLVideoElement | null): void;
  refreshCameras(): Promise<void>;
  /** Chooses the camera to start; switches to it when a camera plays. */
  setCamera(deviceId: string | null): void;
  start(request: LiveSourceRequest): Promise<void>;
  togglePause(): void;
  stop(): void;
}

let video: HTMLVideoElement | null = null;
let opened: OpenedSource | null = null;
let unwatch: (() => void) | null = null;
/** Counts starts and stops: a frame inferred for an earlier session is not shown in a later one. */
let session = 0;
let startedAt = 0;
let completions: number[] = [];

const seconds = () => performance.now() / 1000;
const CLEARED: Pick<LiveState, 'inferred' | 'dropped' | 'fps' | 'latencyMs' | 'prediction' | 'history' | 'error'> = { inferred: 0, dropped: 0, fps: null, latencyMs: null, prediction: null, history: [], error: null };

export const useLiveStore = create<LiveState>((set, get) => {
  /** Lets go of the source and its frame watch; the last prediction and the chart stay on screen. */
  const release = () => {
    session += 1;
    unwatch?.();
    unwatch = null;
    opened?.close();
    opened = null;
    video?.removeEventListener('ended', ended);
  };
  // A file that played to its end keeps its last frame on screen; space plays it again.
  const ended = () => {
    unwatch?.();
    unwatch = null;
    set({ status: 'ended', fps: null });
  };
  const cameraLost = () => {
    release();
    set({ status: 'idle', fps: null, error: 'The camera stopped sending frames: it was unplugged, turned off or taken by another application. Press Start camera to try again.' });
  };
  const watch = () => {
    const mine = session;
    unwatch = watchFrames(video!, () => inferLatestFrame(mine));
  };

  const inferFrame = async (mine: number) => {
    const model = useInferenceStore.getState().model;
    if (!video || !model) return;
    const began = performance.now();
    try {
      const frame = await readVideoFrame(video);
      const [prediction] = await model.predictor.predict([frame.image]);
      if (mine !== session) return;
      const now = seconds();
      completions = [...completions.filter((t) => t > now - RATE_SECONDS), now];
      const point = { t: now - startedAt, probabilities: prediction!.probabilities };
      set({
        inferred: get().inferred + 1,
        fps: achievedFrameRate(completions, now),
        latencyMs: performance.now() - began,
        reader: frame.reader,
        prediction: prediction!,
        history: recentPoints([...get().history, point], CHART_SECONDS),
      });
    } catch (error) {
      // A model swapped while a frame was in flight releases the predictor under it: not this stream's failure.
      if (mine !== session || useInferenceStore.getState().model !== model) return;
      release();
      set({ status: 'idle', error: `The model failed on a frame: ${(error as { code?: string }).code ?? 'Error'}: ${(error as Error).message}` });
    }
  };
  const showPlayingCamera = (source: OpenedSource | null) => {
    if (source?.deviceId) set({ cameraId: source.deviceId });
  };
  // At most one frame is inferred at a time, across sessions too (a frame of a stopped stream may still be in flight).
  const inferLatestFrame = oneInFlight(inferFrame, () => set({ dropped: get().dropped + 1 }));

  // Another model's classes do not belong on this chart.
  useInferenceStore.subscribe((state, previous) => {
    if (state.model !== previous.model) set({ prediction: null, history: [] });
  });

  return {
    status: 'idle',
    source: null,
    cameras: [],
    cameraId: null,
    reader: null,
    ...CLEARED,

    attach(element) {
      if (element === video) return;
      if (!element) get().stop();
      video = element;
    },

    async refreshCameras() {
      const cameras = await listCameras();
      const { cameraId } = get();
      set({ cameras, cameraId: cameras.some((c) => c.deviceId === cameraId) ? cameraId : (cameras[0]?.deviceId ?? null) });
    },

    setCamera(deviceId) {
      set({ cameraId: deviceId });
      // Picking another camera while one plays switches to it.
      const { source, status } = get();
      if (source?.kind === 'camera' && (status === 'running' || status === 'paused')) void get().start({ kind: 'camera', deviceId });
    },

    async start(request) {
      if (!video) return;
      release();
      const mine = session;
      set({ status: 'starting', source: null, ...CLEARED });
      try {
        const source = await openSource(video, request, cameraLost);
        if (mine !== session) return source.close();
        opened = source;
      } catch (error) {
        if (mine === session) set({ status: 'idle', error: (error as Error).message });
        return;
      }
      startedAt = seconds();
      completions = [];
      video.addEventListener('ended', ended);
      watch();
      set({ status: 'running', source: { kind: request.kind, name: opened.name } });
      // Camera names are readable once a camera was allowed; the picker shows the one that plays.
      if (request.kind === 'camera') void get().refreshCameras().then(() => showPlayingCamera(opened));
    },

    togglePause() {
      const { status } = get();
      if (!video || status === 'idle' || status === 'starting') return;
      if (status === 'running') {
        video.pause();
        return set({ status: 'paused', fps: null });
      }
      completions = [];
      if (status === 'ended') {
        video.currentTime = 0;
        watch();
      }
      void video.play();
      set({ status: 'running' });
    },

    stop() {
      release();
      set({ status: 'idle', fps: null });
    },
  };
});
