/**
 * Project configuration: loading, validation and metric selection (DESIGN §5, reference §2, §3.2).
 *
 * Public surface, refined from the issue's sketch:
 * - `loadProject(root, { strict, env, profile, partial })`: `partial` (for `dtk run`) keeps going past
 *   metric-file errors: those metrics land in `failed` (each with its issues) and the others run; project
 *   and profiles errors still throw. Without it, any error throws ConfigError (`dtk validate`). `profile`
 *   names the profile in use: unset variables there are errors, elsewhere warnings.
 * - `LoadedProject` adds `failed` and `metricsDir`; `LoadedMetric` adds `queryFile` (absolute);
 *   `LoadedDetector` adds `paramsNode` (its `detector` is already built with the YAML float spelling).
 * - `selectFromProject` returns selected metrics, selected failed files and detectkit's skip warnings;
 *   `selectMetrics` returns the metrics only.
 * - `selectProfile(projectDir, name?, env?)` interpolates the chosen profile.
 */
export { ConfigError, formatIssue, displayFile, type ConfigIssue } from './issues';
export { findProjectRoot, listMetricFiles, PROJECT_FILE } from './discover';
export { loadProject, selectFromProject, selectMetrics, type LoadedProject, type LoadOptions } from './load';
export type { FailedMetric, LoadedDetector, LoadedMetric } from './metricFile';
export type { Selection } from './select';
export { selectProfile, type SelectedProfile } from './profiles';
export { PROFILES_FILE } from './profilesFile';
export { interpolateString } from './env';
export type { MetricConfig, ProfilesConfig, ProjectConfig } from '../../../common/config';
