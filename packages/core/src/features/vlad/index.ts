export { fitFloatCodebook } from './float-codebook.js';
export { floatWordHistogram, pooledLength, POOLINGS, vladVector, type Pooling } from './pooling.js';
