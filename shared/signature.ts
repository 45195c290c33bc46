import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Lower-case hex MD5 of a UTF-8 string. */
export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
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
  const presentedDigest = createHash('sha256').update(presented, 'utf8').digest();
  let matched = false;
  for (const candidate of expected) {
    const candidateDigest = createHash('sha256').update(candidate, 'utf8').digest();
    matched = timingSafeEqual(presentedDigest, candidateDigest) || matched;
  }
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
