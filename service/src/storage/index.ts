export { Store } from './store';
export type {
  DatapointBatch,
  DetectionBatch,
  Series,
  TimeRange,
  OpenOptions,
  UserQueryResult,
  StoredDetection,
  MetricInfo,
  MetricState,
  StoredBand,
} from './store';
export type { StoreLocation } from './connect';
export { httpUrl } from './connect';
export type { Lock, LockHolder, LockKey, AcquireResult, FinalStatus } from './locks';
export { SCHEMA_VERSION, MIGRATIONS } from './migrations';
export type { Migration } from './migrations';
export { createTableStatements, addColumnStatements, createDatabaseStatement } from './ddl';
export type { Topology } from './ddl';
export * as tables from './schema';
export { AlertStore } from './alerts';
export type {
  AlertEventRow,
  AlertRowEventType,
  ChannelDelivery,
  CurrentAlertRowState,
  RecentDetectionRow,
} from './alerts';
