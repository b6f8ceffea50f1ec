// The three ways a prediction reaches the edge runtime, as bench requests for one image at a
// model's input size: a PNG upload, a DICOM upload (Secondary Capture, as a PACS script sends it)
// and an Open Inference Protocol v2 request with the image as a binary UINT8 tensor.
import { encodePng, imageTensor, type InputContract } from '@cvf/core';
import { createSecondaryCapture, writeDicom } from '@cvf/medical';
import type { BenchRequest } from './http-load.js';

export const PAYLOAD_KINDS = ['png', 'dicom', 'v2-binary'] as const;
export type PayloadKind = (typeof PAYLOAD_KINDS)[number];

/** A 28×28 gray image scaled (nearest) to the contract's size, its gray value in every channel. */
export function imageAtContract(gray28: Uint8Array, contract: Pick<InputContract, 'height' | 'width' | 'channels'>): Uint8Array {
  const { height, width, channels } = contract;
  const out = new Uint8Array(height * width * channels);
  for (let y = 0; y < height; y++) {
    const sy = Math.floor((y * 28) / height);
    for (let x = 0; x < width; x++) {
      const value = gray28[sy * 28 + Math.floor((x * 28) / width)]!;
      out.fill(value, (y * width + x) * channels, (y * width + x + 1) * channels);
    }
  }
  return out;
}

export async function benchPayloads(model: string, contract: Pick<InputContract, 'height' | 'width' | 'channels'>, gray28: Uint8Array): Promise<Record<PayloadKind, BenchRequest>> {
  const { height, width, channels } = contract;
  if (channels !== 1 && channels !== 3) throw new Error(`bench/edge sends gray or RGB images; the model takes ${channels} channels`);
  const pixels = imageAtContract(gray28, contract);
  const png = await encodePng(imageTensor('u8', { height, width, channels }, pixels));
  const dicom = writeDicom(
    createSecondaryCapture({
      rows: height,
      columns: width,
      pixels,
      photometric: channels === 3 ? 'RGB' : 'MONOCHROME2',
      modality: 'OT',
      patientId: 'BENCH-1',
      ...(channels === 1 && { window: { center: [127.5], width: [256] } }),
    }),
  );
  const header = Buffer.from(
    JSON.stringify({
      inputs: [{ name: 'image', datatype: 'UINT8', shape: [1, height, width, channels], parameters: { binary_data_size: pixels.length } }],
      outputs: [{ name: 'probabilities', parameters: { binary_data: true } }],
    }),
  );
  const predict = `/v1/models/${encodeURIComponent(model)}/predict`;
  return {
    png: { path: predict, headers: { 'content-type': 'image/png' }, body: Buffer.from(png) },
    dicom: { path: predict, headers: { 'content-type': 'application/dicom' }, body: Buffer.from(dicom) },
    'v2-binary': {
      path: `/v2/models/${encodeURIComponent(model)}/infer`,
      headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(header.length) },
      body: Buffer.concat([header, pixels]),
    },
  };
}
