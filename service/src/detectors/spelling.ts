import { isMap, isScalar } from 'yaml';

/**
 * Recovers which numbers were written as floats (`2.0`) rather than ints (`2`), which detectkit's id hash
 * distinguishes (reference §4.9). PyYAML 1.1 needs a dot for a float (`1e3` is a string there), so a dot or
 * `.inf`/`.nan` marks a float.
 */
const FLOAT_SPELLING = /^[-+]?(\d[\d_]*)?\.[\d_]*([eE][-+]?\d+)?$|^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$/;

/** Float-spelt keys of a parsed YAML mapping node (a detector's `params:` node from `parseDocument`). */
export function floatKeysFromYaml(node: unknown): Set<string> {
  const keys = new Set<string>();
  if (!isMap(node)) {
    return keys;
  }
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (isScalar(pair.value) && typeof pair.value.value === 'number') {
      const src = pair.value.source ?? String(pair.value.value);
      if (FLOAT_SPELLING.test(src.trim())) {
        keys.add(key);
      }
    }
  }
  return keys;
}

/** Float-spelt top-level keys of a JSON object text (`{"threshold": 2.0}`), for `dtk detect --params`. */
export function floatKeysFromJson(text: string): Set<string> {
  const keys = new Set<string>();
  const re = /"((?:[^"\\]|\\.)*)"\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const [, key = '', num = ''] = m;
    if (/[.eE]/.test(num)) {
      keys.add(JSON.parse(`"${key}"`) as string);
    }
  }
  return keys;
}
