export { chiSquaredSurvival } from '../../eval/chi-squared-distribution.js';
export { chiSquaredHomogeneity, type ChiSquaredTest } from './chi-squared.js';
export { INPUT_HISTOGRAM_BINS, inputImageStatistics, type InputImageStatistics } from './image-statistics.js';
export { inputDrift, type InputDriftOptions, type InputDriftTest } from './input-drift.js';
export { computeInputReference, INPUT_REFERENCE_SIZE, inputReferenceOf, type InputReference } from './input-reference.js';
