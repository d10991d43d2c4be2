export { runMetric } from './runMetric';
export { runMany } from './runMany';
export type { PipelineDeps } from './runMetric';
export { createReporter, silentReporter, fmtTime, fmtInt } from './reporter';
export type { Reporter, Colour } from './reporter';
export { alignDown } from './time';
export { STEPS } from './types';
export type {
  PipelineMetric,
  PipelineDetector,
  MetricSource,
  LoadedPoints,
  RunOptions,
  Step,
  MetricRunResult,
  DetectorRunSummary,
} from './types';
