import { broadcastBinaryWgsl } from '../../kernels-shared/broadcast-binary.js';

export const mulWgsl = broadcastBinaryWgsl('x * y');
