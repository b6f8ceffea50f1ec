import { broadcastBinaryCpu } from '../../kernels-shared/broadcast-binary.js';

export const addCpu = broadcastBinaryCpu((a, b) => a + b);
