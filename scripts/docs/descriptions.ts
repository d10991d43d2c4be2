import { INTERVAL_UNITS, SEASONALITY_COLUMNS } from '../../common/config';
import { DETECTOR_TYPES, INPUT_TYPES } from '../../common/detectors';
import type { ErrorCode } from '../../service/src/errors';

/**
 * One sentence per configuration key, for docs/reference/configuration.md. zod's JSON Schema carries types,
 * defaults, enums and plain bounds; what a key means, refinements the schema cannot state (`bounds`) and an example
 * live here. `npm run docs` fails, listing them, when a key of the schemas has no entry here or an entry names no
 * key: a new key cannot go undocumented, a removed one cannot leave a stale line.
 *
 * One map per file (the same path means different things in two files: `name`, `tables`). Keys are the schema
 * paths: `alerting.direction`; variants of a union in brackets (`source[prometheus].url`,
 * `alert_channels.<name>[email].smtp_host`); `[*]` is a fallback shared by every variant (`detectors[*].params.…`),
 * used when the variant has no entry of its own. A bare variant key (`source[prometheus]`, `detectors[mad]`) is the
 * introduction of that variant's section. An example is required where the key has no default and no allowed values.
 */
export interface KeyDoc {
  text: string;
  /** Written in YAML as it would appear after `key: ` (shown in the Example column). */
  example?: string;
  /** Constraints enforced by refinements, which JSON Schema does not show. */
  bounds?: string;
  /** A clearer type than the schema's (e.g. `date-time` rather than `any`). */
  type?: string;
  /** Allowed values enforced by a refinement. */
  values?: readonly unknown[];
}

export type Doc = string | KeyDoc;

const DURATION = `seconds (\`600\`) or \`<number><unit>\` with the units ${INTERVAL_UNITS.join(', ')}`;
const UNUSED_TABLE = (t: string) => `Accepted and unused, as in detectkit: the table is always \`${t}\`.`;
const FORECAST_MIN_SAMPLES: KeyDoc = {
  text: 'Fewest non-missing training points before a band is given (`insufficient_data` before).',
  bounds: 'integer 3..`window_size`',
};
const IDENT = 'a plain identifier (letters, digits, `_`; not starting with a digit)';

/** detectkit_project.yml */
const PROJECT: Record<string, Doc> = {
  name: {
    text: 'Project name (alias `project_name`): letters, digits, `_`, `-` and spaces.',
    example: 'my_project',
  },
  version: 'Project version, informational; an unquoted `1.0` is kept as written.',
  paths: 'Directories of the project, relative to its root.',
  'paths.metrics':
    'Directory of the metric files (aliases `metrics_dir`, top-level `metrics_path`); dtk reads it, detectkit always read `metrics/`.',
  'paths.sql':
    'SQL directory (aliases `sql_dir`, top-level `sql_path`); accepted and unused: `query_file` is relative to the project root.',
  'paths.templates': 'Templates directory (aliases `templates_dir`, top-level `templates_path`); accepted and unused.',
  tables: 'Names of the internal tables (alias `default_tables`); accepted and unused, as in detectkit.',
  'tables.datapoints': UNUSED_TABLE('_dtk_datapoints'),
  'tables.detections': UNUSED_TABLE('_dtk_detections'),
  'tables.tasks': UNUSED_TABLE('_dtk_tasks'),
  'tables.metrics': UNUSED_TABLE('_dtk_metrics'),
  timeouts:
    "Step timeouts in seconds; accepted and unused, as in detectkit (a run's lock expires 3600 s after its last heartbeat).",
  'timeouts.load': 'Timeout of the load step in seconds; unused.',
  'timeouts.detect': 'Timeout of the detect step in seconds; unused.',
  'timeouts.alert': 'Timeout of the alert step in seconds; unused.',
  'timeouts.query_timeout': "The documentation's query timeout key; accepted and unused.",
  'timeouts.lock_timeout': "The documentation's lock timeout key; accepted and unused.",
  default_profile: {
    text: "Profile used when profiles.yml has no `default_profile` and no `--profile` is given (detectkit required the key and never read it); profiles.yml's `default_profile` wins.",
    example: 'local',
  },
};

/** profiles.yml */
const PROFILES: Record<string, Doc> = {
  profiles:
    "Database profiles by name. Without a `profiles:` key, top-level mappings with a `type:` are taken as profiles (the layout of detectkit's QUICKSTART and `dtk init`).",
  default_profile: {
    text: "Profile used when `--profile` is not given (then the project's `default_profile`, then the embedded store).",
    example: 'local',
  },
  alert_channels:
    "Alert channels by name; a metric lists the names in `alerting.channels`. `type` is case-insensitive. Strings may use `${VAR}` / `{{ env_var('VAR') }}`.",
  'profiles.<name>[embedded]':
    "ClickHouse's engine inside the dtk process (npm package chdb): no server to run. One process owns a data directory at a time.",
  'profiles.<name>[embedded].type': 'Selects the embedded engine.',
  'profiles.<name>[embedded].path': 'Data directory, relative to the project root.',
  'profiles.<name>[embedded].internal_database': `Database of the \`_dtk_*\` tables; ${IDENT}.`,
  'profiles.<name>[embedded].data_database': `Database created for your own tables (the demo's \`demo.ops_metrics\`); ${IDENT}.`,
  'profiles.<name>[*].settings': {
    text: 'ClickHouse settings sent with every query.',
    example: '{max_execution_time: 600}',
  },
  'profiles.<name>[clickhouse]':
    "A ClickHouse server or cluster over HTTP. `database:` (the scaffold's spelling) sets both databases unless they are given.",
  'profiles.<name>[clickhouse].type': 'Selects a ClickHouse server.',
  'profiles.<name>[clickhouse].host': {
    text: 'Host name of the server.',
    example: 'ch.internal',
  },
  'profiles.<name>[clickhouse].port': {
    text: "Port; detectkit's native ports are accepted and mapped to HTTP (9000 → 8123, 9440 → 8443 with TLS), with a log line saying so. Default 8123, or 8443 with `secure`.",
    bounds: '1..65535',
    example: '9000',
  },
  'profiles.<name>[clickhouse].http_port': {
    text: 'HTTP port, used as is (wins over `port`).',
    bounds: '1..65535',
    example: '8123',
  },
  'profiles.<name>[clickhouse].secure': 'Use HTTPS.',
  'profiles.<name>[clickhouse].user': 'User name.',
  'profiles.<name>[clickhouse].password': {
    text: 'Password; keep it out of the file with `${VAR}`.',
    example: "'${CLICKHOUSE_PASSWORD}'",
  },
  'profiles.<name>[clickhouse].internal_database': {
    text: `Database of the \`_dtk_*\` tables (required for a server); ${IDENT}.`,
    example: 'dtk',
  },
  'profiles.<name>[clickhouse].data_database': {
    text: `Database of your metric tables, created when missing; ${IDENT}.`,
    example: 'analytics',
  },
  'profiles.<name>[clickhouse].cluster': {
    text: 'Cluster name: tables are created `ON CLUSTER` with Replicated engines and Distributed tables (docs/storage.md).',
    example: 'prod_cluster',
  },
  'profiles.<name>[clickhouse].timeout': 'Request timeout in seconds.',
  'profiles.<name>[postgres]':
    'Accepted in the file as detectkit does (any keys), warned about, and refused when selected: dtk stores in ClickHouse only.',
  'profiles.<name>[postgres].type': 'A PostgreSQL profile (not supported).',
  'profiles.<name>[mysql]':
    'Accepted in the file as detectkit does (any keys), warned about, and refused when selected: dtk stores in ClickHouse only.',
  'profiles.<name>[mysql].type': 'A MySQL profile (not supported).',

  'alert_channels.<name>[webhook]':
    "detectkit's generic webhook: `POST` of `{text, username, icon_emoji[, channel]}` as JSON (Slack-compatible).",
  'alert_channels.<name>[webhook].type': 'A generic webhook.',
  'alert_channels.<name>[*].webhook_url': {
    text: 'Incoming-webhook URL (webhook alias `url`); its path is a secret, never logged.',
    example: "'${SLACK_WEBHOOK_URL}'",
  },
  'alert_channels.<name>[*].username':
    "Sender name shown by the chat (detectkit's code default was the typo `detectk`).",
  'alert_channels.<name>[*].icon_emoji': 'Emoji shown as the avatar.',
  'alert_channels.<name>[*].channel': {
    text: 'Channel to post to, when the webhook allows overriding its own.',
    example: "'#alerts'",
  },
  'alert_channels.<name>[*].timeout': 'Request timeout in seconds.',
  'alert_channels.<name>[webhook].extra_headers': {
    text: 'HTTP headers added to the request (alias `headers`), e.g. an authorization header from `${VAR}`.',
    example: "{Authorization: 'Bearer ${HOOK_TOKEN}'}",
  },
  'alert_channels.<name>[webhook].method': {
    text: "The documentation's `method`: only `POST` is allowed (detectkit always posted).",
    values: ['POST'],
  },
  'alert_channels.<name>[mattermost]': "Mattermost incoming webhook (detectkit's payload).",
  'alert_channels.<name>[mattermost].type': 'A Mattermost incoming webhook.',
  'alert_channels.<name>[*].icon_url': {
    text: 'Avatar image URL (our addition; the scaffold and QUICKSTART used it, detectkit refused it).',
    example: 'https://example.com/dtk.png',
  },
  'alert_channels.<name>[slack]': "Slack incoming webhook (detectkit's payload).",
  'alert_channels.<name>[slack].type': 'A Slack incoming webhook.',
  'alert_channels.<name>[telegram]':
    'Telegram Bot API `sendMessage` (detectkit could not send: its channel was broken). The text is escaped for `parse_mode`.',
  'alert_channels.<name>[telegram].type': 'A Telegram bot.',
  'alert_channels.<name>[telegram].bot_token': {
    text: 'Bot token from @BotFather; use `${VAR}`.',
    example: "'${TELEGRAM_BOT_TOKEN}'",
  },
  'alert_channels.<name>[telegram].chat_id': {
    text: 'Chat, group or channel id (a number or `@channelname`).',
    example: "'-1001234567890'",
  },
  'alert_channels.<name>[telegram].parse_mode': 'Telegram parse mode; the message text is escaped for it.',
  'alert_channels.<name>[telegram].api_url': 'Bot API base URL (a local Bot API server).',
  'alert_channels.<name>[telegram].disable_notification': 'Send silently.',
  'alert_channels.<name>[*].template': {
    text: "Accepted for detectkit compatibility and unused: messages come from the metric's `template_single` / `template_consecutive`.",
    example: "'{metric_name}: {value}'",
  },
  'alert_channels.<name>[email]':
    "SMTP e-mail (detectkit's channel, which could not send). Certificates are always verified.",
  'alert_channels.<name>[email].type': 'E-mail over SMTP.',
  'alert_channels.<name>[email].smtp_host': { text: 'SMTP server host.', example: 'smtp.example.com' },
  'alert_channels.<name>[email].smtp_port': { text: 'SMTP port (587 with STARTTLS, 465 with TLS).', example: '587' },
  'alert_channels.<name>[email].from_email': { text: 'Sender address.', example: 'dtk@example.com' },
  'alert_channels.<name>[email].to_emails': {
    text: 'Recipients: a list, or one address.',
    example: '[oncall@example.com]',
  },
  'alert_channels.<name>[email].smtp_username': {
    text: "SMTP user (alias `smtp_user`, the documentation's spelling).",
    example: 'dtk',
  },
  'alert_channels.<name>[email].smtp_password': { text: 'SMTP password; use `${VAR}`.', example: "'${SMTP_PASSWORD}'" },
  'alert_channels.<name>[email].use_tls':
    '`true`: plain connection upgraded with STARTTLS (required); `false`: TLS from the first byte (port 465).',
  'alert_channels.<name>[email].tls_ca_file': {
    text: 'PEM file of a private CA that signed the server certificate, relative to the project.',
    example: 'certs/corp-ca.pem',
  },
  'alert_channels.<name>[email].subject_template': 'Subject, a Python `str.format` template with `{metric_name}`.',
  'alert_channels.<name>[alertmanager]':
    'An external Prometheus Alertmanager, v2 API (`POST /api/v2/alerts`): re-sent while firing, resolved explicitly. docs/guides/alerting-channels.md.',
  'alert_channels.<name>[alertmanager].type': 'Prometheus Alertmanager.',
  'alert_channels.<name>[alertmanager].url': {
    text: 'Base URL; `/api/v2/alerts` is appended.',
    example: 'http://alertmanager:9093',
  },
  'alert_channels.<name>[alertmanager].labels': {
    text: 'Labels added to every alert (route on them in Alertmanager).',
    example: '{team: payments}',
  },
  'alert_channels.<name>[alertmanager].annotations': {
    text: 'Annotations added to every alert.',
    example: "{runbook: 'https://wiki.example.com/dtk'}",
  },
  'alert_channels.<name>[alertmanager].severity': 'Value of the `severity` label.',
  'alert_channels.<name>[alertmanager].link': {
    text: 'Link put in the `link` annotation and `generatorURL`, e.g. the metric in Grafana.',
    example: "'https://grafana.example.com/a/detectkit-anomaly-app/metrics'",
  },
  'alert_channels.<name>[alertmanager].extra_headers': {
    text: 'HTTP headers added to the request (e.g. authorization of a proxy in front of Alertmanager).',
    example: "{Authorization: 'Bearer ${AM_TOKEN}'}",
  },
  'alert_channels.<name>[grafana]':
    'Grafana contact points: dtk keeps one Grafana-managed alert rule per metric in sync; Grafana routes, silences and notifies. Needs a ClickHouse server profile. docs/guides/alerting-grafana.md.',
  'alert_channels.<name>[grafana].type': 'Grafana-managed alert rules.',
  'alert_channels.<name>[grafana].url': {
    text: "Grafana's URL as the dtk service reaches it.",
    example: 'http://grafana:3000',
  },
  'alert_channels.<name>[grafana].token': {
    text: 'Service-account token (`glsa_…`) with rule write access; use `${VAR}`.',
    example: "'${GRAFANA_SA_TOKEN}'",
  },
  'alert_channels.<name>[grafana].contact_point': {
    text: 'Name of the Grafana contact point that receives the notifications.',
    example: 'oncall-slack',
  },
  'alert_channels.<name>[grafana].datasource_uid': {
    text: "uid of Grafana's ClickHouse data source that reads dtk's database.",
    example: 'detectkit-clickhouse',
  },
  'alert_channels.<name>[grafana].folder_uid': 'uid of the (existing) Grafana folder that holds the rules.',
  'alert_channels.<name>[grafana].group':
    'Rule group name; its evaluation interval follows the shortest metric interval.',
};

/** Metric files. */
const METRIC: Record<string, Doc> = {
  name: {
    text: 'Metric name, unique in the project: letters, digits, `_`, `-`. It keys every stored row, lock and alert.',
    example: 'checkout_latency_p95',
  },
  description: {
    text: 'Free text, stored in `_dtk_metrics` and shown in Grafana.',
    example: 'p95 checkout latency, ms',
  },
  tags: {
    text: 'Tags for `-s tag:<tag>` and Grafana variables: a non-empty list of unique names (letters, digits, `_`, `-`).',
    type: 'list of string',
    example: '[checkout, latency]',
  },
  profile: {
    text: 'Accepted and unused, as in detectkit: the profile comes from `--profile` or profiles.yml.',
    example: 'prod',
  },
  query: {
    text: 'SQL template (Jinja) run on the store: `{{ dtk_start_time }}`, `{{ dtk_end_time }}`, `{{ interval_seconds }}`; exactly one of `query`, `query_file`, `source`. docs/sources.md.',
    example: `"SELECT … WHERE ts >= '{{ dtk_start_time }}' AND ts < '{{ dtk_end_time }}'"`,
  },
  query_file: {
    text: 'File holding the SQL template, relative to the project root (detectkit: the current directory); read again at every load.',
    example: 'sql/checkout_latency.sql',
  },
  query_columns: "Names of the query's result columns.",
  'query_columns.timestamp': 'Column holding the timestamp (Date, DateTime or DateTime64; a string is read as UTC).',
  'query_columns.metric': 'Column holding the value (any number type; NULL or NaN is a missing point).',
  'query_columns.seasonality': {
    text: 'Columns holding seasonality keys computed by the query; replaces `seasonality_columns`.',
    example: '[region, league_day]',
  },
  source:
    'A non-SQL source (our addition): `prometheus` or `scrape`. `source: {type: clickhouse}` is the SQL source spelled out.',
  interval: {
    text: `Sampling interval and grid of the metric: ${DURATION}.`,
    type: 'integer | string',
    example: '5min',
  },
  loading_start_time: {
    text: 'Where the first load starts when nothing is stored yet (`--from` overrides): `YYYY-MM-DD HH:MM:SS` UTC, ISO 8601 with an offset, quoted or not.',
    type: 'date-time',
    example: "'2024-01-01 00:00:00'",
  },
  seasonality_columns: {
    text: "Seasonality keys derived from each point's UTC timestamp, for detectors' `seasonality_components`.",
    type: 'list of string',
    values: SEASONALITY_COLUMNS,
    example: '[hour, is_weekend]',
  },
  loading_batch_size: 'Points per load query.',
  detectors: 'Detectors run on the metric, each `{type, params}`; see [Detector parameters](#detector-parameters).',
  'detectors[].type': {
    text: 'Detector type (case-insensitive).',
    values: DETECTOR_TYPES,
  },
  'detectors[].params': {
    text: "The detector's parameters; see [Detector parameters](#detector-parameters). `params: null` is `{}`.",
    example: '{threshold: 3.5, window_size: 2016}',
  },
  alerting: 'When and where to alert. docs/alerting.md.',
  'alerting.enabled': 'Turns alerting for the metric on or off.',
  'alerting.timezone': {
    text: 'IANA time zone in which alert times are shown (converted, DST-safe).',
    example: 'Europe/Berlin',
  },
  'alerting.channels': {
    text: 'Names of `alert_channels` in profiles.yml.',
    example: '[oncall, grafana]',
  },
  'alerting.min_detectors': "How many of the metric's detectors must agree at a point (detectkit ignored it).",
  'alerting.direction':
    '`up` / `down`: only that side; `any`; `same`: the streak and the detectors point the same way.',
  'alerting.consecutive_anomalies':
    'Consecutive anomalous grid points needed to fire; also the intervals without data before `no_data`.',
  'alerting.no_data_alert':
    'Send a `no_data` event after `consecutive_anomalies` intervals without a value, and a resolved one when data returns.',
  'alerting.template_single': {
    text: 'Python `str.format` message for a single anomaly, with `{metric_name}`, `{timestamp}`, `{value}`, `{confidence_interval}`, `{detector_name}`, `{direction}`, `{severity}` …',
    example: "'{metric_name} is {direction}: {value}'",
  },
  'alerting.template_consecutive': {
    text: 'The same for a streak; also has `{consecutive_count}`.',
    example: "'{metric_name}: {consecutive_count} points {direction}'",
  },
  'alerting.alert_cooldown': {
    text: `No new firing notification within this time after the last one: ${DURATION}.`,
    type: 'integer | string',
    example: '30min',
  },
  'alerting.cooldown_reset_on_recovery': 'A recovery ends the cooldown.',
  tables: 'Accepted and unused, as in detectkit.',
  'tables.datapoints': { text: UNUSED_TABLE('_dtk_datapoints'), example: '_dtk_datapoints' },
  'tables.detections': { text: UNUSED_TABLE('_dtk_detections'), example: '_dtk_detections' },
  enabled:
    "`false` leaves the metric out of `*`, `tag:` and glob selections (detectkit's code ran it anyway); naming it still runs it.",

  'source[prometheus]':
    'PromQL `query_range` over each load window with `step` = the interval; every returned series becomes its own metric `name{label="v"}`. docs/sources.md.',
  'source[prometheus].type': 'Prometheus (or Mimir, Thanos, VictoriaMetrics) HTTP API.',
  'source[*].url': {
    text: 'Prometheus: the base URL (`/api/v1/query_range` is appended). Scrape: the exposition URL.',
    bounds: 'http(s) URL',
    example: 'http://prometheus:9090',
  },
  'source[prometheus].query': {
    text: 'PromQL expression; not interpolated.',
    example: 'sum by (instance) (rate(http_requests_total[5m]))',
  },
  'source[prometheus].step': {
    text: 'Query step; must equal the interval, its default.',
    type: 'integer | string',
    example: '1min',
  },
  'source[prometheus].headers': {
    text: 'HTTP headers (win over the auth header), e.g. a tenant header.',
    example: '{X-Scope-OrgID: team-a}',
  },
  'source[prometheus].bearer_token': { text: 'Bearer token; use `${VAR}`.', example: "'${PROM_TOKEN}'" },
  'source[prometheus].basic_auth': 'HTTP basic authentication.',
  'source[prometheus].basic_auth.username': { text: 'User name.', example: 'dtk' },
  'source[prometheus].basic_auth.password': { text: 'Password; use `${VAR}`.', example: "'${PROM_PASSWORD}'" },
  'source[*].timeout': {
    text: `Request timeout: ${DURATION} (default 30s).`,
    type: 'integer | string',
    example: '30s',
  },
  'source[prometheus].max_series': 'Most series the query may return; more fails the metric (aggregate or filter).',
  'source[scrape]':
    'Reads one sample of a Prometheus / OpenMetrics exposition each run (the sidecar case). docs/sources.md.',
  'source[scrape].type': 'Direct scrape of a `/metrics` endpoint.',
  'source[scrape].sample': {
    text: 'Exact sample name, with any `_total` / `_bucket` suffix.',
    example: 'node_load1',
  },
  'source[scrape].labels': {
    text: 'Label values the sample must have; exactly one sample must match.',
    example: '{queue: default}',
  },
  'source[clickhouse]': 'The implicit SQL source of detectkit files, spelled out: still needs `query` or `query_file`.',
  'source[clickhouse].type': 'SQL on the store (needs `query` or `query_file`).',
};

/** Detector parameters (`detectors[<type>].params.<key>`). */
const DETECTORS: Record<string, Doc> = {
  'detectors[mad]':
    'Median and median absolute deviation of the previous `window_size` points: bounds median ± threshold · MAD (raw MAD, no 1.4826 factor). Robust to outliers in the window; the usual first choice.',
  'detectors[zscore]':
    'Mean and sample standard deviation of the previous `window_size` points: bounds mean ± threshold · std. For roughly normal noise; outliers in the window widen the band.',
  'detectors[iqr]':
    'Quartiles of the previous `window_size` points: bounds Q1 − threshold · IQR and Q3 + threshold · IQR (Tukey fences). Robust; suits skewed data.',
  'detectors[manual_bounds]':
    'Fixed limits: a point below `lower_bound` or above `upper_bound` is anomalous (`manual` is an alias). For SLOs and hard limits.',
  'detectors[*].params.threshold': 'Width of the band in units of the spread (MAD, std or IQR).',
  'detectors[*].params.window_size': {
    text: 'How many previous points form the window (the current point is excluded; gaps are not filled from further back).',
    bounds: 'integer ≥ 1',
  },
  'detectors[mad].params.min_samples': {
    text: 'Fewest non-missing points the window needs before a point is judged (`insufficient_data` before).',
    bounds: 'integer 1..`window_size`',
  },
  'detectors[zscore].params.min_samples': {
    text: 'Fewest non-missing points the window needs before a point is judged.',
    bounds: 'integer 2..`window_size`',
  },
  'detectors[iqr].params.min_samples': {
    text: 'Fewest non-missing points the window needs before a point is judged (quartiles need 4).',
    bounds: 'integer 4..`window_size`',
  },
  'detectors[*].params.seasonality_components': {
    text: 'Seasonality groups: each item a column (`hour`) or a list of columns combined (`[hour, is_weekend]`); the statistics are scaled by the same-group values of the window. Columns come from `seasonality_columns` or `query_columns.seasonality`.',
    example: '[[hour, is_weekend]]',
  },
  'detectors[mad].params.min_samples_per_group': {
    text: 'Fewest window points of the same group before the group adjusts the statistics.',
    bounds: 'integer ≥ 0',
  },
  'detectors[zscore].params.min_samples_per_group': {
    text: 'Fewest window points of the same group before the group adjusts the statistics.',
    bounds: 'integer ≥ 1',
  },
  'detectors[iqr].params.min_samples_per_group': {
    text: 'Fewest window points of the same group before the group adjusts the statistics.',
    bounds: 'integer ≥ 4',
  },
  'detectors[*].params.input_type': {
    text: "What is compared: the values, relative `changes`, `absolute_changes` or `log_changes` to the previous point. The documentation's `raw`, `pct_change`, `diff` are aliases.",
    values: [...INPUT_TYPES, 'raw', 'pct_change', 'diff'],
  },
  'detectors[*].params.smoothing':
    'Smooth the series before comparing: exponential (`ema`) or simple moving average (`sma`).',
  'detectors[*].params.smoothing_alpha': { text: 'EMA weight of the newest point.', bounds: '(0, 1]' },
  'detectors[*].params.smoothing_window': { text: 'SMA window in points.', bounds: 'integer ≥ 1' },
  'detectors[*].params.window_weights':
    'Weigh recent window points more: `linear` or `exponential` (with `weight_decay`); uniform when unset.',
  'detectors[*].params.weight_decay': { text: 'Decay per point of exponential weights.', bounds: '(0, 1)' },
  'detectors[*].params.start_time': {
    text: 'First point to detect (an execution parameter, not part of `detector_id`); by default a new detector starts at the first stored point.',
    type: 'date-time',
    example: "'2024-03-01 00:00:00'",
  },
  'detectors[*].params.batch_size': {
    text: 'Points per detection batch: accepted as a lower bound only (dtk detects in batches of at least 100,000, with the same results).',
    example: '2160',
  },
  'detectors[*].params.direction':
    'Which side of the band may be anomalous (post-processing shared by every detector; at the default it changes nothing and is not part of `detector_id`).',
  'detectors[*].params.min_deviation': {
    text: 'Absolute floor: a point outside the band is an anomaly only when it is farther from the band than this (in the units of the compared value).',
    bounds: '≥ 0',
  },
  'detectors[*].params.min_relative_deviation': {
    text: 'Relative floor: … only when it is farther from the band than this fraction of the expected value (0.1 = 10 %).',
    bounds: '≥ 0',
  },
  'detectors[robust]':
    'The recommended detector for new metrics: seasonal median (a daily or weekly cycle found automatically) ± threshold robust standard deviations, with floors that keep flat, quantised and bursty series quiet and hysteresis that makes one incident one event. One configuration for 1-minute to hourly data. docs/detectors-robust.md.',
  'detectors[robust].params.threshold': {
    text: 'Half-width of the band in robust standard deviations (1.4826 × the median absolute residual of normal points).',
    bounds: '> 0',
  },
  'detectors[robust].params.window_size': {
    text: 'Points of the rolling median that sets the level (or the offset from the seasonal profile): a level shift is followed after half of it.',
    bounds: 'integer ≥ 3',
  },
  'detectors[robust].params.scale_window': {
    text: 'Normal points whose residuals set the spread (anomalies are kept out, so an incident does not widen its own band).',
    bounds: 'integer ≥ 10',
  },
  'detectors[robust].params.seasonality': {
    text: '`auto`: use a daily or weekly cycle when the data shows one (re-checked once a day); `none`; or a period in points.',
    example: '1440',
  },
  'detectors[robust].params.seasonal_cycles': {
    text: 'Past cycles whose same-phase median is the seasonal expectation.',
    bounds: 'integer 1..12',
  },
  'detectors[robust].params.min_samples': {
    text: 'Valid points seen before the first verdict; earlier points get no band (`insufficient_data`).',
    bounds: 'integer 3..`history`',
  },
  'detectors[robust].params.min_deviation': {
    text: 'Absolute floor of the band half-width, in value units (here it shapes the band itself, so the score reflects it).',
    bounds: '≥ 0',
  },
  'detectors[robust].params.min_relative_deviation': {
    text: 'Floor of the band half-width as a fraction of |expected| (0.1 = 10 %): small relative wiggles of a large value are not incidents.',
    bounds: '≥ 0',
  },
  'detectors[robust].params.direction': 'Which side of the band may be anomalous.',
  'detectors[robust].params.quantum_floor': {
    text: "Floor of the band half-width in the series' smallest step: counters move by whole steps, and one step is not an incident.",
    bounds: '≥ 0',
  },
  'detectors[robust].params.confirm_score': {
    text: 'A point whose score is below this is flagged only when the point before it was outside the band too (one marginal excursion is noise).',
    bounds: '> 0',
  },
  'detectors[robust].params.hold_score': {
    text: 'After an anomaly, points still at this score or above stay flagged: one incident, one event.',
    bounds: '≥ 0',
  },
  'detectors[robust].params.tail_per_day': {
    text: 'Excursions per day that count as the series\' normal life: once the detector has flagged anything, the band is never narrower than the size of these (an incident counts as one excursion, however long).',
    bounds: '≥ 0',
  },
  'detectors[robust].params.tail_factor': {
    text: 'How far beyond the usual daily excursion a point must go (1.3 = 30 % beyond).',
    bounds: '≥ 0',
  },
  'detectors[robust].params.tail_days': { text: 'Days of residuals the usual excursion is learnt from.', bounds: '> 0' },
  'detectors[robust].params.history': {
    text: "Points loaded before each batch: the detector's memory in scheduled runs (and the cost of each run).",
    bounds: 'integer ≥ 100',
  },
  'detectors[mstl]':
    'Forecast band (ours, through @bsull/augurs): MSTL decomposition into trend and several seasons, refitted every `refit_every` points on the `window_size` before; the band is its prediction interval. For metrics with strong daily and weekly cycles. docs/detectors-forecast.md.',
  'detectors[ets]':
    'Forecast band from exponential smoothing (ETS) without seasons, refitted every `refit_every` points: follows level and trend. For trending metrics without a cycle. docs/detectors-forecast.md.',
  'detectors[prophet]':
    'Forecast band from Prophet (trend with changepoints plus seasons), refitted every `refit_every` points. For business metrics with trend changes; the slowest to fit. docs/detectors-forecast.md.',
  'detectors[custom]':
    'Your own detector: a JavaScript module of the project, run in a worker thread with a time and memory limit. docs/detectors-forecast.md.',
  'detectors[mstl].params.window_size': { text: 'Points of history each fit trains on.', bounds: 'integer ≥ 10' },
  'detectors[ets].params.window_size': { text: 'Points of history each fit trains on.', bounds: 'integer ≥ 10' },
  'detectors[prophet].params.window_size': { text: 'Points of history each fit trains on.', bounds: 'integer ≥ 10' },
  'detectors[custom].params.window_size': {
    text: 'Points of history loaded before each batch; the module sees them before the points it judges.',
    bounds: 'integer ≥ 0',
  },
  'detectors[mstl].params.min_samples': FORECAST_MIN_SAMPLES,
  'detectors[ets].params.min_samples': FORECAST_MIN_SAMPLES,
  'detectors[prophet].params.min_samples': FORECAST_MIN_SAMPLES,
  'detectors[*].params.interval_width': {
    text: 'Level of the prediction interval that forms the band (0.95: 95 %).',
    bounds: '(0, 1)',
  },
  'detectors[*].params.refit_every': {
    text: 'Points between refits, on a fixed grid since the epoch (results do not depend on batches); the points between are forecast from the last fit.',
    bounds: 'integer ≥ 1',
  },
  'detectors[mstl].params.periods': {
    text: 'Season lengths in points (`[288, 2016]`: daily and weekly at 5 minutes), each at most half of `window_size`; `null` detects them from the data.',
    bounds: '1 to 4 integers ≥ 2',
    example: '[288, 2016]',
  },
  'detectors[prophet].params.periods': {
    text: "Season lengths in points; `null` uses Prophet's own daily, weekly and yearly seasons by timestamp.",
    bounds: '1 to 4 integers ≥ 2',
    example: '[288, 2016]',
  },
  'detectors[*].params.timezone': {
    text: "IANA zone of the seasons' wall clock (`null` = UTC): a daily cycle that follows people's local day moves with daylight-saving time.",
    example: 'Europe/Berlin',
  },
  'detectors[prophet].params.seasonality_mode': 'How seasons combine with the trend.',
  'detectors[prophet].params.changepoint_prior_scale': {
    text: 'Flexibility of the trend: larger follows trend changes faster.',
    bounds: '> 0',
  },
  'detectors[custom].params.module': {
    text: 'Path of the module (`.mjs`, `.js`, `.cjs`), relative to the project root and inside it.',
    example: 'detectors/spike.mjs',
  },
  'detectors[custom].params.options': {
    text: "The module's own parameters, checked by the module's `paramsSchema` / `validateParams`.",
    example: '{factor: 4}',
  },
  'detectors[custom].params.timeout_ms': {
    text: 'Per call: after this long the worker is stopped and the detector fails for this run.',
    bounds: '100..600000',
  },
  'detectors[custom].params.memory_mb': { text: 'Heap limit of the worker thread.', bounds: '16..8192' },
  'detectors[manual_bounds].params.lower_bound': {
    text: 'Values below are anomalous; at least one bound is required, and lower < upper.',
    example: '0',
  },
  'detectors[manual_bounds].params.upper_bound': { text: 'Values above are anomalous.', example: '5.0' },
};

export const KEY_DOCS = { project: PROJECT, profiles: PROFILES, metric: METRIC, detectors: DETECTORS } as const;

export type DocSection = keyof typeof KEY_DOCS;

/** Every service error code and what to do about it (docs/reference/api.md and docs/troubleshooting.md). */
export const ERROR_CODES: Record<ErrorCode, string> = {
  config_invalid: 'A configuration or definition error; `details.issues` lists each problem with its key path.',
  storage_unreachable: 'The store does not answer (server down, wrong host or port, embedded engine cannot open).',
  storage_auth: 'ClickHouse refused the user or password of the profile.',
  storage_not_writable: 'The embedded data directory (or a new project directory) cannot be written.',
  storage_locked: 'Another dtk process holds the embedded data directory.',
  storage_query: 'ClickHouse failed a query (SQL error in a metric query, or a server-side problem).',
  storage_schema: 'A schema migration failed; nothing was dropped and it resumes on the next start.',
  source_unreachable: 'A Prometheus server or scrape target is down, timed out or answered something else.',
  source_auth: 'The Prometheus server refused the credentials.',
  source_query: 'The source refused the query (PromQL error, too many series, answer too large).',
  grafana_unreachable: 'Grafana (alert-rule sync) is down, timed out or answered something that is not its API.',
  grafana_auth: "Grafana refused the `grafana` channel's service-account token, or the account lacks rights.",
  grafana_request: 'Grafana refused a rule (unknown folder, data source or contact point), with its own message.',
  usage: 'The request or command line is wrong (unknown option, bad date, bad JSON).',
  not_found: 'No such metric or run.',
  conflict: 'Read-only (file) metric, version mismatch, a run already in progress, or an existing name.',
  cancelled: 'The service is shutting down; the work resumes on the next run.',
  internal: 'A bug: the service log has the cause (with the request id).',
};

/**
 * Codes that exist only over HTTP (`HttpError` in service/src/server and fastify's own refusals), with their status.
 * tests/docsReference.test.ts checks that every `new HttpError(status, 'code'` of the server is listed.
 */
export const HTTP_ERROR_CODES: Record<string, [number, string]> = {
  unauthorized: [401, 'No `Authorization: Bearer <token>` header, or the wrong token.'],
  invalid_request: [400, 'Path, query or body does not match the schema; `details.issues` lists each problem.'],
  invalid_json: [400, 'The body is not valid JSON.'],
  bad_request: [400, 'A malformed request (bad URL encoding, wrong content type).'],
  range_too_large: [400, 'The `from`–`to` range holds more points than one request may read or preview: narrow it.'],
  range_empty: [400, 'The preview range holds no complete interval before now.'],
  payload_too_large: [413, 'The body is larger than the limit.'],
  uri_too_long: [414, 'A path parameter (metric name or run id) is longer than 2048 characters.'],
  method_not_allowed: [405, 'The path exists with other methods.'],
  unsupported_media_type: [415, 'Send `Content-Type: application/json`.'],
  headers_too_large: [431, 'The request headers are too large.'],
  preview_too_slow: [422, 'The preview did not finish within its time budget: narrow the range or simplify the query.'],
  too_many_previews: [429, 'Too many previews run at once; retry when one has finished.'],
  not_ready: [503, '`/api/ready`: storage does not answer (the service log has the cause).'],
};
