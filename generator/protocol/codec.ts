// Byte-level codecs shared by the host protocols (uart.ts, axil-map.ts) and everything that speaks them: big-endian
// words and hex text. Pure functions, no imports: the host library, the models and the templates' context use these.

/** `value` as `bytes` bytes, most significant first; bits above 8 * bytes are dropped. */
export function toBigEndian(value: bigint | number, bytes: number): number[] {
  const v = BigInt(value);
  const out: number[] = [];
  for (let i = bytes - 1; i >= 0; i--) out.push(Number((v >> BigInt(8 * i)) & 0xffn));
  return out;
}

/** Bytes, most significant first, as a bigint. */
export function fromBigEndian(bytes: ArrayLike<number>): bigint {
  let v = 0n;
  for (let i = 0; i < bytes.length; i++) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

/** Bytes, most significant first, as a number: for fields of at most 6 bytes (always exact). */
export function fromBigEndianNumber(bytes: ArrayLike<number>): number {
  if (bytes.length > 6) throw new RangeError(`${bytes.length} bytes may not fit a number exactly: use fromBigEndian`);
  return Number(fromBigEndian(bytes));
}

/** `value` in upper-case hex, zero-padded to `digits` digits, as the RTL literals and C macros print it. */
export function hex(value: number, digits = 2): string {
  return value.toString(16).toUpperCase().padStart(digits, '0');
}

/** Bytes for messages: lower-case hex pairs, space-separated ("01 ab"), "nothing" when empty, at most `max` shown. */
export function hexBytes(bytes: ArrayLike<number>, max = 48): string {
  if (bytes.length === 0) return 'nothing';
  const shown = Array.from(bytes)
    .slice(0, max)
    .map((b) => b.toString(16).padStart(2, '0'))
    .join(' ');
  return bytes.length > max ? `${shown} ... (${bytes.length} bytes)` : shown;
}
