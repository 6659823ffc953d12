import type { JWTPayload } from 'jose';

interface Entry {
  readonly payload: JWTPayload;
  /** ms after which the token must be verified again (its exp, plus tolerance). */
  readonly until: number;
  /** ms before which the token is not yet valid. */
  readonly from: number;
}

/**
 * Verified tokens, so a client sending the same token again does not pay for the signature
 * check. Bounded (the oldest entry goes first: a hit does not reorder, so it stays a plain
 * Map lookup); entries die with the token's `exp`.
 */
export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;
  readonly #toleranceMs: number;

  constructor(max: number, toleranceSeconds: number) {
    this.#max = max;
    this.#toleranceMs = toleranceSeconds * 1000;
  }

  get(token: string, now: number): JWTPayload | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    if (now >= entry.until || now < entry.from) {
      this.#entries.delete(token);
      return undefined;
    }
    return entry.payload;
  }

  set(token: string, payload: JWTPayload): void {
    if (this.#max === 0) return;
    // Every request with this token gets this very object as req.user: frozen, so one handler
    // cannot change the claims (say, push a role) that later requests see.
    deepFreeze(payload);
    // Only with `requireExp: false`: a token without exp never expires by itself, so it is
    // verified again (issuer, key rotation via JWKS) at least once a minute.
    const until = payload.exp !== undefined ? payload.exp * 1000 + this.#toleranceMs : Date.now() + 60_000;
    const from = payload.nbf !== undefined ? payload.nbf * 1000 - this.#toleranceMs : 0;
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(token, { payload, until, from });
  }
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
