import { imageTensor, type ImageTensor, type InputContract } from '@cvf/core';
import { HttpError } from '../http/http-error.js';
import { fromHalf } from './fp16.js';

/** Datatypes the `image` input takes. FP32 and FP16 values are on the 0..255 scale of 8-bit pixels. */
export const IMAGE_DATATYPES = ['UINT8', 'FP32', 'FP16'] as const;
export type ImageDatatype = (typeof IMAGE_DATATYPES)[number];

/** Outputs a model answers with; the similar-case ones only when asked for. */
export const OUTPUT_NAMES = ['probabilities', 'features', 'similar_ids', 'similar_scores'] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];
const DEFAULT_OUTPUTS: readonly OutputName[] = ['probabilities', 'features'];

export interface RequestedOutput {
  readonly name: OutputName;
  readonly binary: boolean;
}

/** An Open Inference Protocol v2 inference request, checked against the model's input contract. */
export interface InferenceRequest {
  readonly id: string | undefined;
  readonly datatype: ImageDatatype;
  readonly images: ImageTensor[];
  readonly outputs: RequestedOutput[];
  /** Similar cases per image (parameter `similar_k`), when similar_ids or similar_scores are asked for. */
  readonly similar: number | undefined;
}

const BYTES_PER_ELEMENT: Record<ImageDatatype, number> = { UINT8: 1, FP32: 4, FP16: 2 };

function bad(message: string): HttpError {
  return new HttpError(400, 'V2_REQUEST_INVALID', message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses an inference request body: JSON, or — with `Inference-Header-Content-Length` — a JSON
 * header followed by the binary tensors of the binary tensor data extension (little-endian,
 * row-major, in input order, each `binary_data_size` bytes). The one input is `image`,
 * [N, H, W, C] of the model's contract. Every defect is a 400 naming the field.
 */
export function parseInferenceRequest(body: Buffer, headerLength: string | undefined, contract: InputContract): InferenceRequest {
  let jsonEnd = body.length;
  if (headerLength !== undefined) {
    jsonEnd = Number(headerLength);
    if (!Number.isInteger(jsonEnd) || jsonEnd < 0 || jsonEnd > body.length) {
      throw bad(`Inference-Header-Content-Length ${headerLength} is not a byte count within the ${body.length}-byte body`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(body.subarray(0, jsonEnd).toString('utf8'));
  } catch (error) {
    throw bad(`the inference request is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(json)) throw bad('the inference request must be a JSON object');
  if (json.id !== undefined && typeof json.id !== 'string') throw bad('"id" must be a string');
  const parameters = json.parameters === undefined ? {} : json.parameters;
  if (!isObject(parameters)) throw bad('"parameters" must be an object');
  const inputs = json.inputs;
  if (!Array.isArray(inputs) || inputs.length !== 1) throw bad(`"inputs" must list exactly one tensor, "image"; got ${Array.isArray(inputs) ? inputs.length : typeof inputs}`);
  const input: unknown = inputs[0];
  if (!isObject(input)) throw bad('inputs[0] must be an object');
  if (input.name !== 'image') throw bad(`unknown input "${String(input.name)}"; the model's input is "image"`);
  const datatype = input.datatype;
  if (!IMAGE_DATATYPES.includes(datatype as ImageDatatype)) throw bad(`input "image": datatype ${JSON.stringify(datatype)} is not one of ${IMAGE_DATATYPES.join(', ')}`);
  const shape = checkShape(input.shape, contract);
  const count = shape.reduce((a, b) => a * b, 1);
  const inputParameters = input.parameters === undefined ? {} : input.parameters;
  if (!isObject(inputParameters)) throw bad('input "image": "parameters" must be an object');
  const binarySize = inputParameters.binary_data_size;
  let values: Uint8Array | Float32Array;
  if (binarySize !== undefined) {
    const want = count * BYTES_PER_ELEMENT[datatype as ImageDatatype];
    if (binarySize !== want) throw bad(`input "image": binary_data_size ${JSON.stringify(binarySize)} is not ${want} (${count} ${datatype} elements of shape [${shape.join(',')}])`);
    const binary = body.subarray(jsonEnd);
    if (binary.length !== want) throw bad(`the binary section holds ${binary.length} bytes; the inputs declare ${want}`);
    values = binaryValues(binary, datatype as ImageDatatype);
  } else {
    if (jsonEnd !== body.length) throw bad(`the body has ${body.length - jsonEnd} bytes after the JSON header, but no input declares binary_data_size`);
    values = jsonValues(input.data, datatype as ImageDatatype, count);
  }
  const [n, height, width, channels] = shape as [number, number, number, number];
  const plane = height * width * channels;
  const size = { height, width, channels: channels as 1 | 2 | 3 | 4 };
  // One copy per image (slice), so no image holds the request body alive.
  const images = Array.from({ length: n }, (_, i) => {
    const pixels = values.slice(i * plane, (i + 1) * plane);
    return pixels instanceof Uint8Array ? imageTensor('u8', size, pixels) : imageTensor('f32', size, pixels);
  });
  return { id: json.id, datatype: datatype as ImageDatatype, images, outputs: requestedOutputs(json.outputs, parameters), similar: similarK(parameters) };
}

function checkShape(shape: unknown, contract: InputContract): number[] {
  const want = [contract.height, contract.width, contract.channels];
  if (!Array.isArray(shape) || shape.length !== 4 || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw bad(`input "image": shape ${JSON.stringify(shape)} is not [N, ${want.join(', ')}]`);
  }
  if (shape[0] < 1 || shape.slice(1).some((d, i) => d !== want[i])) throw bad(`input "image": shape [${shape.join(',')}] does not match the model's [-1,${want.join(',')}] (N ≥ 1)`);
  return shape as number[];
}

function binaryValues(bytes: Buffer, datatype: ImageDatatype): Uint8Array | Float32Array {
  if (datatype === 'UINT8') return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = datatype === 'FP32' && LITTLE_ENDIAN_HOST ? new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) : decodeLittleEndian(bytes, datatype);
  assertFinite(out, datatype);
  return out;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function decodeLittleEndian(bytes: Buffer, datatype: 'FP32' | 'FP16'): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / BYTES_PER_ELEMENT[datatype]);
  for (let i = 0; i < out.length; i++) out[i] = datatype === 'FP32' ? view.getFloat32(i * 4, true) : fromHalf(view.getUint16(i * 2, true));
  return out;
}

/** Tensor data as JSON: row-major, flat or nested arrays (flattened here). */
function jsonValues(data: unknown, datatype: ImageDatatype, count: number): Uint8Array | Float32Array {
  if (!Array.isArray(data)) throw bad('input "image": "data" must be an array (or use binary_data_size)');
  const flat = (data as unknown[]).flat(Infinity as 1);
  if (flat.length !== count) throw bad(`input "image": "data" holds ${flat.length} elements; the shape needs ${count}`);
  const out = datatype === 'UINT8' ? new Uint8Array(count) : new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const v = flat[i];
    if (typeof v !== 'number' || (datatype === 'UINT8' && (!Number.isInteger(v) || v < 0 || v > 255))) {
      throw bad(`input "image": data element ${i} is ${JSON.stringify(v)}, not ${datatype === 'UINT8' ? 'an integer 0..255' : 'a number'}`);
    }
    out[i] = v;
  }
  if (datatype !== 'UINT8') assertFinite(out as Float32Array, datatype);
  return out;
}

function assertFinite(values: Float32Array, datatype: ImageDatatype): void {
  const at = values.findIndex((v) => !Number.isFinite(v));
  if (at >= 0) throw bad(`input "image": ${datatype} element ${at} is ${values[at]}; pixel values must be finite`);
}

/**
 * Which outputs to answer with, and how: `outputs` names them (default probabilities and
 * features); `binary_data` on an output, else the request's `binary_data_output`, picks binary.
 */
function requestedOutputs(outputs: unknown, parameters: Record<string, unknown>): RequestedOutput[] {
  const binaryDefault = parameters.binary_data_output === true;
  if (parameters.binary_data_output !== undefined && typeof parameters.binary_data_output !== 'boolean') throw bad('parameter "binary_data_output" must be a boolean');
  if (outputs === undefined) return DEFAULT_OUTPUTS.map((name) => ({ name, binary: binaryDefault }));
  if (!Array.isArray(outputs) || outputs.length === 0) throw bad('"outputs" must be a non-empty array of {"name"}');
  return outputs.map((output: unknown, i) => {
    if (!isObject(output) || !OUTPUT_NAMES.includes(output.name as OutputName)) {
      throw bad(`outputs[${i}]: unknown output ${JSON.stringify(isObject(output) ? output.name : output)}; outputs: ${OUTPUT_NAMES.join(', ')}`);
    }
    const p = output.parameters === undefined ? {} : output.parameters;
    if (!isObject(p) || (p.binary_data !== undefined && typeof p.binary_data !== 'boolean')) throw bad(`outputs[${i}]: "parameters.binary_data" must be a boolean`);
    return { name: output.name as OutputName, binary: (p.binary_data as boolean | undefined) ?? binaryDefault };
  });
}

function similarK(parameters: Record<string, unknown>): number | undefined {
  const k = parameters.similar_k;
  if (k === undefined) return undefined;
  if (!Number.isInteger(k) || (k as number) < 1 || (k as number) > 1000) throw bad(`parameter "similar_k" ${JSON.stringify(k)} is not an integer 1..1000`);
  return k as number;
}
