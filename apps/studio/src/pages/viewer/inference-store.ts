import { disposeDecodedInput, findStage, planarUnitImage, Predictor, type DecodedInput, type Prediction } from '@cvf/core';
import { create } from 'zustand';
import { api } from '../../api/client.js';
import { cachedChoices, openCachedBundle, type CacheState } from './bundle-cache.js';
import type { ViewerExplainMethod } from './explain-availability.js';
import { runExplanation, type ViewerExplanation } from './explain-run.js';
import { defaultChoice, modelChoices, type ModelChoice } from './model-choices.js';
import { modelInput } from './model-input.js';
import { loadOnnxRuntime, type ProviderLog } from './onnx-runtime.js';
import { recordDecision } from './decision-audit.js';
import type { Slice } from './study-grouping.js';
import { viewerDevice, type ComputePreference } from './viewer-device.js';
import { viewerSearchThreads } from './viewer-search-threads.js';
import { currentSlice, decodeClient, decodedFrame, useViewerStore } from './viewer-store.js';

/** The key of a slice, to tell whether a result belongs to the image on screen. */
export const sliceKey = (slice: Slice) => `${slice.fileId}:${slice.frame}`;

interface LoadedModel {
  readonly choice: ModelChoice;
  readonly predictor: Predictor;
  readonly bytes: number;
  readonly from: 'cache' | 'network';
  readonly deviceBackend: string;
  readonly fallbackReason: string | null;
  readonly providers: ProviderLog;
  /** Threads that search the case index (Web Workers over shared memory past 1), and why only one when so. */
  readonly searchThreads: number;
  readonly searchFallback: string | null;
}

interface InferenceState {
  choices: ModelChoice[];
  /** Why the registry could not be listed (offline: cached bundles are offered instead). */
  choicesError: string | null;
  selected: ModelChoice | null;
  cacheState: CacheState | null;
  loading: boolean;
  loadError: string | null;
  model: LoadedModel | null;
  predicting: boolean;
  prediction: { key: string; prediction: Prediction } | null;
  predictError: string | null;
  saliencyOn: boolean;
  saliencyOpacity: number;
  saliencyMethod: ViewerExplainMethod;
  saliency: { key: string; map: ViewerExplanation } | null;
  explaining: boolean;
  /** Images scored so far by the map being computed, of how many. */
  explainProgress: { done: number; total: number } | null;
  /** Why the last map was not drawn: cancelled by the user, or the method's error. */
  explainStopped: { cancelled: boolean; message: string } | null;
  compute: ComputePreference;
  loadChoices(): Promise<void>;
  /** Lists the registry again (a version was added), keeping the model that is loaded. */
  refreshChoices(): Promise<void>;
  setCompute(compute: ComputePreference): Promise<void>;
  selectModel(choice: ModelChoice): Promise<void>;
  predict(slice: Slice): Promise<void>;
  setSaliency(on: boolean): void;
  setSaliencyOpacity(opacity: number): void;
  /** Chooses the explanation method; the image on screen is explained again with it. */
  setSaliencyMethod(method: ViewerExplainMethod): void;
  /** Stops the map being computed (the model calls already made are dropped). */
  cancelExplain(): void;
  /** Computes the map of the image on screen again (after a cancel or an error). */
  rerunExplain(): void;
}

/** Why the case index searches on one thread: no pool (its reason), or an index kind the pool does not search (HNSW, LanceDB). */
function searchFallback(predictor: Predictor, poolReason: string | null): string | null {
  if (predictor.searchThreads > 1) return null;
  return poolReason ?? `a ${findStage(predictor.bundle.manifest, 'index')?.params.kind ?? 'non-flat'} index searches on one thread`;
}

/** The slice most recently asked for. */
let latestRequest: string | null = null;
/** The map being computed (aborting its controller stops its model calls), and what it explains. */
let runningExplain: { readonly controller: AbortController; readonly key: string; readonly method: ViewerExplainMethod } | null = null;

/** Drops the map being computed without a word: the switch, a newer image or another method replaced it. */
function dropRunningExplain(): void {
  runningExplain?.controller.abort();
  runningExplain = null;
  useInferenceStore.setState({ explaining: false, explainProgress: null });
}

/** Predicts the slice on screen again, which explains it when the saliency switch is on. */
function predictCurrentSlice(): void {
  const current = currentSlice(useViewerStore.getState());
  if (current) void useInferenceStore.getState().predict(current.slice);
}

export const useInferenceStore = create<InferenceState>((set, get) => ({
  choices: [],
  choicesError: null,
  selected: null,
  cacheState: null,
  loading: false,
  loadError: null,
  model: null,
  predicting: false,
  prediction: null,
  predictError: null,
  saliencyOn: false,
  saliencyOpacity: 0.5,
  saliencyMethod: 'occlusion',
  saliency: null,
  explaining: false,
  explainProgress: null,
  explainStopped: null,
  compute: 'auto',

  async loadChoices() {
    let choices: ModelChoice[];
    try {
      choices = modelChoices((await api.listModels()).models);
      set({ choices, choicesError: null });
    } catch (error) {
      choices = await cachedChoices();
      set({ choices, choicesError: `the model registry cannot be reached (${(error as Error).message}); cached models are offered` });
    }
    const initial = defaultChoice(choices);
    if (initial && !get().selected) await get().selectModel(initial);
  },

  async refreshChoices() {
    try {
      set({ choices: modelChoices((await api.listModels()).models), choicesError: null });
    } catch (error) {
      set({ choicesError: `the model registry cannot be reached (${(error as Error).message})` });
    }
  },

  async setCompute(compute) {
    if (compute === get().compute) return;
    set({ compute });
    const { selected } = get();
    if (selected) await get().selectModel(selected);
  },

  async selectModel(choice) {
    const previous = get().model;
    dropRunningExplain();
    set({ selected: choice, loading: true, loadError: null, model: null, prediction: null, saliency: null, explainStopped: null, cacheState: null });
    await previous?.predictor.release();
    try {
      const { device, fallbackReason } = await viewerDevice(get().compute);
      const opened = await openCachedBundle(choice, (cacheState) => set({ cacheState }));
      const providers: ProviderLog = [];
      // A bundle is written before it is registered (the digest leaves the number out): the version chosen goes into its manifest, so its decisions name it.
      const bundle = { ...opened.bundle, manifest: { ...opened.bundle.manifest, version: opened.bundle.manifest.version ?? choice.version } };
      const search = await viewerSearchThreads(bundle.manifest);
      const predictor = await Predictor.load(bundle, { device, onnxRuntime: await loadOnnxRuntime(providers), ...(search.pool && { scanPool: search.pool }) });
      if (get().selected !== choice) return void (await predictor.release());
      set({ model: { choice, predictor, bytes: opened.bytes, from: opened.from, deviceBackend: device.backend, fallbackReason, providers, searchThreads: predictor.searchThreads, searchFallback: searchFallback(predictor, search.reason) }, loading: false });
    } catch (error) {
      if (get().selected === choice) set({ loading: false, cacheState: null, loadError: `${(error as { code?: string }).code ?? 'Error'}: ${(error as Error).message}` });
    }
  },

  async predict(slice) {
    const model = get().model;
    if (!model) return;
    const key = sliceKey(slice);
    // Scrolling asks for many slices; only the latest request's answer is shown.
    latestRequest = key;
    const isLatest = () => latestRequest === key && get().model === model;
    set({ predicting: true, predictError: null });
    try {
      const { device } = await viewerDevice(get().compute);
      const frame = await decodedFrame(slice);
      const input = await modelInput(device, decodeClient(), frame, model.predictor.bundle.manifest.preprocess.window ?? null);
      try {
        const [prediction] = await model.predictor.predict([input]);
        if (!isLatest()) return;
        // The decision shown is recorded in the store's audit trail; a failure to record is reported, not hidden.
        const sopInstanceUid = useViewerStore.getState().images.find((i) => i.fileId === slice.fileId)?.sopInstanceUid;
        const { choice, predictor } = model;
        void recordDecision({ name: choice.name, version: choice.version, configHash: predictor.bundle.manifest.configHash }, prediction!, sopInstanceUid).catch((error: Error) => console.warn(error.message));
        set({ prediction: { key, prediction: prediction! }, predicting: false });
        if (get().saliencyOn) await explain(model, key, input, prediction!.classIndex, isLatest);
      } finally {
        disposeDecodedInput(input);
      }
    } catch (error) {
      if (isLatest()) set({ predicting: false, predictError: `${(error as { code?: string }).code ?? 'Error'}: ${(error as Error).message}` });
    }
  },

  setSaliency(on) {
    if (!on) dropRunningExplain();
    set({ saliencyOn: on, explainStopped: null });
  },

  setSaliencyMethod(method) {
    if (method === get().saliencyMethod) return;
    dropRunningExplain();
    set({ saliencyMethod: method, saliency: null, explainStopped: null });
    if (get().saliencyOn) predictCurrentSlice();
  },

  cancelExplain() {
    runningExplain?.controller.abort();
  },

  rerunExplain() {
    set({ saliency: null, explainStopped: null });
    predictCurrentSlice();
  },

  setSaliencyOpacity(opacity) {
    set({ saliencyOpacity: opacity });
  },
}));

async function explain(model: LoadedModel, key: string, input: DecodedInput, classIndex: number, isLatest: () => boolean): Promise<void> {
  const { getState, setState } = useInferenceStore;
  const method = getState().saliencyMethod;
  const shown = getState().saliency;
  if (shown?.key === key && shown.map.method === method) return;
  // Already being computed (and not cancelled): a second prediction of the slice — one that started
  // before the switch was turned on and ended after — joins it rather than starting it over, which
  // would replace the Cancel button under the user's hand.
  if (runningExplain?.key === key && runningExplain.method === method && !runningExplain.controller.signal.aborted) return;
  dropRunningExplain();
  const running = (runningExplain = { controller: new AbortController(), key, method });
  const { signal } = running.controller;
  setState({ explaining: true, explainProgress: null, explainStopped: null });
  try {
    const { device } = await viewerDevice(getState().compute);
    const image = await planarUnitImage(device, input);
    const onProgress = (done: number, total: number) => {
      if (!signal.aborted) setState({ explainProgress: { done: Math.min(done, total), total } });
    };
    const map = await runExplanation({ device, predictor: model.predictor, input, image, classIndex, method, signal, onProgress });
    if (isLatest() && !signal.aborted) setState({ saliency: { key, map } });
  } catch (error) {
    // A map replaced by a newer one is not reported (it was dropped); one the user cancelled says so.
    if (runningExplain === running) {
      const message = signal.aborted ? 'cancelled' : `${(error as { code?: string }).code ?? 'Error'}: ${(error as Error).message}`;
      setState({ explainStopped: { cancelled: signal.aborted, message } });
    }
  } finally {
    if (runningExplain === running) {
      runningExplain = null;
      setState({ explaining: false, explainProgress: null });
    }
  }
}
