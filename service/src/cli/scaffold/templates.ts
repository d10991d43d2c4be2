/**
 * The files `dtk init` writes. detectkit's scaffold (reference §2.1) did not run: no `profiles:` key, an
 * example query over a table nobody has, undefined template variables, no `loading_start_time`, a refused
 * `icon_url`. This one keeps its layout and spirit but validates and runs on the embedded store as generated.
 */

const DAY_MS = 86_400_000;

export interface ScaffoldTimes {
  /** The example metric's `loading_start_time`: midnight UTC seven days before init. */
  loadingStart: number;
  /** Start of the example metric's injected incident: noon UTC two days before init (always in the past). */
  spikeStart: number;
}

/**
 * A fixed `loading_start_time` cannot say "a week ago" forever, so it is computed when the project is created;
 * the incident is placed inside that week so the first run finds it.
 */
export function scaffoldTimes(now: number): ScaffoldTimes {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return { loadingStart: today - 7 * DAY_MS, spikeStart: today - 2 * DAY_MS + DAY_MS / 2 };
}

/** `%Y-%m-%d %H:%M:%S` in UTC: detectkit's `loading_start_time` format. */
const utc = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** Relative path → content. Directories come from the paths; `.gitkeep` files keep the empty ones in git. */
export function scaffoldFiles(name: string, times: ScaffoldTimes): Record<string, string> {
  return {
    'detectkit_project.yml': projectFile(name),
    'profiles.yml': profilesFile(),
    'metrics/.gitkeep': '',
    'metrics/example_cpu_usage.yml': exampleMetric(times),
    'sql/.gitkeep': '',
    '.gitignore': '# The embedded store (profile dev)\n.dtk/\n',
    'README.md': readme(name, times),
  };
}

// The name is quoted: `dtk init 2024` must not become the YAML number 2024. Allowed names contain no quote.
const projectFile = (name: string): string => `# detectkit project configuration
name: '${name}'
version: '1.0'

# Paths, relative to this file
paths:
  metrics: metrics
  sql: sql

# Used when profiles.yml names no default_profile
default_profile: dev

# Default table names
tables:
  datapoints: _dtk_datapoints
  detections: _dtk_detections
  tasks: _dtk_tasks

# Default timeouts (seconds)
timeouts:
  load: 1800 # 30 minutes
  detect: 3600 # 1 hour
  alert: 300 # 5 minutes
`;

const profilesFile =
  (): string => `# Database profiles: \`dtk run --profile NAME\` picks one, default_profile otherwise.
# Strings may use environment variables: \${VAR}, \${VAR:-default} or {{ env_var('VAR') }}.
default_profile: dev

profiles:
  # The ClickHouse engine inside the dtk process: nothing to install. Its data lives in .dtk/data
  # (relative to this project); delete that directory to start over.
  dev:
    type: embedded
    path: .dtk/data
    internal_database: dtk # where dtk keeps its _dtk_* tables
    data_database: default # where your metric tables are

  # A ClickHouse server. Uncomment, export the variables, then: dtk run -s '*' --profile prod
  # port is the native port, as in detectkit; dtk speaks HTTP (9000 → 8123, 9440 → 8443) unless http_port is set.
  # prod:
  #   type: clickhouse
  #   host: \${CLICKHOUSE_HOST}
  #   port: 9000
  #   user: \${CLICKHOUSE_USER:-default}
  #   password: \${CLICKHOUSE_PASSWORD}
  #   internal_database: monitoring
  #   data_database: default
  #   settings:
  #     max_execution_time: 600

# Alert channels, named in a metric's alerting.channels. Sending alerts comes in a later version of dtk;
# dtk validate and dtk test-alert already check them.
# alert_channels:
#   mattermost_alerts:
#     type: mattermost
#     webhook_url: \${MATTERMOST_WEBHOOK_URL}
#     username: detectkit
`;

const exampleMetric = (
  t: ScaffoldTimes
): string => `# Example metric: a synthetic CPU usage series, so the project runs before you have a table.
# Replace the query with one over your data (see README.md).
name: example_cpu_usage
description: Example CPU usage in percent (synthetic), with a daily cycle, noise and one injected incident
tags:
  - example
  - system

# numbers() yields one row per interval in [dtk_start_time, dtk_end_time): no table needed. The values are a
# function of the timestamp only, so reloading a range gives the same points.
query: |
  SELECT
    timestamp,
    round(greatest(0, least(100,
        35 + 15 * sin(2 * pi() * (toUnixTimestamp(timestamp) % 86400) / 86400 - pi() / 2)
        + 2 * ((cityHash64(toUnixTimestamp(timestamp), 1) % 2001) / 1000.0 - 1
             + (cityHash64(toUnixTimestamp(timestamp), 2) % 2001) / 1000.0 - 1)
        + if(timestamp >= toDateTime('${utc(t.spikeStart)}', 'UTC')
             AND timestamp < toDateTime('${utc(t.spikeStart)}', 'UTC') + INTERVAL 30 MINUTE, 40, 0)
    )), 2) AS value
  FROM (
    SELECT toDateTime('{{ dtk_start_time }}', 'UTC') + toIntervalSecond(number * {{ interval_seconds }}) AS timestamp
    FROM numbers(intDiv(
      dateDiff('second', toDateTime('{{ dtk_start_time }}', 'UTC'), toDateTime('{{ dtk_end_time }}', 'UTC')),
      {{ interval_seconds }}))
  )
  ORDER BY timestamp

interval: 10min
# Where the first run starts loading: set by dtk init to seven days before the project was created.
loading_start_time: '${utc(t.loadingStart)}'

# robust is the recommended detector (docs/detectors-robust.md): it finds the daily cycle by itself, keeps
# flat, quantised and bursty series quiet, and reports one event per incident. Its defaults need no tuning;
# detectkit's mad / zscore / iqr work here too, with detectkit's numbers.
detectors:
  - type: robust

alerting:
  enabled: true
  # Channel names from profiles.yml alert_channels, e.g. [mattermost_alerts]
  channels: []
  consecutive_anomalies: 3
`;

const readme = (name: string, t: ScaffoldTimes): string => `# ${name}

A detectkit project, created by \`dtk init\`. It runs as generated: the \`dev\` profile is the ClickHouse engine
embedded in \`dtk\` (data in \`.dtk/data\`), and the example metric makes up its own data.

## Layout

\`\`\`
${name}/
├── detectkit_project.yml   # project settings
├── profiles.yml            # database profiles (dev: embedded; prod: a ClickHouse server, commented) and alert channels
├── metrics/                # one YAML file per metric, any depth
│   └── example_cpu_usage.yml
└── sql/                    # SQL files for query_file (paths relative to the project root)
\`\`\`

## Try it

\`\`\`bash
dtk validate                       # check every file
dtk run --select '*'               # load, detect (and alert) for every metric
dtk export example_cpu_usage       # the stored points with each detector's result, as CSV
\`\`\`

The first run loads from \`loading_start_time\` to now; later runs load only the new intervals.

## The example metric

\`metrics/example_cpu_usage.yml\` generates a 10-minute CPU usage series with \`numbers()\` over
\`[dtk_start_time, dtk_end_time)\`: a daily cycle (low at 00:00 UTC, high at 12:00 UTC), noise, and an incident
of +40 points for 30 minutes from ${utc(t.spikeStart)} UTC. The recommended \`robust\` detector watches it; the
first run finds the incident.

\`dtk init\` set \`loading_start_time: '${utc(t.loadingStart)}'\`, seven days before the project was created,
because a fixed date cannot mean "last week" forever. Change it to where your history starts.

## Your own metrics

Copy the example and replace its query. A query returns a \`timestamp\` and a \`value\` column for
\`[dtk_start_time, dtk_end_time)\` (\`{{ interval_seconds }}\` is the interval), for example:

\`\`\`sql
SELECT toStartOfInterval(ts, INTERVAL {{ interval_seconds }} SECOND) AS timestamp, avg(cpu) AS value
FROM system_metrics
WHERE ts >= toDateTime('{{ dtk_start_time }}', 'UTC') AND ts < toDateTime('{{ dtk_end_time }}', 'UTC')
GROUP BY timestamp
ORDER BY timestamp
\`\`\`

To use a ClickHouse server, uncomment the \`prod\` profile in \`profiles.yml\`, export \`CLICKHOUSE_HOST\`,
\`CLICKHOUSE_USER\` and \`CLICKHOUSE_PASSWORD\`, and run with \`--profile prod\` (or make it the default_profile).
`;
