import { broadcastBinaryOutputs } from '../../kernels-shared/broadcast-binary.js';

export const addOutputs = broadcastBinaryOutputs('add');
