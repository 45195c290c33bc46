import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import { Rejection } from './answer';

/**
 * The lower-case hex digest of a UTF-8 string. One-shot `hash` makes no Hash object: on a
 * callback's short inputs it takes about half the time of `createHash`, and a callback
 * computes several. Hex, not a Buffer: Node writes hex in a third of the time it takes to
 * hand back a Buffer.
 */
function hexDigest(algorithm: 'md5' | 'sha256', text: string): string {
  return hash(algorithm, text, 'hex');
}

/** Lower-case hex MD5 of a UTF-8 string. */
export function md5Hex(text: string): string {
  return hexDigest('md5', text);
}

/** Lower-case hex SHA-256 of a UTF-8 string. */
export function sha256Hex(text: string): string {
  return hexDigest('sha256', text);
}

/** The base64 (padded) SHA-256 of a UTF-8 string: LiveKit's `sha256` claim. */
export function sha256Base64(text: string): string {
  return hash('sha256', text, 'base64');
}

/** Lower-case hex HMAC-SHA256 of a UTF-8 message under a UTF-8 key (or a derived key's bytes). */
export function hmacSha256Hex(key: string | Buffer, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('hex');
}

/** The bytes of HMAC-SHA256 of a UTF-8 message: one step of a chained signing key (SigV4 and its kin). */
export function hmacSha256(key: string | Buffer, message: string): Buffer {
  return createHmac('sha256', key).update(message, 'utf8').digest();
}

/** `20261206T120000Z`: a time as SigV4-style signers write it (ISO 8601 basic, whole seconds, UTC). */
export function basicUtcTime(now: Date): string {
  return now.toISOString().replace(/[-:]|\.\d{3}/g, '');
}

/** RFC 3986 percent-encoding (all but letters, digits and `-._~`), as API signers' canonical forms ask. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Lower-case hex HMAC-SHA1 of a UTF-8 message under a UTF-8 key (Agora's older header). */
export function hmacSha1Hex(key: string, message: string): string {
  return createHmac('sha1', key).update(message, 'utf8').digest('hex');
}

/** Unpadded base64url HMAC-SHA256 (a JWT's HS256 signature). */
export function hmacSha256Base64Url(key: string, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('base64url');
}

/** Unpadded base64url HMAC-SHA1 (OvenMediaEngine's `X-OME-Signature`). */
export function hmacSha1Base64Url(key: string, message: string): string {
  return createHmac('sha1', key).update(message, 'utf8').digest('base64url');
}

/**
 * True when `presented` equals one of the `configured` secrets (URL tokens), compared in
 * constant time.
 *
 * A token's length is a secret of its own, so both sides are hashed with SHA-256 and
 * `timingSafeEqual` compares the equal-length (hex) digests. Every candidate is compared,
 * even after a match, so the time taken does not tell which one (or whether any) matched.
 */
export function matchesAnyConfigured(presented: string, configured: readonly string[]): boolean {
  const presentedDigest = Buffer.from(sha256Hex(presented));
  let matched = false;
  for (const candidate of configured) {
    matched = timingSafeEqual(presentedDigest, Buffer.from(sha256Hex(candidate))) || matched;
  }
  return matched;
}

/**
 * True when the hex signature `presented` equals one of the hex digests `expected`,
 * compared in constant time. Vendors send hex in either case, so both sides are
 * lower-cased first.
 *
 * Unlike a token's, a digest's length is fixed by its algorithm and public: a candidate
 * of another length is passed over without a comparison, and equal lengths are compared
 * byte for byte by `timingSafeEqual`, with no hashing on top. Every candidate is
 * compared, even after a match.
 */
export function matchesAnySignature(presented: string, expected: readonly string[]): boolean {
  const presentedBytes = Buffer.from(presented.toLowerCase());
  let matched = false;
  for (const candidate of expected) {
    const candidateBytes = Buffer.from(candidate.toLowerCase());
    matched =
      (candidateBytes.length === presentedBytes.length && timingSafeEqual(candidateBytes, presentedBytes)) || matched;
  }
  return matched;
}

/**
 * True when `presented` is exactly one of `expected`: signatures whose case matters (base64,
 * LiveKit's and OvenMediaEngine's), compared as {@link matchesAnySignature} compares hex.
 */
export function matchesAnyExactly(presented: string, expected: readonly string[]): boolean {
  const bytes = Buffer.from(presented);
  return expected.reduce((matched, candidate) => {
    const candidateBytes = Buffer.from(candidate);
    return (candidateBytes.length === bytes.length && timingSafeEqual(candidateBytes, bytes)) || matched;
  }, false);
}

/** True when the hex signature `presented` is what `sign` gives for one of `keys`; see {@link matchesAnySignature}. */
export function signedWithAnyKey(presented: string, keys: readonly string[], sign: (key: string) => string): boolean {
  return matchesAnySignature(presented, keys.map(sign));
}

/**
 * The parts of a timed signature header in Stripe's form, `t=<time>,v1=<hex>[,v1=<hex>…]`
 * (Mux's `Mux-Signature`, Livepeer's `Livepeer-Signature`): the first `t`, and every `v1`
 * (other schemes are passed over).
 */
function timedSignatureParts(header: string): { t?: string; v1: string[] } {
  const parts: { t?: string; v1: string[] } = { v1: [] };
  for (const item of header.split(',')) {
    const equals = item.indexOf('=');
    if (equals === -1) continue;
    // Names trimmed (`t=1, v1=…` reads as the vendor means it); values as sent: a time with
    // a space is not canonical, and a signature may cover the time's text.
    const name = item.slice(0, equals).trim();
    const value = item.slice(equals + 1);
    if (name === 't') parts.t ??= value;
    else if (name === 'v1') parts.v1.push(value);
  }
  return parts;
}

/** A timed signature header no vendor sends is not read: a bound on the work it can cause. */
const maxTimedSignatureHeader = 1024;

/**
 * Checks a timed signature header in Stripe's form (Mux's `Mux-Signature`, Livepeer's
 * `Livepeer-Signature`): refused when missing, longer than 1024 characters or without a
 * `v1`; then `checkTime` is given the header's `t` (the time window is checked before the
 * signature); then one `v1` must be the hex HMAC-SHA256 of `signedText(t)` under one of
 * `keys`, every pair compared (see {@link matchesAnySignature}).
 *
 * @param name - the header as the vendor spells it (`Mux-Signature`); read lower-cased
 */
export function verifyTimedSignature(
  headers: Readonly<Record<string, string>>,
  name: string,
  keys: readonly string[],
  checkTime: (t: string | undefined) => void,
  signedText: (t: string | undefined) => string,
): void {
  const header = headers[name.toLowerCase()];
  if (!header) throw new Rejection('missing_signature', `the ${name} header is missing`);
  if (header.length > maxTimedSignatureHeader) {
    throw new Rejection('bad_signature', `the ${name} header is longer than ${maxTimedSignatureHeader} characters`);
  }
  const { t, v1 } = timedSignatureParts(header);
  if (v1.length === 0) throw new Rejection('missing_signature', `the ${name} header has no v1 signature`);
  checkTime(t);
  const expected = keys.map((key) => hmacSha256Hex(key, signedText(t)));
  let matched = false;
  for (const signature of v1) matched = matchesAnySignature(signature, expected) || matched;
  if (!matched) throw new Rejection('bad_signature', `${name} matches no configured signing secret`);
}
