/**
 * detectkit's documentation spellings (reference Appendix B) that we accept beside the code's. Each alias is
 * renamed to its canonical key before validation; a file that spells both keeps the canonical one and the
 * alias is reported as an unknown key.
 */

/** canonical key → documented aliases, for every mapping level. Also used to point errors at the alias. */
export const KEY_ALIASES: Record<string, readonly string[]> = {
  name: ['project_name'],
  tables: ['default_tables'],
  metrics: ['metrics_dir', 'metrics_path'],
  sql: ['sql_dir', 'sql_path'],
  templates: ['templates_dir', 'templates_path'],
  webhook_url: ['url'],
  extra_headers: ['headers'],
  smtp_username: ['smtp_user'],
};

/** Renames `aliases` (alias → canonical) in a plain mapping; anything else passes through unchanged. */
export function renameAliases(value: unknown, aliases: Record<string, string>): unknown {
  if (!isRecord(value)) {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const canonical = aliases[k];
    if (canonical !== undefined && !(canonical in value)) {
      out[canonical] = v;
    } else {
      out[k] = v;
    }
  }
  return out;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isDate(v);
}

/** Realm-independent (a Date from another realm, e.g. a test sandbox, fails `instanceof Date`). */
export function isDate(v: unknown): v is Date {
  return Object.prototype.toString.call(v) === '[object Date]';
}

/** Quotes a value the way detectkit's messages do: strings in single quotes, the rest as JSON. */
export function shown(v: unknown): string {
  if (typeof v === 'string') {
    return `'${v}'`;
  }
  if (isDate(v)) {
    return v.toISOString();
  }
  return JSON.stringify(v) ?? String(v);
}

/**
 * The other spellings of a key. An own-property lookup: a key named like an object member (`constructor`,
 * `toString`) is just an unknown key, not a crash.
 */
export function aliasesOf(key: string): readonly string[] {
  return Object.hasOwn(KEY_ALIASES, key) ? KEY_ALIASES[key]! : [];
}
