import { createPublicKey, type KeyObject } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { celloError } from '../../errors/cello-error.js';

export interface JwtOptions {
  /** Shared secret for HS256/384/512 (at least as long as the hash: 32/48/64 bytes). */
  secret?: string | Uint8Array;
  /** Public key (PEM or KeyObject) for RS*, PS*, ES* or EdDSA. */
  publicKey?: string | KeyObject;
  /** A JWK set, or its URL; keys are picked by `kid`. */
  jwks?: JSONWebKeySet | string;
  /** Accepted algorithms (required; never `none`, never HS mixed with asymmetric ones). */
  algorithms: string[];
  issuer?: string | string[];
  audience?: string | string[];
  /**
   * Refuse tokens without an `exp` claim (default true): such a token is valid forever if it
   * leaks. Set `false` only for issuers that cannot set one; those tokens are still re-verified
   * at least once a minute.
   */
  requireExp?: boolean;
  /** Seconds of leeway for `exp`/`nbf` (default 0, at most 300). */
  clockTolerance?: number;
  /** Also read the token from this query parameter (off by default: URLs end up in logs). */
  queryParameter?: string;
  /** Verified tokens remembered until they expire (default 1000; 0 disables). */
  cacheSize?: number;
}

export type VerificationKey = Uint8Array | KeyObject | JWTVerifyGetKey;

const hmac = ['HS256', 'HS384', 'HS512'];
const asymmetric = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
// Key types (KeyObject.asymmetricKeyType) each asymmetric algorithm can be verified with.
const keyTypes: Record<string, readonly string[]> = {
  RS256: ['rsa'], RS384: ['rsa'], RS512: ['rsa'],
  PS256: ['rsa', 'rsa-pss'], PS384: ['rsa', 'rsa-pss'], PS512: ['rsa', 'rsa-pss'],
  ES256: ['ec'], ES384: ['ec'], ES512: ['ec'],
  EdDSA: ['ed25519', 'ed448'],
};
const minSecretBytes: Record<string, number> = { HS256: 32, HS384: 48, HS512: 64 };

function weak(option: string, problem: string): Error {
  return celloError('CELLO_ERR_JWT_CONFIG', [option, problem]);
}

/** Checks a JWT configuration at startup and returns the key to verify with. Weak setups are refused. */
export function verificationKey(options: JwtOptions): VerificationKey {
  const { algorithms, secret, publicKey, jwks, clockTolerance } = options ?? ({} as JwtOptions);
  if (!Array.isArray(algorithms) || algorithms.length === 0) throw weak('algorithms', 'is required: list the algorithms your tokens use, e.g. [\'HS256\']');
  for (const alg of algorithms) {
    if (String(alg).toLowerCase() === 'none') throw weak('algorithms', 'must not contain "none" (unsigned tokens)');
    if (!hmac.includes(alg) && !asymmetric.includes(alg)) throw weak('algorithms', `contains unknown algorithm "${alg}"`);
  }
  const usesHmac = algorithms.some((a) => hmac.includes(a));
  if (usesHmac && algorithms.some((a) => asymmetric.includes(a))) {
    throw weak('algorithms', 'mixes HS* with asymmetric algorithms, which allows key confusion; use one family');
  }
  const { cacheSize, requireExp } = options;
  if (requireExp !== undefined && typeof requireExp !== 'boolean') throw weak('requireExp', 'must be true or false (default true)');
  if (cacheSize !== undefined && !(Number.isInteger(cacheSize) && cacheSize >= 0)) {
    throw weak('cacheSize', 'must be a whole number of tokens (0 disables the cache)');
  }
  const sources = [secret, publicKey, jwks].filter((k) => k !== undefined).length;
  if (sources !== 1) throw weak('secret', 'give exactly one of secret, publicKey or jwks');
  if (clockTolerance !== undefined && !(Number.isFinite(clockTolerance) && clockTolerance >= 0 && clockTolerance <= 300)) {
    throw weak('clockTolerance', 'must be a number of seconds from 0 to 300');
  }

  if (secret !== undefined) {
    if (!usesHmac) throw weak('secret', 'goes with HS256/HS384/HS512; use publicKey or jwks for asymmetric algorithms');
    const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
    const needed = Math.max(...algorithms.map((a) => minSecretBytes[a]!));
    if (!(bytes instanceof Uint8Array) || bytes.length < needed) {
      throw weak('secret', `must be at least ${needed} bytes for ${algorithms.join('/')} (got ${bytes?.length ?? 0}); generate one with \`openssl rand -base64 48\``);
    }
    return bytes;
  }
  if (usesHmac) throw weak('algorithms', 'HS* needs a secret; publicKey and jwks are for asymmetric algorithms');
  if (publicKey !== undefined) {
    let key: KeyObject;
    try {
      key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    } catch (err) {
      throw celloError('CELLO_ERR_JWT_CONFIG', ['publicKey', `is not a valid public key: ${(err as Error).message}`], { cause: err });
    }
    // A key that fits none of the listed algorithms would reject every token at request time.
    const type = key.asymmetricKeyType;
    for (const alg of algorithms) {
      if (type === undefined || !keyTypes[alg]!.includes(type)) {
        throw weak('publicKey', `is ${type === undefined ? 'not an asymmetric key' : `an ${type.toUpperCase()} key`}, which cannot verify ${alg} tokens`);
      }
    }
    return key;
  }
  if (typeof jwks === 'string') {
    let url: URL;
    try {
      url = new URL(jwks);
    } catch (err) {
      throw celloError('CELLO_ERR_JWT_CONFIG', ['jwks', `is not a JWK set or a valid URL (got "${jwks}")`], { cause: err });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw weak('jwks', `must be an http(s) URL (got ${url.protocol})`);
    return createRemoteJWKSet(url);
  }
  if (!jwks || !Array.isArray(jwks.keys)) throw weak('jwks', 'must be a JWK set ({ keys: [...] }) or its URL');
  return createLocalJWKSet(jwks);
}
