import { useEffect } from 'react';
import { sliceKey, useInferenceStore } from './inference-store.js';
import { currentSlice, useViewerStore } from './viewer-store.js';

/** Runs the model on the slice on screen whenever the slice, the model or the saliency switch changes. */
export function useAutoPredict(): void {
  const state = useViewerStore();
  const current = currentSlice(state);
  const model = useInferenceStore((s) => s.model);
  const saliencyOn = useInferenceStore((s) => s.saliencyOn);
  const predict = useInferenceStore((s) => s.predict);
  const key = current ? sliceKey(current.slice) : null;
  useEffect(() => {
    if (current && model) void predict(current.slice);
  }, [key, model, saliencyOn]);
}
