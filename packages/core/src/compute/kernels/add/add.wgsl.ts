import { broadcastBinaryWgsl } from '../../kernels-shared/broadcast-binary.js';

export const addWgsl = broadcastBinaryWgsl('x + y');
