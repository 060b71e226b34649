// W-bit values as little-endian arrays of 32-bit words (Int32Array: V8 keeps int32 in registers, so XOR stays cheap).
// Word 0 holds bits 31..0. BigInt appears only in the conversions at the API boundary.

/** 32-bit words needed for `bits` bits (at least 1). */
export function wordsFor(bits: number): number {
  return Math.max(1, Math.ceil(bits / 32));
}

/** Mask of the valid bits in the most significant word of a `bits`-bit value. */
export function topWordMask(bits: number): number {
  const rest = bits % 32;
  return rest === 0 ? -1 : (1 << rest) - 1;
}

/** All ones in `width` bits. */
export function onesMask(width: number): bigint {
  return (1n << BigInt(width)) - 1n;
}

/** Writes `value` masked to `width` bits into `dst[off ..]` (wordsFor(width) words). */
export function bigintToWords(value: bigint, width: number, dst: Int32Array, off = 0): void {
  let v = BigInt.asUintN(width, value);
  const words = wordsFor(width);
  for (let k = 0; k < words; k++) {
    dst[off + k] = Number(BigInt.asIntN(32, v & 0xffffffffn));
    v >>= 32n;
  }
}

/** Reads a `width`-bit value from `src[off ..]`. */
export function wordsToBigint(src: ArrayLike<number>, off: number, width: number): bigint {
  let v = 0n;
  for (let k = wordsFor(width) - 1; k >= 0; k--) v = (v << 32n) | BigInt((src[off + k] ?? 0) >>> 0);
  return BigInt.asUintN(width, v);
}

/** `0x`-prefixed hex of a `width`-bit value, zero-padded to whole nibbles. */
export function wordsToHex(src: ArrayLike<number>, off: number, width: number): string {
  return `0x${wordsToBigint(src, off, width).toString(16).padStart(Math.ceil(width / 4), '0')}`;
}

/**
 * Parses plain hex digits (as `%h` prints them) into `words` words at `dst[off ..]`. Returns false when the text holds
 * anything but hex digits (an `x` or `z` from a simulator, say).
 */
export function hexToWords(hex: string, dst: Int32Array, off: number, words: number): boolean {
  let end = hex.length;
  for (let k = 0; k < words; k++) {
    const start = Math.max(0, end - 8);
    const digits = hex.slice(start, end);
    if (digits !== '' && !/^[0-9a-fA-F]+$/.test(digits)) return false;
    dst[off + k] = digits === '' ? 0 : Number.parseInt(digits, 16) | 0;
    end = start;
  }
  // digits beyond the field (wider than asked) must be hex too
  return end === 0 || /^[0-9a-fA-F]+$/.test(hex.slice(0, end));
}

/** Hex digits (no prefix) of `bits` bits at `src[off ..]`, most significant first, zero-padded to whole nibbles. */
export function wordsToPlainHex(src: ArrayLike<number>, off: number, bits: number): string {
  const words = wordsFor(bits);
  let text = '';
  for (let k = words - 1; k >= 0; k--) text += ((src[off + k] ?? 0) >>> 0).toString(16).padStart(8, '0');
  return text.slice(text.length - Math.ceil(bits / 4));
}

/**
 * Copies the `width`-bit field starting at bit `bitPos` of `src[srcOff ..]` into `dst[dstOff ..]` (wordsFor(width) words,
 * upper bits cleared). General path; callers use word copies when fields are word-aligned.
 */
export function extractBits(src: Int32Array, srcOff: number, bitPos: number, width: number, dst: Int32Array, dstOff: number): void {
  const words = wordsFor(width);
  const base = srcOff + (bitPos >>> 5);
  const shift = bitPos & 31;
  for (let k = 0; k < words; k++) {
    const lo = src[base + k]! >>> shift;
    const hi = shift === 0 || 32 * k + 32 - shift >= width ? 0 : src[base + k + 1]! << (32 - shift);
    dst[dstOff + k] = lo | hi;
  }
  dst[dstOff + words - 1]! &= topWordMask(width);
}

/** ORs the `width`-bit value at `src[srcOff ..]` into bit `bitPos` onwards of `dst[dstOff ..]` (the field must be zero). */
export function insertBits(dst: Int32Array, dstOff: number, bitPos: number, width: number, src: Int32Array, srcOff: number): void {
  const words = wordsFor(width);
  const base = dstOff + (bitPos >>> 5);
  const shift = bitPos & 31;
  const top = topWordMask(width);
  for (let k = 0; k < words; k++) {
    const w = k === words - 1 ? src[srcOff + k]! & top : src[srcOff + k]!;
    dst[base + k]! |= w << shift;
    const fieldBitsLeft = width - 32 * k; // bits of the field from this word onwards
    if (shift !== 0 && fieldBitsLeft + shift > 32) dst[base + k + 1]! |= w >>> (32 - shift);
  }
}
