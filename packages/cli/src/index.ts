export { createProgram } from './program.js';
// The logic of `cvf bench pca` and `cvf bench retrieval`, for bench/ to run beside its peers.
export { runBenchPca, type BenchPcaOptions, type BenchPcaResult } from './commands/bench-pca.js';
export { runBenchRetrieval, timeSearches, type BenchRetrievalOptions, type BenchRetrievalResult } from './commands/bench-retrieval.js';
