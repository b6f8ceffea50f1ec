export { checkGram, checkMatmul, type FastMatmul, type FastMatmulOptions, type MatmulShape } from './fast-matmul.js';
export { createJsFastMatmul } from './js-fast-matmul.js';
export { createOrtFastMatmul, type OrtFastMatmulOptions } from './ort-fast-matmul.js';
