import { broadcastBinaryOutputs } from '../../kernels-shared/broadcast-binary.js';

export const mulOutputs = broadcastBinaryOutputs('mul');
