import { REDACTED } from '../../../common/api/metrics';
import { isRecord } from '../../../common/config';
import { DtkError } from '../errors';

/**
 * Secrets in metric definitions (`source.bearer_token`, `source.basic_auth.password`, every `source.headers` value)
 * never leave the service in clear: the API shows `[redacted]`, unless the value is only an environment reference
 * (`${VAR}`, `{{ env_var('VAR') }}`), which is what a definition should hold. An update that sends `[redacted]`
 * back keeps the saved value, so an editor can change other settings without retyping the secret.
 */

const ENV_REF = /^\s*(\$\{[^}]+\}|\{\{\s*env_var\([^)]*\)\s*\}\})\s*$/;

/** Paths (inside the flat definition) of the secret values it holds. */
function secretPaths(def: Record<string, unknown>): string[][] {
  const src = def.source;
  if (!isRecord(src)) {
    return [];
  }
  const paths: string[][] = [];
  if (typeof src.bearer_token === 'string') {
    paths.push(['source', 'bearer_token']);
  }
  if (isRecord(src.basic_auth) && typeof src.basic_auth.password === 'string') {
    paths.push(['source', 'basic_auth', 'password']);
  }
  if (isRecord(src.headers)) {
    for (const [k, v] of Object.entries(src.headers)) {
      if (typeof v === 'string') {
        paths.push(['source', 'headers', k]);
      }
    }
  }
  return paths;
}

function getAt(obj: unknown, p: string[]): unknown {
  let cur = obj;
  for (const k of p) {
    if (!isRecord(cur) || !Object.prototype.hasOwnProperty.call(cur, k)) {
      return undefined;
    }
    cur = cur[k];
  }
  return cur;
}

function setAt(obj: Record<string, unknown>, p: string[], v: unknown): void {
  let cur: Record<string, unknown> = obj;
  for (const k of p.slice(0, -1)) {
    cur = cur[k] as Record<string, unknown>;
  }
  cur[p[p.length - 1]!] = v;
}

const clone = (def: Record<string, unknown>) => JSON.parse(JSON.stringify(def)) as Record<string, unknown>;

/** A copy with every secret that is not an environment reference replaced by `[redacted]`. */
export function redactDefinition(def: Record<string, unknown>): Record<string, unknown> {
  const out = clone(def);
  for (const p of secretPaths(out)) {
    const v = getAt(out, p);
    if (typeof v === 'string' && !ENV_REF.test(v)) {
      setAt(out, p, REDACTED);
    }
  }
  return out;
}

/**
 * A copy of an incoming definition with each `[redacted]` secret replaced by the saved one at the same path.
 * A `[redacted]` with nothing saved there is refused: it would be sent as the literal credential.
 */
export function restoreSecrets(
  incoming: Record<string, unknown>,
  saved: Record<string, unknown> | null
): Record<string, unknown> {
  const out = clone(incoming);
  for (const p of secretPaths(out)) {
    if (getAt(out, p) !== REDACTED) {
      continue;
    }
    const prev = saved ? getAt(saved, p) : undefined;
    if (typeof prev !== 'string') {
      throw new DtkError(
        'config_invalid',
        `${p.join('.')} is '${REDACTED}' but no saved value exists there; enter the secret or a \${VAR} reference`,
        { details: { issues: [{ path: p.join('.'), message: 'secret value missing', severity: 'error' }] } }
      );
    }
    setAt(out, p, prev);
  }
  return out;
}
