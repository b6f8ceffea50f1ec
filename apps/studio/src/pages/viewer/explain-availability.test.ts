import { describe, expect, it } from 'vitest';
import { explainAvailability, VIEWER_EXPLAIN_METHODS } from './explain-availability.js';

describe('explainAvailability', () => {
  it('offers every method for an ONNX network under a trained head (a cnn or fine-tuned bundle)', () => {
    const methods = explainAvailability({ extractor: 'onnx', trainedHead: true });
    expect(VIEWER_EXPLAIN_METHODS.filter((m) => methods[m].available)).toEqual(['occlusion', 'lime', 'shap', 'gradcam', 'ig']);
  });

  it('refuses Grad-CAM and IG for hand-made features, naming them, and keeps the model-agnostic methods', () => {
    const methods = explainAvailability({ extractor: 'hog', trainedHead: true });
    expect(VIEWER_EXPLAIN_METHODS.filter((m) => methods[m].available)).toEqual(['occlusion', 'lime', 'shap']);
    expect(methods.gradcam).toEqual({ available: false, reason: expect.stringContaining("this model's features are hog") });
    expect(methods.ig).toEqual(methods.gradcam);
  });

  it('refuses Grad-CAM and IG for a kNN head even over an ONNX extractor', () => {
    const methods = explainAvailability({ extractor: 'onnx', trainedHead: false });
    expect(methods.gradcam).toEqual({ available: false, reason: expect.stringContaining('kNN vote') });
    expect(methods.lime.available).toBe(true);
  });

  it('says the extractor is missing when the bundle has none', () => {
    expect(explainAvailability({ extractor: null, trainedHead: true }).ig).toEqual({ available: false, reason: expect.stringContaining('features are missing') });
  });
});
