import { CpuDevice, decodeInput, disposeDecodedInput, explainImage, planarUnitImage, Predictor, type ExplainImageOptions } from '@cvf/core';
import { createOrtNodeRuntime, folderSource, sharpImageDecoder } from '@cvf/core/node';
import { dicomInputDecoder } from '@cvf/medical';
import type { ViewerFile } from './viewer-fixtures.js';

/** Core's explanation of a file (its first frame) as `cvf explain` computes it: decodeInput → planar 0..1 image → explainImage through the Predictor, in Node on the CPU. */
export async function nodeExplanation(bundleDir: string, file: ViewerFile, options: ExplainImageOptions): Promise<{ attributions: number[]; classIndex: number }> {
  const device = new CpuDevice();
  const predictor = await Predictor.load(folderSource(bundleDir), { device, onnxRuntime: await createOrtNodeRuntime() });
  const window = predictor.bundle.manifest.preprocess.window;
  const input = await decodeInput(new Uint8Array(file.buffer), undefined, { device, decoder: sharpImageDecoder, dicom: dicomInputDecoder, ...(window ? { window } : {}) });
  try {
    const explained = await explainImage(device, predictor, await planarUnitImage(device, input), options);
    if (!explained.superpixels) throw new Error(`explainImage(${options.method}) answered no superpixel attributions`);
    return { attributions: explained.superpixels.attributions, classIndex: explained.classIndex };
  } finally {
    disposeDecodedInput(input);
    await predictor.release();
  }
}
