export { createProgram } from './program.js';
// The logic of `cvf bench pca` and `cvf bench retrieval`, for bench/ to run beside its peers.
export { runBenchPca, type BenchPcaOptions, type BenchPcaResult } from './commands/bench-pca.js';
export { runBenchRetrieval, timeSearches, type BenchRetrievalOptions, type BenchRetrievalResult } from './commands/bench-retrieval.js';
// `cvf predict` on videos and cines (bench/streams times it beside raw ONNX Runtime), and the per-stream monitoring `cvf consume` shares.
export { predictStreams, type PredictStreamsOptions, type StreamOutcome } from './streams/video-streams.js';
export { createStreamMonitor, StreamMonitors, type StreamMonitor, type StreamMonitorsOptions } from './streams/monitor.js';
export { serveStreamMetrics, type StreamMetricsServer } from './streams/monitor-server.js';
