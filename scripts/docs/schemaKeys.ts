import { z } from 'zod';

/**
 * Walks the JSON Schema of a zod schema (`io: 'input'`: what a user writes) into documented keys. Mappings keyed by
 * user names (`profiles.<name>`) get a `<name>` segment, list items `[]`, and unions discriminated by a `type`
 * constant (sources, database profiles, alert channels) become variants documented in sections of their own.
 */

type Json = Record<string, unknown>;

export interface KeyInfo {
  /** The key as users write it, dotted: `alerting.direction`, `profiles.<name>.host`, `detectors[].type`. */
  path: string;
  /** The key of its description in descriptions.ts: `path` with the variant, e.g. `source[prometheus].url`. */
  docKey: string;
  type: string;
  /** `null` is accepted (an explicit "not set"). */
  nullable: boolean;
  required: boolean;
  default?: unknown;
  /** enum / const values. */
  values?: unknown[];
  /** Bounds and formats the schema states (refinements it cannot state come from descriptions.ts). */
  bounds: string[];
  /** A container: its keys are documented one by one. */
  container: boolean;
}

export interface UnionInfo {
  path: string;
  docKey: string;
  /** The discriminating key (always `type` here). */
  discriminator: string;
  variants: Array<{ name: string; keys: KeyInfo[]; unions: UnionInfo[] }>;
}

export interface Walked {
  keys: KeyInfo[];
  unions: UnionInfo[];
}

const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * JSON Schema of a zod schema as users write it. Defaults set on top of a preprocess (`z.preprocess(…).default()`)
 * are lost by zod's converter; the override puts them back so the reference shows every default.
 */
export function inputJsonSchema(schema: z.ZodType): Json {
  return z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const def = (ctx.zodSchema as unknown as { _zod: { def: { type: string; defaultValue?: unknown } } })._zod.def;
      if ((def.type === 'default' || def.type === 'prefault') && ctx.jsonSchema.default === undefined) {
        ctx.jsonSchema.default = def.defaultValue;
      }
    },
  }) as Json;
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Splits `anyOf/oneOf/type: [..., 'null']` into the non-null branches and whether null is accepted. */
function branches(s: Json): { parts: Json[]; nullable: boolean } {
  const alts = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  if (alts && !isObj(s.properties)) {
    const parts: Json[] = [];
    let nullable = false;
    for (const a of alts) {
      const inner = branches(a);
      nullable ||= inner.nullable;
      parts.push(...inner.parts);
    }
    return { parts, nullable };
  }
  if (Array.isArray(s.type) && s.type.includes('null')) {
    const rest = s.type.filter((t) => t !== 'null');
    if (rest.length === 0) {
      return { parts: [], nullable: true };
    }
    return { parts: [{ ...s, type: rest.length === 1 ? rest[0] : rest }], nullable: true };
  }
  if (s.type === 'null') {
    return { parts: [], nullable: true };
  }
  return { parts: [s], nullable: false };
}

/** The variants of a union discriminated by a constant `type`, or null. */
function discriminated(parts: Json[]): Array<{ name: string; schema: Json }> | null {
  if (parts.length < 2) {
    return null;
  }
  const out: Array<{ name: string; schema: Json }> = [];
  for (const p of parts) {
    const t = isObj(p.properties) ? (p.properties.type as Json | undefined) : undefined;
    if (!t || typeof t.const !== 'string') {
      return null;
    }
    out.push({ name: t.const, schema: p });
  }
  return out;
}

export function typeName(s: Json): string {
  const { parts } = branches(s);
  if (parts.length === 0) {
    return 'null';
  }
  if (parts.length > 1) {
    return [...new Set(parts.map(typeName))].join(' | ');
  }
  const p = parts[0]!;
  if (Array.isArray(p.type)) {
    return p.type.join(' | ');
  }
  if (p.type === 'array') {
    const items = p.items as Json | undefined;
    // Nullable items say so: a column of numbers with gaps is `list of (number or null)`.
    const inner =
      items && Object.keys(items).length ? typeName(items) + (branches(items).nullable ? ' or null' : '') : '';
    return inner ? `list of ${inner.includes(' ') ? `(${inner})` : inner}` : 'list';
  }
  if (p.type === 'object') {
    if (isObj(p.properties)) {
      return 'mapping';
    }
    const ap = p.additionalProperties;
    return isObj(ap) && Object.keys(ap).length ? `mapping of ${typeName(ap)}` : 'mapping';
  }
  if (typeof p.type === 'string') {
    return p.type;
  }
  return 'any';
}

function boundsOf(s: Json): string[] {
  const { parts } = branches(s);
  const out: string[] = [];
  for (const p of parts) {
    const min = typeof p.minimum === 'number' && p.minimum > -SAFE ? p.minimum : undefined;
    const max = typeof p.maximum === 'number' && p.maximum < SAFE ? p.maximum : undefined;
    if (min !== undefined && max !== undefined) {
      out.push(`${min}..${max}`);
    } else if (min !== undefined) {
      out.push(`≥ ${min}`);
    } else if (max !== undefined) {
      out.push(`≤ ${max}`);
    }
    if (typeof p.exclusiveMinimum === 'number') {
      out.push(`> ${p.exclusiveMinimum}`);
    }
    if (typeof p.exclusiveMaximum === 'number') {
      out.push(`< ${p.exclusiveMaximum}`);
    }
    if (p.minLength === 1) {
      out.push('non-empty');
    }
    if (typeof p.pattern === 'string') {
      out.push(`pattern \`${p.pattern}\``);
    }
    if (typeof p.minItems === 'number' && p.minItems > 0) {
      out.push(`at least ${p.minItems} item${p.minItems === 1 ? '' : 's'}`);
    }
    if (p.format === 'uri') {
      out.push('a URL');
    }
  }
  return [...new Set(out)];
}

function valuesOf(s: Json): unknown[] | undefined {
  const { parts } = branches(s);
  const values = parts.flatMap((p) => (Array.isArray(p.enum) ? p.enum : 'const' in p ? [p.const] : []));
  return values.length ? values : undefined;
}

/** Walks an object schema's properties (the file's top level, a nested mapping or a variant). */
export function walkObject(s: Json, path: string, docKey: string): Walked {
  const out: Walked = { keys: [], unions: [] };
  const props = (isObj(s.properties) ? s.properties : {}) as Record<string, Json>;
  const required = new Set((s.required as string[] | undefined) ?? []);
  const join = (a: string, b: string) => (a ? `${a}.${b}` : b);
  for (const [name, prop] of Object.entries(props)) {
    walkKey(prop, join(path, name), join(docKey, name), required.has(name), out);
  }
  return out;
}

function walkKey(s: Json, path: string, docKey: string, required: boolean, out: Walked): void {
  const { parts, nullable } = branches(s);
  const variants = discriminated(parts);
  const single = parts.length === 1 ? parts[0]! : undefined;
  const nested = single && single.type === 'object' && isObj(single.properties);
  const record =
    single &&
    single.type === 'object' &&
    !isObj(single.properties) &&
    isObj(single.additionalProperties) &&
    (discriminated(branches(single.additionalProperties).parts) !== null ||
      isObj(single.additionalProperties.properties));
  const listOfObjects = single && single.type === 'array' && isObj(single.items) && isObj(single.items.properties);
  const container = Boolean(variants || nested || record || listOfObjects);
  out.keys.push({
    path,
    docKey,
    type: variants ? 'mapping' : typeName(s),
    nullable,
    required,
    ...(s.default !== undefined ? { default: s.default } : {}),
    ...(variants ? {} : { values: valuesOf(s) }),
    bounds: variants ? [] : boundsOf(s),
    container,
  });
  if (variants) {
    out.unions.push(unionOf(variants, path, docKey));
  } else if (nested) {
    merge(out, walkObject(single, path, docKey));
  } else if (record) {
    const value = single.additionalProperties as Json;
    const vv = discriminated(branches(value).parts);
    if (vv) {
      out.unions.push(unionOf(vv, `${path}.<name>`, `${docKey}.<name>`));
    } else {
      merge(out, walkObject(value, `${path}.<name>`, `${docKey}.<name>`));
    }
  } else if (listOfObjects) {
    merge(out, walkObject(single.items as Json, `${path}[]`, `${docKey}[]`));
  }
}

function unionOf(variants: Array<{ name: string; schema: Json }>, path: string, docKey: string): UnionInfo {
  return {
    path,
    docKey,
    discriminator: 'type',
    variants: variants.map((v) => ({ name: v.name, ...walkObject(v.schema, path, `${docKey}[${v.name}]`) })),
  };
}

function merge(into: Walked, from: Walked): void {
  into.keys.push(...from.keys);
  into.unions.push(...from.unions);
}

/** Every key of a walk, variants included. */
export function allKeys(w: Walked): KeyInfo[] {
  return [...w.keys, ...w.unions.flatMap((u) => u.variants.flatMap((v) => allKeys(v)))];
}
