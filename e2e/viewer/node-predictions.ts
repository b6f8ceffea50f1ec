import { CpuDevice, decodeInput, disposeDecodedInput, Predictor } from '@cvf/core';
import { createOrtNodeRuntime, folderSource, sharpImageDecoder } from '@cvf/core/node';
import { dicomInputDecoder } from '@cvf/medical';
import type { ViewerFile } from './viewer-fixtures.js';

export interface FilePrediction {
  readonly probabilities: number[];
  readonly similar: string[];
  /** The decision's outcome, class and reason codes, as the page marks them on its decision line. */
  readonly decision: { readonly outcome: string; readonly label: string; readonly reasons: string };
}

/** What `cvf predict` computes for each file (first frame of a DICOM file): decodeInput → Predictor in Node, on the CPU. */
export async function nodePredictions(bundleDir: string, files: readonly ViewerFile[]): Promise<Map<string, FilePrediction>> {
  const device = new CpuDevice();
  const predictor = await Predictor.load(folderSource(bundleDir), { device, onnxRuntime: await createOrtNodeRuntime() });
  const window = predictor.bundle.manifest.preprocess.window;
  const out = new Map<string, FilePrediction>();
  try {
    for (const file of files) {
      const input = await decodeInput(new Uint8Array(file.buffer), undefined, { device, decoder: sharpImageDecoder, dicom: dicomInputDecoder, ...(window ? { window } : {}) });
      const [prediction] = await predictor.predict([input]);
      disposeDecodedInput(input);
      const { decision } = prediction!;
      out.set(file.name, { probabilities: prediction!.probabilities, similar: prediction!.similar.map((s) => s.id), decision: { outcome: decision.outcome, label: decision.label, reasons: decision.reasons.map((r) => r.code).join(' ') } });
    }
  } finally {
    await predictor.release();
  }
  return out;
}
