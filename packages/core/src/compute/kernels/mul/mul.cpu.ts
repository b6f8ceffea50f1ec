import { broadcastBinaryCpu } from '../../kernels-shared/broadcast-binary.js';

export const mulCpu = broadcastBinaryCpu((a, b) => a * b);
