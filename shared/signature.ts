import { createHash, createHmac, hash, timingSafeEqual } from 'node:crypto';

/**
 * The digest of a UTF-8 string. One-shot `hash` (Node 20.12 and later, the deployed
 * nodejs24.x included) makes no Hash object: on a callback's short inputs it takes about
 * half the time of `createHash`, and a callback computes several. Older Nodes take the
 * long way.
 */
export function digestOf(algorithm: 'md5' | 'sha256', text: string, encoding: 'hex'): string;
export function digestOf(algorithm: 'md5' | 'sha256', text: string, encoding: 'buffer'): Buffer;
export function digestOf(algorithm: 'md5' | 'sha256', text: string, encoding: 'hex' | 'buffer'): string | Buffer {
  if (hash) return encoding === 'hex' ? hash(algorithm, text, 'hex') : hash(algorithm, text, 'buffer');
  const digest = createHash(algorithm).update(text, 'utf8');
  return encoding === 'hex' ? digest.digest('hex') : digest.digest();
}

/** Lower-case hex MD5 of a UTF-8 string. */
export function md5Hex(text: string): string {
  return digestOf('md5', text, 'hex');
}

/** Lower-case hex HMAC-SHA256 of a UTF-8 message under a UTF-8 key. */
export function hmacSha256Hex(key: string, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('hex');
}

/**
 * True when `presented` equals one of `expected`, compared in constant time.
 *
 * Every candidate is compared, even after a match, so the time taken does not tell which
 * key (or whether any) matched. Inputs of different lengths are hashed first so that
 * `timingSafeEqual` compares equal-length buffers without leaking the expected length.
 */
export function matchesAny(presented: string, expected: readonly string[]): boolean {
  return matchesDigests(
    presented,
    expected.map((candidate) => digestOf('sha256', candidate, 'buffer')),
  );
}

const configuredDigests = new WeakMap<readonly string[], readonly Buffer[]>();

/**
 * {@link matchesAny} for a list that stays the same for the life of the container, such
 * as the configured tokens: its digests are computed once and kept, so that a callback
 * hashes only what it presents. The comparison itself is the same.
 */
export function matchesAnyConfigured(presented: string, configured: readonly string[]): boolean {
  let digests = configuredDigests.get(configured);
  if (!digests) {
    digests = configured.map((candidate) => digestOf('sha256', candidate, 'buffer'));
    configuredDigests.set(configured, digests);
  }
  return matchesDigests(presented, digests);
}

function matchesDigests(presented: string, digests: readonly Buffer[]): boolean {
  const presentedDigest = digestOf('sha256', presented, 'buffer');
  let matched = false;
  for (const digest of digests) matched = timingSafeEqual(presentedDigest, digest) || matched;
  return matched;
}

/**
 * True when the hex signature `presented` equals the hex digest that `sign` gives for one
 * of `keys`. Vendors send hex in either case, so both sides are lower-cased first.
 */
export function signedWithAnyKey(presented: string, keys: readonly string[], sign: (key: string) => string): boolean {
  return matchesAny(
    presented.toLowerCase(),
    keys.map((key) => sign(key).toLowerCase()),
  );
}
