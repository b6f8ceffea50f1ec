export { columnStats, type ColumnStats } from './column-stats.js';
export { orthonormalizeRows } from './householder-qr.js';
export { deviceEngine, fastMatmulEngine, type BoundMatrix, type MatrixEngine } from './matrix-engine.js';
export { Pca, type PcaCompute, type PcaOptions, type PcaState } from './pca.js';
export { chooseStrategy, fitPcaMatrix, PCA_STRATEGIES, type PcaFitResult, type PcaFitSettings, type PcaStrategy } from './pca-fit.js';
export { symmetricEigen, type SymmetricEigen } from './symmetric-eigen.js';
