import { isRecord } from './definition';

/**
 * Detector parameters arrive as JSON Schema (GET /api/detectors, zod's `toJSONSchema`). The editor renders one input
 * per property from it and checks what the schema states (type, bounds, enum, required); the service checks the
 * rest (its own messages come back inline through preview and save).
 */

export type ParamKind = 'number' | 'integer' | 'boolean' | 'enum' | 'string' | 'other';

export interface ParamSpec {
  name: string;
  kind: ParamKind;
  /** null is an accepted value (`type: ['number', 'null']`, or `anyOf` with `{type: 'null'}`). */
  nullable: boolean;
  required: boolean;
  default?: unknown;
  description?: string;
  options?: Array<string | number>;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  /** The property's own schema, for `other` values (lists, mappings). */
  schema: Record<string, unknown>;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** JSON Schema's way of saying "no upper bound" for an integer (Number.MAX_SAFE_INTEGER) reads as none. */
const bound = (v: unknown) => {
  const n = num(v);
  return n !== undefined && Math.abs(n) >= Number.MAX_SAFE_INTEGER ? undefined : n;
};

function typesOf(s: Record<string, unknown>): string[] {
  const t = s.type;
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : typeof t === 'string' ? [t] : [];
}

function interpret(name: string, prop: Record<string, unknown>, required: boolean): ParamSpec {
  let nullable = false;
  let branch = prop;
  const anyOf = Array.isArray(prop.anyOf) ? prop.anyOf.filter(isRecord) : null;
  if (anyOf) {
    const nonNull = anyOf.filter((b) => !typesOf(b).includes('null') || typesOf(b).length > 1);
    nullable = nonNull.length < anyOf.length;
    branch = nonNull.length === 1 && nonNull[0] ? nonNull[0] : { anyOf: nonNull };
  }
  const types = typesOf(branch).filter((t) => {
    if (t === 'null') {
      nullable = true;
      return false;
    }
    return true;
  });
  const base = {
    name,
    nullable,
    required,
    default: prop.default,
    // zod's describe() often repeats the name: only a real description is worth showing.
    description: typeof prop.description === 'string' && prop.description !== name ? prop.description : undefined,
    schema: prop,
  };
  if (Array.isArray(branch.enum)) {
    const options = branch.enum.filter((o): o is string | number => typeof o === 'string' || typeof o === 'number');
    return { ...base, kind: 'enum', options };
  }
  const [t, ...others] = types;
  if (others.length === 0 && (t === 'number' || t === 'integer')) {
    return {
      ...base,
      kind: t,
      minimum: bound(branch.minimum),
      maximum: bound(branch.maximum),
      exclusiveMinimum: bound(branch.exclusiveMinimum),
      exclusiveMaximum: bound(branch.exclusiveMaximum),
    };
  }
  if (others.length === 0 && t === 'boolean') {
    return { ...base, kind: 'boolean' };
  }
  if (others.length === 0 && t === 'string') {
    return { ...base, kind: 'string', minLength: num(branch.minLength) };
  }
  return { ...base, kind: 'other' };
}

/** The parameters of a detector type, in the schema's order. */
export function paramSpecs(schema: Record<string, unknown>): ParamSpec[] {
  const props = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === 'string') : [];
  return Object.entries(props)
    .filter((e): e is [string, Record<string, unknown>] => isRecord(e[1]))
    .map(([name, prop]) => interpret(name, prop, required.includes(name)));
}

/** What is wrong with a value under its spec, or null. `undefined` means "not set": the default applies. */
export function checkParam(spec: ParamSpec, value: unknown): string | null {
  if (value === undefined) {
    return spec.required && spec.default === undefined ? `${spec.name} is required` : null;
  }
  if (value === null) {
    return spec.nullable ? null : `${spec.name} cannot be empty`;
  }
  switch (spec.kind) {
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return `${spec.name} must be a number`;
      }
      if (spec.kind === 'integer' && !Number.isInteger(value)) {
        return `${spec.name} must be an integer`;
      }
      if (spec.minimum !== undefined && value < spec.minimum) {
        return `${spec.name} must be at least ${spec.minimum}`;
      }
      if (spec.maximum !== undefined && value > spec.maximum) {
        return `${spec.name} must be at most ${spec.maximum}`;
      }
      if (spec.exclusiveMinimum !== undefined && value <= spec.exclusiveMinimum) {
        return `${spec.name} must be greater than ${spec.exclusiveMinimum}`;
      }
      if (spec.exclusiveMaximum !== undefined && value >= spec.exclusiveMaximum) {
        return `${spec.name} must be less than ${spec.exclusiveMaximum}`;
      }
      return null;
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : `${spec.name} must be true or false`;
    case 'enum':
      return spec.options?.includes(value as string | number)
        ? null
        : `${spec.name} must be one of: ${(spec.options ?? []).join(', ')}`;
    case 'string':
      if (typeof value !== 'string') {
        return `${spec.name} must be text`;
      }
      return spec.minLength !== undefined && value.length < spec.minLength
        ? `${spec.name} must have at least ${spec.minLength} characters`
        : null;
    default:
      return null;
  }
}
