export { Scheduler, DEFAULT_CONCURRENCY, DEFAULT_TIMING } from './scheduler';
export type { SchedulerHooks, SchedulerOptions } from './scheduler';
export { ownsMetric, parseShard, stableHash, nextDue, offsetMs } from './timing';
export type { Shard, TimingOptions } from './timing';
export { RunRegistry } from './runRegistry';
