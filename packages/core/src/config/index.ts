export { pipelineConfigSchema, type PipelineConfig, type PipelineConfigInput } from './schema.js';
export { parsePipelineConfig } from './load.js';
export { parseOverrides, type ConfigOverride } from './overrides.js';
export { CONFIG_REFERENCE_COMMAND, configReferenceMarkdown } from './config-reference.js';
export { aliasSchema } from './sections/registry.js';
export {
  driftMethodNames,
  monitorSchema,
  scheduleActionNames,
  type DriftMethodName,
  type MonitorConfig,
  type PerformanceConfig,
  type RetrainSelectorConfig,
  type ScheduleActionName,
  type ScheduleEntry,
} from './sections/monitor.js';
export { windowPresets, type WindowPreset } from './sections/preprocess.js';
export { dataSourceSchema, type DataSource, type UnlabelledSource } from './sections/data.js';
export {
  metricMode,
  scalarMetricNames,
  trackedMetricNames,
  type ScalarMetricName,
  type TrackedMetricName,
} from './sections/common.js';
