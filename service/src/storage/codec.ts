/**
 * Wire codecs. Writes go out as TabSeparated through `INSERT … SELECT … FROM input()`: only the
 * per-row columns travel, the engine parses them on its own threads, and the same statement works
 * for the embedded engine and a server. Reads come back as RowBinary and are decoded straight into
 * typed arrays.
 */

/** A float as ClickHouse's text parser reads it; NaN (missing) becomes NULL — never a stored NaN. */
export function tsvFloat(v: number): string {
  if (v !== v) {
    return '\\N';
  }
  if (v === Infinity) {
    return 'inf';
  }
  if (v === -Infinity) {
    return '-inf';
  }
  return String(v);
}

const TSV_SPECIAL = /[\\\t\n\r\0]/;

/** TabSeparated string escaping: backslash, tab, newline, carriage return and NUL. */
export function tsvString(s: string): string {
  if (!TSV_SPECIAL.test(s)) {
    return s;
  }
  return s.replace(/[\\\t\n\r\0]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case '\t':
        return '\\t';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      default:
        return '\\0';
    }
  });
}

/** Sequential reader over a RowBinary buffer. */
export class RowBinaryReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get done(): boolean {
    return this.offset >= this.buf.byteLength;
  }

  int64AsNumber(): number {
    // Epoch milliseconds fit in 53 bits; read as two halves to avoid BigInt on the hot path.
    const lo = this.view.getUint32(this.offset, true);
    const hi = this.view.getInt32(this.offset + 4, true);
    this.offset += 8;
    return hi * 4294967296 + lo;
  }

  uint8(): number {
    return this.view.getUint8(this.offset++);
  }

  float64(): number {
    const v = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return v;
  }

  /** Nullable(Float64): NULL → NaN in memory. */
  nullableFloat64(): number {
    if (this.view.getUint8(this.offset++) === 1) {
      return NaN;
    }
    return this.float64();
  }

  private varUInt(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.view.getUint8(this.offset++);
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        return result;
      }
      shift += 7;
    }
  }

  string(): string {
    const len = this.varUInt();
    const s = decoder.decode(this.buf.subarray(this.offset, this.offset + len));
    this.offset += len;
    return s;
  }
}

const decoder = new TextDecoder();
