import type { z } from 'zod';
import { metricConfigSchema, profilesConfigSchema, projectConfigSchema } from '../../common/config';
import { DETECTOR_PARAM_SCHEMAS } from '../../common/detectors';
import { KEY_DOCS, type DocSection, type KeyDoc } from './descriptions';
import { cell, code, generatedBanner, inlineYaml, table } from './markdown';
import { inputJsonSchema, walkObject, type KeyInfo, type UnionInfo, type Walked } from './schemaKeys';

/** docs/reference/configuration.md: every key of every file, from the zod schemas in common/. */

export interface ConfigReference {
  markdown: string;
  /** Every documented key: its section and the path shown. */
  keys: Array<{ section: DocSection; path: string; docKey: string }>;
  /** Keys without a description or example, and descriptions that name no key. */
  problems: string[];
}

const UNION_TITLES: Record<string, string> = {
  'profiles.<name>': 'Database profiles',
  'alert_channels.<name>': 'Alert channels',
  source: 'Sources',
};

/** Looks descriptions up and remembers which were used and which were missing. */
class Docs {
  readonly used = new Map<DocSection, Set<string>>();
  readonly problems: string[] = [];

  get(section: DocSection, docKey: string, opts: { wildcard?: boolean } = {}): KeyDoc | undefined {
    const docs: Record<string, string | KeyDoc> = KEY_DOCS[section];
    const candidates = [docKey];
    if (opts.wildcard !== false) {
      candidates.push(docKey.replace(/\[[^\]*]+\]/g, '[*]'));
    }
    for (const c of candidates) {
      const d = docs[c];
      if (d !== undefined) {
        this.mark(section, c);
        return typeof d === 'string' ? { text: d } : d;
      }
    }
    this.problems.push(`${section}: no description for ${docKey}`);
    return undefined;
  }

  private mark(section: DocSection, key: string) {
    let set = this.used.get(section);
    if (!set) {
      set = new Set();
      this.used.set(section, set);
    }
    set.add(key);
  }

  unused(): string[] {
    return (Object.keys(KEY_DOCS) as DocSection[]).flatMap((s) =>
      Object.keys(KEY_DOCS[s])
        .filter((k) => !this.used.get(s)?.has(k))
        .map((k) => `${s}: description of ${k} names no key of the schemas; remove or rename it`)
    );
  }
}

function defaultText(k: KeyInfo): string {
  if (k.required) {
    return '**required**';
  }
  if (k.default === undefined || k.container) {
    return '—';
  }
  return code(inlineYaml(k.default));
}

function row(section: DocSection, k: KeyInfo, shown: string, docs: Docs): string[] {
  const d = docs.get(section, k.docKey) ?? { text: '' };
  const values = d.values ?? k.values;
  const allowed = [
    ...(values ? [values.map((v) => code(inlineYaml(v))).join(', ')] : []),
    ...k.bounds,
    ...(d.bounds ? [d.bounds] : []),
  ];
  let example = d.example;
  if (example === undefined && !k.container) {
    if (k.default !== undefined && k.default !== null) {
      example = inlineYaml(k.default);
    } else if (values?.length) {
      example = inlineYaml(values[0]);
    } else {
      docs.problems.push(`${section}: no example for ${k.docKey} (it has no default and no allowed values)`);
    }
  }
  return [
    code(shown),
    cell(d.type ?? k.type),
    defaultText(k),
    cell(allowed.join('; ') || '—'),
    cell(d.text),
    example === undefined ? '—' : cell(code(example)),
  ];
}

const HEADER = ['Key', 'Type', 'Default', 'Allowed', 'Description', 'Example'];

function keyTable(section: DocSection, keys: KeyInfo[], docs: Docs, shown: (k: KeyInfo) => string = (k) => k.path) {
  return table(
    HEADER,
    keys.map((k) => row(section, k, shown(k), docs))
  );
}

function unionSections(
  section: DocSection,
  u: UnionInfo,
  level: number,
  docs: Docs,
  out: string[],
  keys: ConfigReference['keys']
): void {
  const h = '#'.repeat(level);
  out.push(`${h} ${UNION_TITLES[u.path] ?? code(u.path)}`);
  out.push(`Each entry of ${code(u.path)} is one of these, chosen by ${code(u.discriminator)}.`);
  for (const v of u.variants) {
    out.push(`${h}# ${code(`${u.discriminator}: ${v.name}`)}`);
    const intro = docs.get(section, `${u.docKey}[${v.name}]`, { wildcard: false });
    if (intro) {
      out.push(intro.text);
    }
    out.push(keyTable(section, v.keys, docs));
    keys.push(...v.keys.map((k) => ({ section, path: k.path, docKey: k.docKey })));
    for (const inner of v.unions) {
      unionSections(section, inner, level + 1, docs, out, keys);
    }
  }
}

function fileSection(
  section: DocSection,
  title: string,
  intro: string,
  schema: z.ZodType,
  docs: Docs,
  out: string[],
  keys: ConfigReference['keys']
): void {
  const walked: Walked = walkObject(inputJsonSchema(schema), '', '');
  out.push(`## ${title}`, intro, keyTable(section, walked.keys, docs));
  keys.push(...walked.keys.map((k) => ({ section, path: k.path, docKey: k.docKey })));
  for (const u of walked.unions) {
    unionSections(section, u, 3, docs, out, keys);
  }
}

function detectorSections(docs: Docs, out: string[], keys: ConfigReference['keys']): void {
  out.push(
    '## Detector parameters',
    "The `params:` of each entry of a metric's `detectors:`, by `type`. Parameters are validated when the project loads; unknown ones are errors. `start_time` and `batch_size` are execution parameters and are not part of the `detector_id`. What each detector is for: [guides/detectors.md](../guides/detectors.md)."
  );
  const seen = new Map<z.ZodType, string>();
  for (const [type, schema] of Object.entries(DETECTOR_PARAM_SCHEMAS) as Array<[string, z.ZodType]>) {
    const alias = seen.get(schema);
    out.push(`### ${code(type)}`);
    if (alias) {
      out.push(`An alias of ${code(alias)}: the same parameters, class and \`detector_id\`.`);
      continue;
    }
    seen.set(schema, type);
    const intro = docs.get('detectors', `detectors[${type}]`, { wildcard: false });
    if (intro) {
      out.push(intro.text);
    }
    const base = `detectors[${type}].params`;
    const walked = walkObject(inputJsonSchema(schema), base, base);
    out.push(keyTable('detectors', walked.keys, docs, (k) => k.path.slice(base.length + 1)));
    keys.push(...walked.keys.map((k) => ({ section: 'detectors' as const, path: k.path, docKey: k.docKey })));
  }
}

export function configReference(): ConfigReference {
  const docs = new Docs();
  const keys: ConfigReference['keys'] = [];
  const out: string[] = [
    generatedBanner('the zod schemas in common/config and common/detectors'),
    '# Configuration reference',
    "Every key of the three kinds of project files, generated from the schemas the service validates with. The guide to these files, with their aliases and the differences from detectkit, is [configuration.md](../configuration.md). Paths are dotted: `alerting.direction` is `direction` under `alerting:`; `<name>` stands for a name you choose; `[]` is each item of a list. Every string may use `${VAR}`, `${VAR:-default}` or `{{ env_var('VAR') }}` (a metric's `query` and `description` excepted). Unknown keys are warnings (errors with `--strict`).",
  ];
  fileSection(
    'project',
    '`detectkit_project.yml`',
    'The project root: `dtk` looks for this file in the current directory and up to 10 levels above it (or `--project DIR`).',
    projectConfigSchema,
    docs,
    out,
    keys
  );
  fileSection(
    'profiles',
    '`profiles.yml`',
    'Optional, beside `detectkit_project.yml`: without it the embedded store in `.dtk/data` is used and no alert channels exist.',
    profilesConfigSchema,
    docs,
    out,
    keys
  );
  fileSection(
    'metric',
    'Metric files (`metrics/**/*.yml`, `*.yaml`)',
    'One metric per file under `paths.metrics`, flat or nested under a top-level `metric:` key. Files and directories starting with `.` are skipped.',
    metricConfigSchema,
    docs,
    out,
    keys
  );
  detectorSections(docs, out, keys);
  return { markdown: out.join('\n\n') + '\n', keys, problems: [...docs.problems, ...docs.unused()] };
}
