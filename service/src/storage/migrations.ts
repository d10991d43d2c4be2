import { addColumnStatements, createTableStatements, type Topology } from './ddl';
import { ALERTS, DATAPOINTS, DETECTIONS, METRIC_CONFIGS, METRICS, TASKS } from './schema';

/**
 * Versioned schema migrations. Every statement is idempotent (`IF NOT EXISTS`), so a database
 * created by detectkit itself, at any version, is brought to the current schema in place: the
 * tables exist already and only the missing columns are added.
 */
export interface Migration {
  version: number;
  name: string;
  statements(t: Topology): string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'detectkit 0.3.5 tables',
    statements: (t) => [DATAPOINTS, DETECTIONS, TASKS, METRICS].flatMap((s) => createTableStatements(s, t)),
  },
  {
    // detectkit never migrated: tables created by 0.2.x lack the columns later releases added.
    version: 2,
    name: 'columns added by later detectkit releases',
    statements: (t) => [
      ...addColumnStatements('_dtk_detections', { name: 'detector_name', type: 'String' }, t, 'detector_id'),
      ...addColumnStatements('_dtk_detections', { name: 'processed_value', type: 'Nullable(Float64)' }, t, 'value'),
      ...addColumnStatements('_dtk_tasks', { name: 'last_alert_sent', type: "Nullable(DateTime64(3, 'UTC'))" }, t),
      ...addColumnStatements('_dtk_tasks', { name: 'alert_count', type: 'UInt32', default: '0' }, t),
    ],
  },
  {
    version: 3,
    name: 'alerts and UI-managed metric definitions',
    statements: (t) => [ALERTS, METRIC_CONFIGS].flatMap((s) => createTableStatements(s, t)),
  },
  {
    // Locks need an owner so a claim can be told from a competing one (detectkit's had none).
    version: 4,
    name: 'task lock owner',
    statements: (t) => addColumnStatements('_dtk_tasks', { name: 'lock_owner', type: 'String', default: '' }, t),
  },
];

export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
