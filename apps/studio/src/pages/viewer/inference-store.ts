import { disposeDecodedInput, explainPrediction, planarUnitImage, Predictor, type Prediction, type SaliencyMap } from '@cvf/core';
import { create } from 'zustand';
import { api } from '../../api/client.js';
import { cachedChoices, openCachedBundle, type CacheState } from './bundle-cache.js';
import { defaultChoice, modelChoices, type ModelChoice } from './model-choices.js';
import { modelInput } from './model-input.js';
import { loadOnnxRuntime, type ProviderLog } from './onnx-runtime.js';
import { recordDecision } from './decision-audit.js';
import type { Slice } from './study-grouping.js';
import { viewerDevice, type ComputePreference } from './viewer-device.js';
import { decodeClient, decodedFrame, useViewerStore } from './viewer-store.js';

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
  saliency: { key: string; map: SaliencyMap } | null;
  explaining: boolean;
  compute: ComputePreference;
  loadChoices(): Promise<void>;
  /** Lists the registry again (a version was added), keeping the model that is loaded. */
  refreshChoices(): Promise<void>;
  setCompute(compute: ComputePreference): Promise<void>;
  selectModel(choice: ModelChoice): Promise<void>;
  predict(slice: Slice): Promise<void>;
  setSaliency(on: boolean): void;
  setSaliencyOpacity(opacity: number): void;
}

/** The slice most recently asked for. */
let latestRequest: string | null = null;

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
  saliency: null,
  explaining: false,
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
    set({ selected: choice, loading: true, loadError: null, model: null, prediction: null, saliency: null, cacheState: null });
    await previous?.predictor.release();
    try {
      const { device, fallbackReason } = await viewerDevice(get().compute);
      const opened = await openCachedBundle(choice, (cacheState) => set({ cacheState }));
      const providers: ProviderLog = [];
      // A bundle is written before it is registered (the digest leaves the number out): the version chosen goes into its manifest, so its decisions name it.
      const bundle = { ...opened.bundle, manifest: { ...opened.bundle.manifest, version: opened.bundle.manifest.version ?? choice.version } };
      const predictor = await Predictor.load(bundle, { device, onnxRuntime: await loadOnnxRuntime(providers) });
      if (get().selected !== choice) return void (await predictor.release());
      set({ model: { choice, predictor, bytes: opened.bytes, from: opened.from, deviceBackend: device.backend, fallbackReason, providers }, loading: false });
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
        if (get().saliencyOn) await explain(model, key, await planarUnitImage(device, input), prediction!.classIndex, isLatest);
      } finally {
        disposeDecodedInput(input);
      }
    } catch (error) {
      if (isLatest()) set({ predicting: false, predictError: `${(error as { code?: string }).code ?? 'Error'}: ${(error as Error).message}` });
    }
  },

  setSaliency(on) {
    set({ saliencyOn: on });
  },

  setSaliencyOpacity(opacity) {
    set({ saliencyOpacity: opacity });
  },
}));

async function explain(model: LoadedModel, key: string, image: Awaited<ReturnType<typeof planarUnitImage>>, classIndex: number, isLatest: () => boolean): Promise<void> {
  const { getState, setState } = useInferenceStore;
  if (getState().saliency?.key === key) return;
  setState({ explaining: true });
  try {
    const { device } = await viewerDevice(getState().compute);
    const map = await explainPrediction(device, model.predictor, image, classIndex);
    if (isLatest()) setState({ saliency: { key, map } });
  } finally {
    setState({ explaining: false });
  }
}
