export { computeReferenceStatistics, REFERENCE_QUANTILE_LEVELS, REFERENCE_SAMPLE_SIZE, type ReferenceInput, type ReferenceStatistics } from './reference-statistics.js';
