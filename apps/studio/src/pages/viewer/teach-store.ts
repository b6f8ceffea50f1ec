import { disposeDecodedInput, requireStage } from '@cvf/core';
import { create } from 'zustand';
import { ApiError } from '../../api/client.js';
import { useInferenceStore } from './inference-store.js';
import { modelInput } from './model-input.js';
import type { Slice } from './study-grouping.js';
import { teachResponseSchema, teachUrl, type TeachRequest, type TeachResponse } from './teach-schema.js';
import { taughtStages, teachHead, toBase64, type TaughtExample, type TaughtHead } from './teach-training.js';
import { viewerDevice } from './viewer-device.js';
import { decodeClient, decodedFrame } from './viewer-store.js';

/** An opened image the user labelled; its embedding is computed when training starts. */
export interface LabelledSlice {
  readonly slice: Slice;
  readonly label: string;
}

interface TeachState {
  labelled: LabelledSlice[];
  training: boolean;
  result: (TaughtHead & { examples: TaughtExample[] }) | null;
  error: string | null;
  saving: boolean;
  saved: TeachResponse | null;
  label(slice: Slice, label: string): void;
  unlabel(slice: Slice): void;
  train(): Promise<void>;
  save(): Promise<void>;
}

const same = (a: Slice, b: Slice) => a.fileId === b.fileId && a.frame === b.frame;

/** Few-shot teaching: labelled slices → embeddings from the loaded bundle → a new head, trained and scored here, saved as a new version. */
export const useTeachStore = create<TeachState>((set, get) => ({
  labelled: [],
  training: false,
  result: null,
  error: null,
  saving: false,
  saved: null,

  label(slice, label) {
    const labelled = get().labelled.filter((l) => !same(l.slice, slice));
    set({ labelled: [...labelled, { slice, label }], result: null, saved: null });
  },

  unlabel(slice) {
    set({ labelled: get().labelled.filter((l) => !same(l.slice, slice)), result: null, saved: null });
  },

  async train() {
    const model = useInferenceStore.getState().model;
    if (!model) return;
    set({ training: true, error: null, result: null, saved: null });
    try {
      const { device } = await viewerDevice(useInferenceStore.getState().compute);
      const window = model.predictor.bundle.manifest.preprocess.window ?? null;
      const examples: TaughtExample[] = [];
      for (const { slice, label } of get().labelled) {
        const input = await modelInput(device, decodeClient(), await decodedFrame(slice), window);
        try {
          const [prediction] = await model.predictor.predict([input], { features: true, similar: 1 });
          examples.push({ label, features: Float32Array.from(prediction!.features!) });
        } finally {
          disposeDecodedInput(input);
        }
      }
      set({ result: { ...(await teachHead(device, examples)), examples }, training: false });
    } catch (error) {
      set({ training: false, error: (error as Error).message });
    }
  },

  async save() {
    const { result } = get();
    const model = useInferenceStore.getState().model;
    if (!result || !model) return;
    set({ saving: true, error: null });
    try {
      const indexParams = requireStage(model.predictor.bundle.manifest, 'index').params;
      const stages = await taughtStages(result, result.examples, indexParams.metric, indexParams.k);
      const files: Record<string, string> = {};
      for (const saved of [stages.head, stages.index]) for (const [path, bytes] of saved.files) files[path] = toBase64(bytes);
      const request: TeachRequest = {
        baseVersion: model.choice.version,
        classes: [...result.classes],
        stages: { head: { ...stages.head.stage }, index: { ...stages.index.stage } },
        files,
        metrics: { examples: result.examples.length, heldOut: result.heldOut, heldOutAccuracy: result.heldOutAccuracy, perClassAccuracy: { ...result.perClassAccuracy } },
      };
      const response = await fetch(teachUrl(model.choice.name), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
      const body = (await response.json()) as unknown;
      if (!response.ok) {
        const { code, message } = (body as { error: { code: string; message: string } }).error;
        throw new ApiError(code, message, response.status);
      }
      set({ saved: teachResponseSchema.parse(body), saving: false });
      // The new version shows up in the picker.
      void useInferenceStore.getState().refreshChoices();
    } catch (error) {
      set({ saving: false, error: `${(error as { code?: string }).code ?? 'Error'}: ${(error as Error).message}` });
    }
  },
}));

/** The classes a label can take: the bundle's own and those already used here. */
export function labelSuggestions(labelled: readonly LabelledSlice[]): string[] {
  const model = useInferenceStore.getState().model;
  const bundleClasses = model ? model.predictor.bundle.manifest.classes : [];
  return [...new Set([...bundleClasses, ...labelled.map((l) => l.label)])];
}
