export { createEdgeServer, type EdgeServer } from './edge-server.js';
export { EDGE_SERVER_DEFAULTS, isLoopback, type EdgeServerOptions } from './edge-server-options.js';
export { createInferenceLog, readInferenceLog, type InferenceLog, type InferenceLogOptions, type InferenceRecord } from './inference-log.js';
export { createLogger, type Logger } from './logger.js';
export { EdgeMetrics } from './metrics.js';
export { DriftMonitor, type DriftMonitorOptions, type ServedVersion } from './monitoring/drift-monitor.js';
export type { DriftSubject } from './monitoring/drift-gauges.js';
export { StreamMetrics } from './monitoring/stream-metrics.js';
