/**
 * Python's `repr()` of the values that end up in detectkit's `detector_id` hash and params JSON. The hash input
 * is `str(sorted(items))`, so every character must match CPython's output.
 */

/** `repr(float)`: shortest round-trip digits, `.0` on integral values, exponent form below 1e-4 or from 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) {
    return 'nan';
  }
  if (!Number.isFinite(x)) {
    return x > 0 ? 'inf' : '-inf';
  }
  if (x === 0) {
    return Object.is(x, -0) ? '-0.0' : '0.0';
  }
  // Fast path (the common case, hot in bulk metadata): in [1e-4, 1e16) both JS and CPython print the
  // shortest round-trip digits in positional notation; CPython adds `.0` to integral values.
  const ax = x < 0 ? -x : x;
  if (ax >= 1e-4 && ax < 1e16) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  // toExponential() without digits gives the shortest round-trip mantissa, like CPython's repr.
  const [mant = '', expText = '0'] = x.toExponential().split('e');
  const exp = Number(expText);
  const negative = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) {
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  const intLen = exp + 1;
  if (digits.length <= intLen) {
    return `${sign}${digits}${'0'.repeat(intLen - digits.length)}.0`;
  }
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

/** `repr(int)` for the integers JS can hold exactly. */
export function pyIntRepr(x: number): string {
  return BigInt(x).toString();
}

/** `repr(str)`: single quotes unless the text holds a single quote and no double quote. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '\\') {
      out += '\\\\';
    } else if (ch === quote) {
      out += `\\${quote}`;
    } else if (ch === '\n') {
      out += '\\n';
    } else if (ch === '\r') {
      out += '\\r';
    } else if (ch === '\t') {
      out += '\\t';
    } else if (cp < 0x20 || cp === 0x7f) {
      out += `\\x${cp.toString(16).padStart(2, '0')}`;
    } else {
      out += ch;
    }
  }
  return out + quote;
}

/** Python repr of a parameter value; `isFloat` says whether a number was spelt as a float in the source. */
export function pyValueRepr(v: unknown, isFloat: boolean): string {
  if (v === null || v === undefined) {
    return 'None';
  }
  if (typeof v === 'boolean') {
    return v ? 'True' : 'False';
  }
  if (typeof v === 'number') {
    return isFloat || !Number.isInteger(v) ? pyFloatRepr(v) : pyIntRepr(v);
  }
  if (typeof v === 'string') {
    return pyStrRepr(v);
  }
  if (Array.isArray(v)) {
    return `[${v.map((e) => pyValueRepr(e, false)).join(', ')}]`;
  }
  if (typeof v === 'object') {
    // Only our detectors have mapping parameters (`custom`'s options): keys sorted, so the id does not depend on
    // the order they were written in.
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, e]) => `${pyStrRepr(k)}: ${pyValueRepr(e, false)}`).join(', ')}}`;
  }
  return pyStrRepr(String(v));
}

/** JSON with object keys sorted at every level (NaN and ±Infinity as null, as JSON.stringify writes them). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) {
    return `[${v.map(canonicalJson).join(',')}]`;
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, e]) => `${JSON.stringify(k)}:${canonicalJson(e)}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** orjson's compact JSON of one value (floats keep `.0`, as orjson writes them). */
export function orjsonValue(v: unknown, isFloat: boolean): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) {
      return 'null';
    }
    if (isFloat || !Number.isInteger(v)) {
      return Number.isInteger(v) && Math.abs(v) < 1e16 ? `${v}.0` : String(v);
    }
    return String(v);
  }
  return canonicalJson(v);
}
