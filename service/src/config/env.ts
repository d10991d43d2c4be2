import { isPair, isScalar, visit } from 'yaml';
import { formatPath, type ConfigIssue } from './issues';
import { position, type KeyPath, type YamlFile } from './yamlFile';

/**
 * Environment interpolation in string values: `${VAR}`, `${VAR:-default}`, `{{ env_var('VAR') }}` and
 * `{{ env_var('VAR', 'default') }}`. detectkit did this for alert-channel strings only and left unset
 * variables as literal text; we do it everywhere the caller allows and report an unset variable.
 */

const DOLLAR = /\$\{([^}:]+?)(?::-([^}]*))?\}/g;
const JINJA = /\{\{\s*env_var\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]*)['"]\s*)?\)\s*\}\}/g;

export interface UnsetVariable {
  name: string;
  path: KeyPath;
  issue: ConfigIssue;
}

export function interpolateString(text: string, env: NodeJS.ProcessEnv, onUnset: (name: string) => void): string {
  const sub = (_m: string, name: string, def: string | undefined): string => {
    const key = name.trim();
    const v = env[key];
    if (v !== undefined) {
      return v;
    }
    if (def !== undefined) {
      return def;
    }
    onUnset(key);
    return _m;
  };
  return text.replace(DOLLAR, sub).replace(JINJA, sub);
}

/**
 * Replaces placeholders in every string scalar of the document whose key path `include` accepts, in place
 * (positions stay those of the original text). Returns the unset variables, each with its position.
 */
export function interpolateYaml(
  y: YamlFile,
  env: NodeJS.ProcessEnv,
  include: (path: KeyPath) => boolean = () => true
): UnsetVariable[] {
  const unset: UnsetVariable[] = [];
  visit(y.doc, {
    Scalar(key, node, ancestors) {
      if (key === 'key' || typeof node.value !== 'string' || !/\$\{|env_var/.test(node.value)) {
        return;
      }
      const keyPath: Array<string | number> = [];
      let prev: unknown = node;
      for (let i = ancestors.length - 1; i >= 0; i--) {
        const a = ancestors[i];
        if (isPair(a)) {
          keyPath.unshift(isScalar(a.key) ? String(a.key.value) : String(a.key));
        } else if (a && typeof a === 'object' && 'items' in a && Array.isArray(a.items) && !isPair(prev)) {
          keyPath.unshift((a.items as unknown[]).indexOf(prev));
        }
        prev = a;
      }
      if (!include(keyPath)) {
        return;
      }
      node.value = interpolateString(node.value, env, (name) => {
        unset.push({
          name,
          path: keyPath,
          issue: {
            file: y.file,
            ...position(y, node),
            path: formatPath(keyPath),
            message:
              `environment variable ${name} is not set; export it (export ${name}=…) ` +
              `or give a default: {{ env_var('${name}', 'default') }} or \${${name}:-default}`,
            severity: 'error',
          },
        });
      });
    },
  });
  return unset;
}

/** An unset variable leaves its placeholder, which then fails the key's own checks: report the variable only. */
export function withoutShadowed(issues: ConfigIssue[], unset: UnsetVariable[]): ConfigIssue[] {
  const paths = new Set(unset.map((u) => u.issue.path));
  return issues.filter((i) => i.path === undefined || !paths.has(i.path));
}
