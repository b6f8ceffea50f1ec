import { Tensor } from '../compute/tensor.js';
import { TrainError } from '../errors.js';
import { headFromParameters, headParameters, parameterNames, parameterShapes, validateHeadSpec, type Head, type HeadSpec } from './head.js';
import { decodeTensorArchive, encodeTensorArchive, type ArchiveTensor } from './tensor-archive.js';

const KIND = 'cvf head';

/** A head's architecture and parameters as bytes (host head; see `headToHost`). */
export function saveHead(head: Head): Uint8Array {
  const names = parameterNames(head.spec);
  const tensors = headParameters(head).map((t, i) => ({ name: names[i]!, shape: t.shape, data: hostData(t, names[i]!) }));
  return encodeTensorArchive(KIND, { spec: head.spec }, tensors);
}

export function loadHead(bytes: Uint8Array): Head {
  const { meta, tensors } = decodeTensorArchive(bytes, KIND);
  const spec = (meta as { spec?: HeadSpec } | null)?.spec;
  if (!spec) throw new TrainError('TRAIN_CHECKPOINT_INVALID', `not a valid ${KIND} (no spec)`);
  validateHeadSpec(spec);
  return headFromParameters(spec, parametersFrom(spec, tensors, ''));
}

/** The parameters of `spec` from archive tensors named `<prefix><layerN.weight|bias>`, shapes checked. */
export function parametersFrom(spec: HeadSpec, tensors: ReadonlyMap<string, ArchiveTensor>, prefix: string): Tensor[] {
  const shapes = parameterShapes(spec);
  return parameterNames(spec).map((name, i) => {
    const shape = shapes[i]!;
    const tensor = tensors.get(prefix + name);
    if (!tensor || tensor.shape.join(',') !== shape.join(',')) {
      throw new TrainError('TRAIN_CHECKPOINT_INVALID', `tensor "${prefix + name}" ${tensor ? `has shape [${tensor.shape.join(', ')}]` : 'is missing'}; the head needs [${shape.join(', ')}]`);
    }
    return Tensor.cpu('f32', shape, tensor.data);
  });
}

export function hostData(tensor: Tensor, name: string): Float32Array {
  if (tensor.location !== 'cpu') {
    throw new TrainError('TRAIN_HEAD_NOT_ON_HOST', `parameter "${name}" lives on the GPU; copy the head with \`await headToHost(device, head)\` first`);
  }
  return tensor.data as Float32Array;
}
