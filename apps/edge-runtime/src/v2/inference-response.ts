import type { Prediction } from '@cvf/core';
import { fromHalf, toHalf } from './fp16.js';
import type { ImageDatatype, RequestedOutput } from './inference-request.js';

interface OutputTensor {
  readonly name: string;
  readonly datatype: 'FP32' | 'FP16' | 'BYTES';
  readonly shape: number[];
  readonly values: number[] | string[];
}

/** An encoded answer: the body, and the Inference-Header-Content-Length when it has binary outputs. */
export interface EncodedResponse {
  readonly body: Buffer;
  readonly headerLength: number | null;
}

/**
 * The inference response: `model_name`, `model_version`, the request `id`, and the requested
 * outputs, as JSON `data` (flat, row-major) or as binary tensors after the JSON (binary tensor
 * data extension: `binary_data_size`, little-endian). Float outputs are FP16 when the request's
 * image was FP16 (halving the bytes; JSON carries the FP16 value as a number), FP32 otherwise.
 */
export function encodeInferenceResponse(options: {
  model: string;
  version: string;
  id: string | undefined;
  inputDatatype: ImageDatatype;
  outputs: readonly RequestedOutput[];
  predictions: readonly Prediction[];
}): EncodedResponse {
  const { predictions } = options;
  const float = options.inputDatatype === 'FP16' ? 'FP16' : 'FP32';
  const rows = predictions.length;
  const binaries: Buffer[] = [];
  const outputs = options.outputs.map(({ name, binary }) => {
    const tensor = outputTensor(name, float, predictions, rows);
    if (!binary) return { name, datatype: tensor.datatype, shape: tensor.shape, data: tensor.datatype === 'FP16' ? (tensor.values as number[]).map(roundToHalf) : tensor.values };
    const bytes = binaryTensor(tensor);
    binaries.push(bytes);
    return { name, datatype: tensor.datatype, shape: tensor.shape, parameters: { binary_data_size: bytes.length } };
  });
  const json = Buffer.from(JSON.stringify({ model_name: options.model, model_version: options.version, ...(options.id !== undefined && { id: options.id }), outputs }), 'utf8');
  if (binaries.length === 0) return { body: json, headerLength: null };
  return { body: Buffer.concat([json, ...binaries]), headerLength: json.length };
}

function outputTensor(name: RequestedOutput['name'], float: 'FP32' | 'FP16', predictions: readonly Prediction[], rows: number): OutputTensor {
  switch (name) {
    case 'probabilities':
      return { name, datatype: float, shape: [rows, predictions[0]?.probabilities.length ?? 0], values: predictions.flatMap((p) => p.probabilities) };
    case 'features':
      return { name, datatype: float, shape: [rows, predictions[0]?.features?.length ?? 0], values: predictions.flatMap((p) => p.features ?? []) };
    case 'similar_ids':
      return { name, datatype: 'BYTES', shape: [rows, predictions[0]?.similar.length ?? 0], values: predictions.flatMap((p) => p.similar.map((s) => s.id)) };
    case 'similar_scores':
      return { name, datatype: float, shape: [rows, predictions[0]?.similar.length ?? 0], values: predictions.flatMap((p) => p.similar.map((s) => s.score)) };
  }
}

function roundToHalf(value: number): number {
  return fromHalf(toHalf(value));
}

/** Little-endian, row-major; a BYTES element is its 4-byte length, then its UTF-8 bytes. */
function binaryTensor(tensor: OutputTensor): Buffer {
  if (tensor.datatype === 'BYTES') {
    return Buffer.concat(
      (tensor.values as string[]).flatMap((value) => {
        const bytes = Buffer.from(value, 'utf8');
        const length = Buffer.alloc(4);
        length.writeUInt32LE(bytes.length);
        return [length, bytes];
      }),
    );
  }
  const values = tensor.values as number[];
  if (tensor.datatype === 'FP32') return Buffer.from(Float32Array.from(values).buffer);
  const out = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => out.writeUInt16LE(toHalf(v), i * 2));
  return out;
}
