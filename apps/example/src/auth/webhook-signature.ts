import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a sender puts its signature in: `sha256=<hex HMAC-SHA256 of the raw body>`. */
export const signatureHeader = 'x-signature';

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Constant-time check of a signature header against the raw body. */
export function verifySignature(secret: string, body: string, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header.trim());
  // timingSafeEqual throws on different lengths; the length of a valid signature is no secret.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
