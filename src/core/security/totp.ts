/**
 * Time-based one-time passwords, RFC 6238 (HOTP, RFC 4226, over 30-second steps), and base32
 * secrets (RFC 4648) as authenticator apps expect them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31]!;
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31]!;
  return out;
}

export function base32Decode(s: string): Uint8Array {
  const clean = s.replace(/=+$/, '').replace(/\s+/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of clean) {
    const v = B32.indexOf(c);
    if (v < 0) throw new RangeError('not a base32 secret');
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return Uint8Array.from(out);
}

/** HOTP value (RFC 4226 §5.3) for a counter. */
export function hotp(secret: Uint8Array, counter: number, digits = 6, algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1'): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, secret).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  const code = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(code % 10 ** digits).padStart(digits, '0');
}

/** TOTP value at a Unix time in seconds. */
export function totp(secret: Uint8Array, unixSeconds: number, options: { step?: number; digits?: number; algorithm?: 'sha1' | 'sha256' | 'sha512' } = {}): string {
  return hotp(secret, Math.floor(unixSeconds / (options.step ?? 30)), options.digits ?? 6, options.algorithm ?? 'sha1');
}

/**
 * Checks a code against the current step and one step either side (clock drift), refusing a
 * step at or before `lastUsedStep` (a code works once). Returns the matched step or null.
 */
export function verifyTotp(secret: Uint8Array, code: string, unixSeconds: number, lastUsedStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const now = Math.floor(unixSeconds / 30);
  for (const step of [now - 1, now, now + 1]) {
    if (lastUsedStep !== null && step <= lastUsedStep) continue;
    const expected = Buffer.from(hotp(secret, step));
    if (timingSafeEqual(expected, Buffer.from(code))) return step;
  }
  return null;
}
