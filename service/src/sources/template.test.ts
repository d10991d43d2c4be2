import nunjucks from 'nunjucks';
import { SourceError } from './errors';
import { formatUtc, jinjaComments, renderQuery, renderTemplate } from './template';

const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
const vars = { start: day('2024-01-01'), end: day('2024-01-02'), intervalSeconds: 600 };

/** detectkit's `QueryTemplate(template).render(context)`: built-ins plus a context that overrides them. */
const render = (template: string, context?: Record<string, unknown> | null) =>
  renderQuery(template, vars, { context: context ?? undefined });
/** detectkit's `render_with_defaults`: plain Undefined, which prints as an empty string. */
const renderWithDefaults = (template: string, context: Record<string, unknown> = {}) =>
  renderQuery(template, vars, { context, strict: false });

function errorOf(f: () => unknown): SourceError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    return e as SourceError;
  }
  throw new Error('expected an error');
}

describe('detectkit test_query_template.py (reference §10.12)', () => {
  it('renders a simple variable', () => {
    expect(render('SELECT * FROM {{ table_name }}', { table_name: 'metrics' })).toBe('SELECT * FROM metrics');
  });

  it('renders multiple variables', () => {
    expect(render('SELECT {{ col }} FROM {{ db }}.{{ table }}', { col: 'value', db: 'analytics', table: 'm' })).toBe(
      'SELECT value FROM analytics.m'
    );
  });

  it('formats dtk_start_time and dtk_end_time as naive UTC', () => {
    expect(render("WHERE ts >= '{{ dtk_start_time }}'")).toBe("WHERE ts >= '2024-01-01 00:00:00'");
    expect(render("WHERE ts < '{{ dtk_end_time }}'")).toBe("WHERE ts < '2024-01-02 00:00:00'");
  });

  it('renders interval_seconds as an int', () => {
    expect(render('interval = {{ interval_seconds }}')).toBe('interval = 600');
  });

  it('lets the context override built-ins', () => {
    const sql = render('interval = {{ interval_seconds }}', { interval_seconds: 300 });
    expect(sql).toBe('interval = 300');
    expect(sql).not.toContain('600');
  });

  it('supports `is defined`', () => {
    const t = 'SELECT * FROM m WHERE 1=1{% if filter_value is defined %} AND value > {{ filter_value }}{% endif %}';
    expect(render(t, { filter_value: 0.5 })).toContain('value > 0.5');
    expect(render(t)).not.toContain('value >');
  });

  it('supports if/else on booleans', () => {
    const t = '{% if use_cache %}FROM cache{% else %}FROM source{% endif %}';
    expect(render(t, { use_cache: true })).toBe('FROM cache');
    expect(render(t, { use_cache: false })).toBe('FROM source');
  });

  it('supports for loops with loop.last', () => {
    const t = "metric IN ({% for m in metrics %}'{{ m }}'{% if not loop.last %}, {% endif %}{% endfor %})";
    const sql = render(t, { metrics: ['cpu', 'memory', 'disk'] });
    expect(sql).toBe("metric IN ('cpu', 'memory', 'disk')");
    for (const m of ["'cpu'", "'memory'", "'disk'"]) {
      expect(sql).toContain(m);
    }
  });

  it('supports nested ifs', () => {
    const t = '{% if lo is defined %}{% if hi is defined %}value BETWEEN {{ lo }} AND {{ hi }}{% endif %}{% endif %}';
    expect(render(t, { lo: 0.1, hi: 0.9 })).toBe('value BETWEEN 0.1 AND 0.9');
  });

  it('reports a syntax error (unclosed if) with its line', () => {
    const e = errorOf(() => render('SELECT 1\n{% if x %}\nWHERE 1'));
    expect(e.code).toBe('config_invalid');
    expect(e.message).toMatch(/^Invalid template syntax: .*line 3/);
  });

  it('fails on a missing variable (StrictUndefined), naming it and the available variables', () => {
    const e = errorOf(() => render("SELECT 1\nWHERE ts >= '{{ from_date }}'"));
    expect(e.message).toBe(
      "Template rendering failed: 'from_date' is undefined (line 2, column 14). " +
        'Available variables: dtk_end_time, dtk_start_time, interval_seconds'
    );
  });

  it('render_with_defaults: `| default(...)` fills in', () => {
    expect(renderWithDefaults("SELECT * FROM {{ table | default('metrics') }}")).toBe('SELECT * FROM metrics');
    expect(render("SELECT * FROM {{ table | default('metrics') }}")).toBe('SELECT * FROM metrics');
  });

  it('non-strict undefined renders as an empty string', () => {
    expect(renderWithDefaults('WHERE {{ missing }} = 1')).toBe('WHERE  = 1');
  });

  it('supports whitespace control in loops', () => {
    const t = 'SELECT\n{%- for c in cols %}\n  {{ c }}{% if not loop.last %},{% endif %}\n{%- endfor %}\nFROM t';
    expect(render(t, { cols: ['cpu', 'memory', 'disk'] })).toBe('SELECT  cpu,  memory,  diskFROM t'); // Jinja2's output
  });

  it('renders a complex query', () => {
    const t = [
      'SELECT',
      '    toStartOfInterval(timestamp, INTERVAL {{ interval_seconds }} SECOND) AS timestamp,',
      '    avg(value) AS value',
      'FROM {{ database }}.{{ table }}',
      "WHERE metric_name = '{{ metric }}'",
      "  AND timestamp >= '{{ dtk_start_time }}'",
      "  AND timestamp < '{{ dtk_end_time }}'",
      'GROUP BY timestamp',
      'ORDER BY timestamp',
    ].join('\n');
    const sql = render(t, { database: 'analytics', table: 'metrics', metric: 'cpu_usage' });
    for (const part of ['analytics.metrics', 'avg(value)', 'cpu_usage', '2024-01-01', '600 SECOND']) {
      expect(sql).toContain(part);
    }
  });

  it('leaves a template without variables unchanged (empty or None context)', () => {
    expect(render('SELECT 1 as value', {})).toBe('SELECT 1 as value');
    expect(render('SELECT 1 as value', null)).toBe('SELECT 1 as value');
  });

  it('renders numbers like Python', () => {
    expect(render('WHERE score > {{ threshold }} AND n = {{ n }}', { threshold: 0.95, n: 600 })).toBe(
      'WHERE score > 0.95 AND n = 600'
    );
  });

  it('renders booleans like Python', () => {
    expect(render('WHERE is_active = {{ active }}', { active: true })).toBe('WHERE is_active = True');
    expect(render('WHERE is_active = {{ active }}', { active: false })).toBe('WHERE is_active = False');
  });

  it('renders lists as Python repr', () => {
    expect(render('{{ metrics }}', { metrics: ['cpu', 'memory', 'disk'] })).toBe("['cpu', 'memory', 'disk']");
  });
});

describe('renderQuery', () => {
  it('renders the reference A.6 range', () => {
    const sql = renderQuery(
      "SELECT ts, v FROM t WHERE ts >= '{{ dtk_start_time }}' AND ts < '{{ dtk_end_time }}'",
      { start: Date.UTC(2026, 10, 21, 18, 50), end: Date.UTC(2026, 10, 22, 4, 50), intervalSeconds: 600 },
      'sql/a6.sql'
    );
    expect(sql).toContain("ts >= '2026-11-21 18:50:00' AND ts < '2026-11-22 04:50:00'");
  });

  it('drops milliseconds from the time variables', () => {
    expect(formatUtc(Date.UTC(2024, 0, 6, 15, 4, 5, 999))).toBe('2024-01-06 15:04:05');
  });

  it('names the file in errors', () => {
    const e = errorOf(() => renderQuery('{{ x }', vars, 'sql/bad.sql'));
    expect(e.message).toMatch(/^Invalid template syntax: .*\(sql\/bad\.sql, line 1/);
    expect(e.details).toMatchObject({ file: 'sql/bad.sql', line: 1 });
  });

  it('names a missing attribute', () => {
    const e = errorOf(() => render('{{ cfg.table }}', { cfg: {} }));
    expect(e.message).toMatch(/^Template rendering failed: attribute 'table' is undefined/);
  });

  it('reports other render errors', () => {
    const e = errorOf(() => render('{{ nope() }}'));
    expect(e.message).toMatch(/^Template rendering failed: Unable to call `nope`/);
  });
});

describe('Python rendering semantics (expected outputs produced by Jinja2 3.1.6 with detectkit options)', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    [
      "SELECT\n{% for c in cols %}\n  '{{ c }}'{% if not loop.last %},{% endif %}\n{% endfor %}\nFROM t",
      { cols: ['cpu', 'memory', 'disk'] },
      "SELECT\n  'cpu',  'memory',  'disk'FROM t",
    ],
    [
      'SELECT *\nFROM t\nWHERE 1=1\n    {% if f is defined %}\n    AND value > {{ f }}\n    {% endif %}\n',
      { f: 0.5 },
      'SELECT *\nFROM t\nWHERE 1=1\n    AND value > 0.5\n',
    ],
    [
      'SELECT *\nFROM t\nWHERE 1=1\n    {% if f is defined %}\n    AND value > {{ f }}\n    {% endif %}\n',
      {},
      'SELECT *\nFROM t\nWHERE 1=1\n',
    ],
    ['{% if use_cache %}cached{% else %}fresh{% endif %} {{ use_cache }}', { use_cache: true }, 'cached True'],
    ["{{ l | join(', ') }}|{{ l | length }}|{{ 'x' ~ 1 }}", { l: [true, 1, 'a'] }, 'True, 1, a|3|x1'],
    ['  {%- if x %}\n   yes\n  {%- endif %}\nend', { x: true }, '   yesend'],
    [
      '{# comment #}\nSELECT 1\n{% set y = 3 %}\n{{ y * interval_seconds }}',
      { interval_seconds: 600 },
      'SELECT 1\n1800',
    ],
    ["{% for i in range(3) %}{{ i }}{{ ',' if not loop.last else '' }}{% endfor %}", {}, '0,1,2'],
    ['{{ x is none }} {{ x == None }} {{ True }} {{ none }}', { x: null }, 'True True True None'],
    ["{{ name | upper }} {{ name | replace('a', 'b') }} {{ name | lower }}", { name: 'Aaa' }, 'AAA Abb aaa'],
    ['  {# lead #}\nSELECT {# inline #} 1\n{#- dash -#}\n  x\n{# multi\nline #}\nend', {}, 'SELECT  1x\nend'],
    ['a {# c #}b\n   {# c2 #}   \nc', {}, 'a b\n   \nc'],
    [
      '{{ l }} {{ n }} {{ d }} {{ z }} {{ f }} {{ neg }} {{ s }}',
      {
        l: ['cpu', "it's", 1, 2.5, true, null],
        n: null,
        d: { a: 1, b: 'x' },
        z: 1e-5,
        f: 0.95,
        neg: -0.5,
        s: 'a"b\'c',
      },
      "['cpu', \"it's\", 1, 2.5, True, None] None {'a': 1, 'b': 'x'} 1e-05 0.95 -0.5 a\"b'c",
    ],
  ];
  it.each(cases)('%j', (template, context, expected) => {
    expect(renderTemplate(template, context)).toBe(expected);
  });

  it('keeps line numbers when moving comment newlines', () => {
    const t = '{# a #}\n  {# b #}\nSELECT';
    expect(jinjaComments(t).split('\n')).toHaveLength(3);
    const e = errorOf(() => renderTemplate('{# header #}\n\n{{ missing }}', {}));
    expect(e.message).toContain('line 3');
  });

  it('leaves nunjucks as it was for other users, after success and after failure', () => {
    render('{{ x }}', { x: true });
    errorOf(() => render('{{ nope }}'));
    expect(nunjucks.renderString('{{ x }}|{{ y }}', { x: true, y: null })).toBe('true|');
  });

  it('does not read included files (no loader, as detectkit)', () => {
    expect(() => render("{% include 'x.sql' %}")).toThrow(SourceError);
  });
});
