import path from 'node:path';
import { loadProject } from './load';
import { configError, FIXTURES, lines, makeProject, METRIC } from './testProject';

const env = { MATTERMOST_WEBHOOK_URL: 'https://mattermost.example.com/hooks/abc' };

describe('the reference projects validate', () => {
  it('the §2.1 scaffold after its documented fixes (warnings only: ignored keys, unset prod variables)', () => {
    const root = path.join(FIXTURES, 'scaffold');
    const p = loadProject(root, { env });
    expect(p.project).toMatchObject({ name: 'my_project', paths: { metrics: 'metrics', sql: 'sql' } });
    expect(p.metrics.map((m) => m.relPath)).toEqual(['metrics/example_cpu_usage.yml']); // .gitkeep skipped
    const m = p.metrics[0]!;
    expect(m.intervalSeconds).toBe(60);
    expect(m.detectors.map((d) => [d.type, d.position, d.batchSize])).toEqual([
      ['zscore', 1, 1000],
      ['mad', 2, 1000],
    ]);
    expect(p.profiles?.alert_channels.mattermost_alerts).toMatchObject({ webhook_url: env.MATTERMOST_WEBHOOK_URL });
    expect(lines(root, p.issues)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^metrics\/example_cpu_usage\.yml:20:1: loading: unknown key 'loading': ignored/),
        expect.stringMatching(/^metrics\/example_cpu_usage\.yml:44:3: alerting\.alert_on_missing_data: unknown key/),
        expect.stringMatching(
          /^profiles\.yml:19:11: profiles\.prod\.host: environment variable CLICKHOUSE_HOST is not set/
        ),
      ])
    );
    expect(p.issues.every((i) => i.severity === 'warning')).toBe(true);
  });

  it('the §2.1 scaffold with --strict: its ignored keys become errors', () => {
    const root = path.join(FIXTURES, 'scaffold');
    const e = configError(() => loadProject(root, { env, strict: true }));
    expect(e.message).toContain('example_cpu_usage.yml:20:1: loading: unknown key');
    expect(e.issues.filter((i) => i.severity === 'error')).toHaveLength(2);
  });

  it('the §2.1 scaffold verbatim profiles (top-level profiles, database:, icon_url) are accepted as aliases', () => {
    const root = makeProject({
      'profiles.yml': `dev:
  type: clickhouse
  host: localhost
  port: 9000
  database: default
  user: default
  password: ""
  settings:
    max_execution_time: 300
alert_channels:
  mattermost_alerts:
    type: mattermost
    webhook_url: "{{ env_var('MATTERMOST_WEBHOOK_URL') }}"
    username: detectkit
    icon_url: https://example.com/detectkit-icon.png
`,
      'metrics/a.yml': `${METRIC}alerting:\n  channels: [mattermost_alerts]\n`,
    });
    const p = loadProject(root, { env });
    expect(p.issues).toEqual([]);
    expect(p.profiles?.profiles.dev).toMatchObject({ internal_database: 'default', data_database: 'default' });
  });

  it('the §2.8 equivalent example, with everything the pipeline needs', () => {
    const p = loadProject(path.join(FIXTURES, 'advanced'));
    expect(p.issues).toEqual([]);
    const m = p.metrics[0]!;
    expect(m).toMatchObject({
      name: 'group_assigned_users_pct',
      intervalSeconds: 600,
      loadingStartTime: Date.UTC(2024, 0, 1),
      alertCooldownSeconds: 1800,
      relPath: 'metrics/group_assigned_users_pct.yml',
    });
    expect(m.config.tags).toEqual(['critical', 'league', '10min']);
    const d = m.detectors[0]!;
    expect(d).toMatchObject({ type: 'mad', position: 1, startTime: Date.UTC(2024, 2, 1), batchSize: 2160 });
    expect(d.params).toMatchObject({ threshold: 3, window_size: 8640, min_samples_per_group: 10 });
    // `threshold: 3.0` is spelt as a float: the id is detectkit's for 3.0, not 3.
    expect(d.detector.identity.id).toMatch(/^[0-9a-f]{16}$/);
    expect(d.paramsNode).toBeDefined();
  });

  it('docs/examples alert-cooldown validates (its loading: block warned)', () => {
    const root = path.join(FIXTURES, 'docs-examples');
    const p = loadProject(root);
    expect(lines(root, p.issues)).toEqual([
      expect.stringMatching(/^metrics\/alert-cooldown-example\.yml:17:1: loading: unknown key 'loading'/),
    ]);
    expect(p.metrics[0]).toMatchObject({ name: 'api_latency_p95', intervalSeconds: 300, alertCooldownSeconds: 1800 });
    expect(p.profiles?.alert_channels.email_oncall).toMatchObject({ smtp_username: 'detectkit', smtp_password: '' });
  });

  it('docs/examples detector-preprocessing fails on recent_weight, with the fix (pct_change is an alias)', () => {
    const root = path.join(FIXTURES, 'docs-preprocessing');
    const e = configError(() => loadProject(root));
    expect(lines(root, e.issues)).toEqual([
      expect.stringMatching(
        /^metrics\/detector-preprocessing-example\.yml:26:7: detectors\[0\]\.params: unknown parameter 'recent_weight' for mad; instead of recent_weight write window_weights/
      ),
    ]);
  });
});

describe('bad input: every error has file:line:column and the fix', () => {
  const errorLines = (files: Record<string, string>, opts = {}): string[] => {
    const root = makeProject(files);
    const e = configError(() => loadProject(root, opts));
    return lines(
      root,
      e.issues.filter((i) => i.severity === 'error')
    );
  };

  it('malformed YAML', () => {
    expect(errorLines({ 'metrics/a.yml': 'name: a\ninterval: [10min\nquery: x\n' })).toEqual([
      expect.stringMatching(/^metrics\/a\.yml:\d+:\d+: invalid YAML: .*fix the syntax/),
    ]);
  });

  it('wrong types', () => {
    expect(
      errorLines({
        'metrics/a.yml': `name: a\ninterval: [1]\nquery: x\nloading_batch_size: many\ntags: critical\nalerting:\n  enabled: maybe\n`,
      })
    ).toEqual([
      "metrics/a.yml:2:11: interval: interval is required: seconds (600) or '<number><unit>' ('10min', '1h', '1d')",
      expect.stringMatching(/^metrics\/a\.yml:4:21: loading_batch_size: loading_batch_size must be an integer/),
      expect.stringMatching(/^metrics\/a\.yml:5:7: tags: tags must be a list of strings/),
      "metrics/a.yml:7:12: alerting.enabled: enabled must be true or false, got 'maybe'",
    ]);
  });

  it('missing required keys', () => {
    expect(errorLines({ 'metrics/a.yml': 'description: no name\ntags: [x]\n' })).toEqual([
      expect.stringMatching(/^metrics\/a\.yml:1:1: name: missing required key 'name'/),
      expect.stringMatching(/^metrics\/a\.yml:1:1: interval: missing required key 'interval'/),
      "metrics/a.yml:1:1: Either 'query' or 'query_file' must be specified",
    ]);
  });

  it('both query and query_file; a query_file that does not exist', () => {
    expect(errorLines({ 'metrics/a.yml': `${METRIC}query_file: sql/a.sql\n` })).toEqual([
      "metrics/a.yml:4:13: query_file: Only one of 'query' or 'query_file' can be specified, not both",
    ]);
    expect(errorLines({ 'metrics/a.yml': 'name: a\ninterval: 60\nquery_file: sql/missing.sql\n' })).toEqual([
      expect.stringMatching(/^metrics\/a\.yml:3:13: query_file: Query file not found: .*relative to the project root/),
    ]);
  });

  it('an unknown detector type and a detectkit-only one', () => {
    expect(
      errorLines({ 'metrics/a.yml': `${METRIC}detectors:\n  - type: timesfm\n  - type: lstm\n    params: {}\n` })
    ).toEqual([
      expect.stringMatching(
        /^metrics\/a\.yml:5:11: detectors\[0\]\.type: Unknown detector type: 'timesfm' \(detectkit accepts/
      ),
      expect.stringMatching(
        /^metrics\/a\.yml:6:11: detectors\[1\]\.type: Unknown detector type: 'lstm'\. Available types: custom, ets, iqr, mad/
      ),
    ]);
  });

  it('bad detector parameters name the parameter and the allowed range', () => {
    expect(
      errorLines({
        'metrics/a.yml': `${METRIC}detectors:\n  - type: mad\n    params:\n      threshold: -1\n      window_size: 10\n      min_samples: 20\n`,
      })
    ).toEqual([
      'metrics/a.yml:7:18: detectors[0].params.threshold: threshold must be positive (allowed: > 0), got -1',
      'metrics/a.yml:9:20: detectors[0].params.min_samples: min_samples cannot exceed window_size (allowed: 1..10), got 20',
    ]);
  });

  it('unknown keys warn (with a suggestion), and are errors with strict', () => {
    const root = makeProject({ 'metrics/a.yml': `${METRIC}alerting:\n  consecutive_anomaly: 2\n` });
    const p = loadProject(root);
    expect(lines(root, p.issues)).toEqual([
      "metrics/a.yml:5:3: alerting.consecutive_anomaly: unknown key 'consecutive_anomaly' (did you mean 'consecutive_anomalies'?): ignored; remove it or fix its spelling",
    ]);
    expect(p.metrics[0]?.config.alerting?.consecutive_anomalies).toBe(3);
    const e = configError(() => loadProject(root, { strict: true }));
    expect(lines(root, e.issues)).toEqual([expect.stringMatching(/^metrics\/a\.yml:5:3: .*\(--strict\)$/)]);
  });

  it('duplicate metric names anywhere in the project, naming both files', () => {
    const out = errorLines({ 'metrics/a.yml': METRIC, 'metrics/team/b.yaml': `# same\n${METRIC}` });
    expect(out).toEqual([
      "metrics/team/b.yaml:2:7: name: Duplicate metric name 'cpu' found in metrics/a.yml:1:7 and metrics/team/b.yaml. Metric names must be unique across the project; rename one of the metrics.",
    ]);
  });

  it('an unset environment variable names the variable and its position; a default is used', () => {
    const out = errorLines(
      {
        'detectkit_project.yml': 'name: "${DTK_TEST_UNSET_NAME}"\n',
        'metrics/a.yml': `${METRIC}alerting:\n  timezone: "{{ env_var('DTK_TEST_TZ', 'UTC') }}"\n`,
      },
      { env: {} }
    );
    expect(out).toEqual([
      expect.stringMatching(
        /^detectkit_project\.yml:1:7: name: environment variable DTK_TEST_UNSET_NAME is not set; export it/
      ),
    ]);
    const root = makeProject({ 'metrics/a.yml': `${METRIC}alerting:\n  timezone: "{{ env_var('DTK_TZ', 'UTC') }}"\n` });
    expect(loadProject(root, { env: {} }).metrics[0]?.config.alerting?.timezone).toBe('UTC');
    expect(loadProject(root, { env: { DTK_TZ: 'Europe/Moscow' } }).metrics[0]?.config.alerting?.timezone).toBe(
      'Europe/Moscow'
    );
  });

  it('bad intervals, with detectkit messages', () => {
    expect(
      errorLines({
        'metrics/a.yml': 'name: a\ninterval: 10 min\nquery: x\n',
        'metrics/b.yml': 'name: b\ninterval: 1week\nquery: x\nalerting:\n  alert_cooldown: soon\n',
      })
    ).toEqual([
      "metrics/a.yml:2:11: interval: Invalid interval format: '10 min'. Expected format: <number><unit> (e.g., '10min', '1h')",
      expect.stringMatching(/^metrics\/b\.yml:2:11: interval: Unknown time unit: 'week'\. Supported units: d, day/),
      expect.stringMatching(/^metrics\/b\.yml:5:19: alerting\.alert_cooldown: Invalid interval format: 'soon'/),
    ]);
  });

  it('bad tags and seasonality columns', () => {
    expect(
      errorLines({
        'metrics/a.yml': `${METRIC}tags: [ok, "critical!", ok]\nseasonality_columns:\n  - hour\n  - name: hour_of_day\n    extract: hour\n  - week\n`,
      })
    ).toEqual([
      "metrics/a.yml:4:12: tags[1]: Invalid tag 'critical!': only alphanumeric characters, underscores, and dashes allowed",
      "metrics/a.yml:4:25: tags[2]: Duplicate tags not allowed: 'ok'",
      expect.stringMatching(
        /^metrics\/a\.yml:7:5: seasonality_columns\[1\]: the documented \{name, extract\} form is not supported.*write 'hour'/
      ),
      expect.stringMatching(
        /^metrics\/a\.yml:9:5: seasonality_columns\[2\]: Invalid seasonality column: 'week'\. Allowed: day_of_month/
      ),
    ]);
  });

  it('a seasonality component that names no column, and two detectors with one detector_id', () => {
    expect(
      errorLines({
        'metrics/a.yml': `${METRIC}seasonality_columns: [hour]\ndetectors:\n  - type: mad\n    params:\n      seasonality_components: [day_of_week]\n`,
      })
    ).toEqual([
      expect.stringMatching(
        /^metrics\/a\.yml:8:31: detectors\[0\]\.params\.seasonality_components: .*unknown seasonality column 'day_of_week' \(allowed: hour\)/
      ),
    ]);
    expect(
      errorLines({
        'metrics/a.yml': `${METRIC}seasonality_columns: [hour]\ndetectors:\n  - type: mad\n  - type: mad\n    params:\n      seasonality_components: [hour]\n`,
      })
    ).toEqual([
      expect.stringMatching(
        /^metrics\/a\.yml:7:5: detectors\[1\]: metric 'cpu': detectors #1 and #2 \(mad\) differ only in seasonality_components/
      ),
    ]);
  });

  it('empty files and a non-mapping file', () => {
    expect(errorLines({ 'metrics/a.yml': '# nothing\n', 'metrics/b.yml': '- a\n- b\n' })).toEqual([
      'metrics/a.yml:1:1: Empty metric config file: metrics/a.yml',
      'metrics/b.yml:1:1: a metric file must be a mapping of keys',
    ]);
  });

  it('project file problems', () => {
    expect(errorLines({ 'detectkit_project.yml': 'name: "bad/name"\ntimeouts:\n  load: 0\n' })).toEqual([
      'detectkit_project.yml:1:7: name: Project name can only contain alphanumeric characters, underscores, dashes, and spaces',
      'detectkit_project.yml:3:9: timeouts.load: Timeout must be at least 1 second',
    ]);
  });

  it('profiles.yml problems', () => {
    expect(
      errorLines({
        'profiles.yml': `default_profile: missing
profiles:
  dev:
    type: postgresql
  ch:
    type: clickhouse
    port: 99999
alert_channels:
  pager:
    type: pagerduty
  hook:
    type: webhook
    url: ""
`,
      })
    ).toEqual([
      "profiles.yml:1:18: default_profile: default_profile 'missing' not found in profiles. Available profiles: ch, dev",
      "profiles.yml:4:11: profiles.dev.type: Invalid database type: 'postgresql'. Allowed types: clickhouse, embedded, mysql, postgres",
      'profiles.yml:7:11: profiles.ch.port: Port must be between 1 and 65535, got 99999',
      "profiles.yml:10:11: alert_channels.pager.type: Unknown channel type: 'pagerduty'. Available types: alertmanager, email, grafana, mattermost, slack, telegram, webhook",
      'profiles.yml:13:10: alert_channels.hook.webhook_url: webhook_url is required',
    ]);
  });
});

describe('accepted spellings', () => {
  it('unquoted YAML timestamps are normalised to UTC strings', () => {
    const root = makeProject({
      'metrics/a.yml': `${METRIC}loading_start_time: 2024-01-01 00:00:00\ndetectors:\n  - type: mad\n    params:\n      start_time: 2024-03-01\n`,
    });
    const m = loadProject(root).metrics[0]!;
    expect(m.config.loading_start_time).toBe('2024-01-01 00:00:00');
    expect(m.loadingStartTime).toBe(Date.UTC(2024, 0, 1));
    expect(m.detectors[0]?.params.start_time).toBe('2024-03-01 00:00:00');
    expect(m.detectors[0]?.startTime).toBe(Date.UTC(2024, 2, 1));
  });

  it('an unparseable start_time is an error at its position', () => {
    const root = makeProject({
      'metrics/a.yml': `${METRIC}detectors:\n  - type: mad\n    params:\n      start_time: soon\n`,
    });
    expect(lines(root, configError(() => loadProject(root)).issues)).toEqual([
      expect.stringMatching(
        /^metrics\/a\.yml:7:19: detectors\[0\]\.params\.start_time: start_time: cannot parse 'soon'/
      ),
    ]);
  });

  it('the nested `metric:` form, with positions inside it', () => {
    const root = makeProject({
      'metrics/a.yaml': `metric:\n  name: nested\n  interval: 5min\n  query: SELECT 1\n  colour: red\n`,
    });
    const p = loadProject(root);
    expect(p.metrics[0]).toMatchObject({ name: 'nested', intervalSeconds: 300 });
    expect(lines(root, p.issues)).toEqual([
      expect.stringMatching(/^metrics\/a\.yaml:5:3: metric\.colour: unknown key 'colour'/),
    ]);
  });

  it('docs spellings of the project file', () => {
    const root = makeProject({
      'detectkit_project.yml':
        'project_name: my_monitoring\npaths:\n  metrics_dir: checks\ndefault_tables:\n  datapoints: dp\ntimeouts:\n  query_timeout: 300\n',
      'checks/a.yml': METRIC,
    });
    const p = loadProject(root);
    expect(p.project).toMatchObject({
      name: 'my_monitoring',
      paths: { metrics: 'checks' },
      tables: { datapoints: 'dp' },
    });
    expect(p.metrics.map((m) => m.relPath)).toEqual(['checks/a.yml']);
  });

  it('duplicate YAML keys: the last wins, with a warning', () => {
    const root = makeProject({ 'metrics/a.yml': `${METRIC}interval: 1h\n` });
    const p = loadProject(root);
    expect(p.metrics[0]?.intervalSeconds).toBe(3600);
    expect(lines(root, p.issues)).toEqual([
      expect.stringMatching(/^metrics\/a\.yml:4:1: duplicate key 'interval' \(first at line 2\)/),
    ]);
  });

  it('YAML 1.1 booleans as PyYAML reads them', () => {
    const root = makeProject({ 'metrics/a.yml': `${METRIC}enabled: yes\nalerting:\n  enabled: off\n` });
    const m = loadProject(root).metrics[0]!;
    expect(m.config.enabled).toBe(true);
    expect(m.config.alerting?.enabled).toBe(false);
  });

  it('partial loading: a broken metric fails alone, the others load', () => {
    const root = makeProject({
      'metrics/good.yml': METRIC,
      'metrics/bad.yml':
        'name: bad\ninterval: 10min\nquery: x\ndetectors:\n  - type: mad\n    params: {threshold: 0}\n',
    });
    const p = loadProject(root, { partial: true });
    expect(p.metrics.map((m) => m.name)).toEqual(['cpu']);
    expect(p.failed).toMatchObject([{ relPath: 'metrics/bad.yml', name: 'bad' }]);
    expect(lines(root, p.failed[0]!.issues)).toEqual([
      expect.stringMatching(/^metrics\/bad\.yml:6:25: detectors\[0\]\.params\.threshold: threshold must be positive/),
    ]);
    expect(() => loadProject(root)).toThrow(/metrics\/bad\.yml:6:25/);
  });
});

describe('alerting timezone', () => {
  test('an unknown zone is a configuration error at its key', () => {
    const root = makeProject({
      'metrics/a.yml': 'name: a\ninterval: 10min\nquery: SELECT 1\nalerting:\n  timezone: Mars/Olympus\n',
    });
    expect(() => loadProject(root)).toThrow(/a\.yml:5:\d+: .*unknown time zone 'Mars\/Olympus'; use an IANA name/);
    const ok = makeProject({
      'metrics/a.yml': 'name: a\ninterval: 10min\nquery: SELECT 1\nalerting:\n  timezone: Europe/Moscow\n',
    });
    expect(loadProject(ok).metrics[0]!.config.alerting?.timezone).toBe('Europe/Moscow');
  });
});

describe('keys named like object members', () => {
  it('constructor, toString and __proto__ are unknown keys (warnings), not a crash', () => {
    const root = makeProject({
      'metrics/cpu.yml': `${METRIC}constructor: 1\ntoString: x\nalerting:\n  hasOwnProperty: true\n`,
    });
    const p = loadProject(root);
    expect(p.metrics.map((m) => m.name)).toEqual(['cpu']);
    expect(lines(root, p.issues)).toEqual([
      expect.stringMatching(/cpu\.yml:4:1: constructor: unknown key 'constructor'/),
      expect.stringMatching(/cpu\.yml:5:1: toString: unknown key 'toString'/),
      expect.stringMatching(/cpu\.yml:7:3: alerting\.hasOwnProperty: unknown key/),
    ]);
  });
});
