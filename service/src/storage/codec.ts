/**
 * RowBinary codecs. Writes send only the per-row columns as RowBinary (constant columns are query
 * parameters); reads come back as RowBinary and are decoded straight into typed arrays.
 */

/**
 * Growable RowBinary encoder. Numbers are written as their IEEE bits, so values round-trip exactly
 * and nothing is formatted as text on the hot path.
 */
export class RowBinaryWriter {
  private buf: Buffer;
  private offset = 0;

  constructor(initialBytes = 1 << 16) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  private ensure(bytes: number): void {
    if (this.offset + bytes <= this.buf.length) {
      return;
    }
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.offset + bytes));
    this.buf.copy(next, 0, 0, this.offset);
    this.buf = next;
  }

  /** Int64 from a safe integer (epoch milliseconds). */
  int64(v: number): void {
    this.ensure(8);
    const lo = v % 4294967296;
    const hi = Math.floor(v / 4294967296);
    this.buf.writeUInt32LE(lo < 0 ? lo + 4294967296 : lo, this.offset);
    this.buf.writeInt32LE(hi, this.offset + 4);
    this.offset += 8;
  }

  uint8(v: number): void {
    this.ensure(1);
    this.buf[this.offset++] = v;
  }

  int32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32LE(v, this.offset);
    this.offset += 4;
  }

  /** Nullable(Int64): null → NULL. */
  nullableInt64(v: number | null): void {
    this.uint8(v === null ? 1 : 0);
    if (v !== null) {
      this.int64(v);
    }
  }

  /** Nullable(String): null → NULL. */
  nullableString(s: string | null): void {
    this.uint8(s === null ? 1 : 0);
    if (s !== null) {
      this.string(s);
    }
  }

  /** Nullable(Float64): NaN (missing) is written as NULL, never as a stored NaN. */
  nullableFloat64(v: number): void {
    this.ensure(9);
    if (v !== v) {
      this.buf[this.offset++] = 1;
      return;
    }
    this.buf[this.offset++] = 0;
    this.buf.writeDoubleLE(v, this.offset);
    this.offset += 8;
  }

  string(s: string): void {
    const len = Buffer.byteLength(s);
    this.ensure(len + 5);
    let n = len;
    while (n >= 0x80) {
      this.buf[this.offset++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.offset++] = n;
    this.offset += this.buf.write(s, this.offset);
  }

  /** The encoded bytes (a view; the writer must not be reused while they are in flight). */
  finish(): Buffer {
    return this.buf.subarray(0, this.offset);
  }
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

  uint32(): number {
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
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

  /** Array(Int64) of epoch milliseconds. */
  int64Array(): Float64Array {
    const n = this.varUInt();
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = this.int64AsNumber();
    }
    return out;
  }

  /** Array(Float64), NaN kept. */
  float64Array(): Float64Array {
    const n = this.varUInt();
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = this.float64();
    }
    return out;
  }

  /** Array(UInt8). */
  uint8Array(): Uint8Array {
    const n = this.varUInt();
    const out = this.buf.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
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

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC: how DateTime64(3, 'UTC') columns read text (JSON) input. */
export function clickhouseTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
