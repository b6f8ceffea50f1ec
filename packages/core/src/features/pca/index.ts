export { orthonormalizeRows } from './householder-qr.js';
export { Pca, type PcaCompute, type PcaOptions, type PcaState } from './pca.js';
export { PCA_STRATEGIES, type PcaFitSettings, type PcaStrategy } from './pca-fit.js';
export { symmetricEigen, type SymmetricEigen } from './symmetric-eigen.js';
