import { forEachFormPair } from './request';

/** What a redacted value reads in a record's `raw` and `params`. */
export const redactedValue = '[redacted]';

/**
 * Names of publisher URL parameters that are push credentials (`LIVEHOOKS_REDACT_PARAMS`
 * replaces the list). Vendors forward the publisher's query into their callbacks, and a
 * reader of the table could push with these until they expire: Alibaba, Huawei (method
 * A) and JD Cloud `auth_key`, Tencent and Huawei (method B) `txSecret`, Huawei `auth_info`
 * (C) and `hwSecret` (D), Volcengine `volcSecret`, Oryx `secret`, and the names origins are
 * usually guarded with.
 */
export const defaultCredentialNames = [
  'auth_key',
  'txSecret',
  'hwSecret',
  'volcSecret',
  'auth_info',
  'secret',
  'token',
  'key',
  'password',
  'sign',
  'signature',
] as const;

/** Credential names, compared case-insensitively, and a quick test for text that may hold one. */
export interface Credentials {
  /** The names, lower-cased. */
  names: ReadonlySet<string>;
  /**
   * Matches text that may hold a credential: one of the names in any case, an escape of a
   * character a name is made of or of `%`, `&`, `=`, `?` or `@` (an escaped name, query or
   * user info, at any depth), a JSON `\\u` escape, an `@` (user info) or a `?` (a query,
   * whose bare names are redacted). Text it does not match is passed over.
   */
  mayAppearIn: RegExp;
  /** Field names already looked up, as they were written: a vendor sends the same few each time. */
  known: Map<string, boolean>;
}

/** {@link Credentials} of a list of names. */
export function credentialsOf(names: readonly string[]): Credentials {
  const lowerCase = names.map((name) => name.toLowerCase());
  const literal = lowerCase.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  // Not `%2F` or `%3A`, which every escaped URL has.
  const escape = '%(?:2[56de]|3[0-9df]|[4-7][0-9a-f])';
  const mayAppearIn = new RegExp([...literal, escape, '[@?]', '\\\\u'].join('|'), 'i');
  return { names: new Set(lowerCase), mayAppearIn, known: new Map() };
}

/** What to redact from a callback. */
export interface Redaction {
  /** The vendor's fields that hold a secret (its signature, a stream's push key), as it spells them: always redacted. */
  secretFields: readonly string[];
  /** The vendor's fields whose value is a publisher's query string (`usrargs`): their bare names are redacted too. */
  queryFields?: readonly string[];
  /** Publisher parameters that are credentials. */
  credentials: Credentials;
}

/** Enough for every vendor's fields; a sender's own names beyond it are looked up each time. */
const knownNamesLimit = 1024;

/** How many times a name is %-decoded before it is compared, and how deep escaped values are read again. */
const maxEscapeDepth = 4;

function isCredential({ names, known }: Credentials, name: string): boolean {
  let credential = known.get(name);
  if (credential === undefined) {
    let decoded = name;
    // An origin may decode once more than the vendor did: `%2574oken` is `token` to it.
    for (let depth = 0; depth < maxEscapeDepth && decoded.includes('%'); depth++) decoded = decodeLeniently(decoded);
    credential = names.has(name.toLowerCase()) || names.has(decoded.toLowerCase());
    if (known.size < knownNamesLimit) known.set(name, credential);
  }
  return credential;
}

/** A name or value decoded as a query's are (`+` is a space), malformed escapes kept. */
function decodeLeniently(text: string): string {
  if (!text.includes('%') && !text.includes('+')) return text;
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return new URLSearchParams(`v=${text.replaceAll('&', '%26')}`).get('v')!;
  }
}

/** A character without which a text outside a query-valued field holds no credential. */
const pairOrEscape = /[=?@%]/;

/** Where user info may end: the authority ends at the first of these after `//`. */
const authorityEnd = /[/?#\\\s]/;

/**
 * The text with the user info of every URL in it (`scheme://user:password@host`, up to
 * the last `@` of the authority) redacted.
 */
function redactUserInfo(text: string): string {
  if (!text.includes('@')) return text;
  let result = '';
  let done = 0;
  for (let at = text.indexOf('//'); at !== -1; at = text.indexOf('//', at + 2)) {
    const start = at + 2;
    const rest = text.slice(start);
    const end = rest.search(authorityEnd);
    const authority = end === -1 ? rest : rest.slice(0, end);
    const userInfoEnd = authority.lastIndexOf('@');
    if (userInfoEnd === -1 || start < done) continue;
    result += `${text.slice(done, start)}${redactedValue}`;
    done = start + userInfoEnd;
  }
  return done === 0 ? text : result + text.slice(done);
}

/**
 * A text with its credentials redacted, read as the URLs and queries it may be: the user
 * info of every URL in it, and each pair of each `?`-separated part (every `?` may start
 * a query to some reader) whose name, %-decoded, is a credential. A pair without `=` after
 * a `?`, or anywhere in a query-valued field (`query`), may itself be the secret
 * (`?SECRET`) and is redacted. A %-escaped value is read again, decoded, up to
 * {@link maxEscapeDepth} times; deeper, a value that may hold one is redacted whole.
 * Linear in the text's length at each depth. Returns the text itself when nothing changed.
 */
export function redactText(text: string, credentials: Credentials, query = false, depth = 0): string {
  // Outside a query-valued field (whose bare names may be secrets), a credential needs a
  // pair (`=`), a query (`?`), user info (`@`) or an escape (`%`), and a name or an escape.
  if (!query && (!pairOrEscape.test(text) || !credentials.mayAppearIn.test(text))) return text;
  const withoutUserInfo = redactUserInfo(text);
  const parts = withoutUserInfo.split('?');
  let changed = withoutUserInfo !== text;
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    if (index === 0 && !query && !part.includes('=')) continue;
    const bareIsSecret = query || index > 0;
    const pairs = part.split('&');
    let partChanged = false;
    for (let at = 0; at < pairs.length; at++) {
      const pair = pairs[at]!;
      if (pair === '') continue;
      const equals = pair.indexOf('=');
      if (equals === -1) {
        if (bareIsSecret) {
          pairs[at] = redactedValue;
          partChanged = true;
        }
        continue;
      }
      const name = decodeLeniently(pair.slice(0, equals));
      if (isCredential(credentials, name)) {
        pairs[at] = `${pair.slice(0, equals)}=${redactedValue}`;
        partChanged = true;
        continue;
      }
      const value = pair.slice(equals + 1);
      if (!value.includes('%')) continue;
      // An escaped value is one more URL or query: `next=rtmp%3A%2F%2Fh%2Flive%3Ftoken%3Dx`.
      const redacted =
        depth + 1 >= maxEscapeDepth
          ? credentials.mayAppearIn.test(value)
            ? redactedValue
            : value
          : redactEscaped(value, credentials, depth + 1);
      if (redacted !== value) {
        pairs[at] = `${pair.slice(0, equals)}=${redacted}`;
        partChanged = true;
      }
    }
    if (partChanged) {
      parts[index] = pairs.join('&');
      changed = true;
    }
  }
  return changed ? parts.join('?') : text;
}

/** An escaped value, decoded, redacted and escaped again: the value itself when nothing in it is a credential. */
function redactEscaped(value: string, credentials: Credentials, depth: number): string {
  const decoded = decodeLeniently(value);
  const redacted = redactText(decoded, credentials, false, depth);
  return redacted === decoded ? value : encodeURIComponent(redacted);
}

/** What one field of a payload becomes: its redacted value, or the value itself when nothing changed. */
function redactField(name: string, value: unknown, redaction: Redaction): unknown {
  if (isCredential(redaction.credentials, name) || redaction.secretFields.includes(name)) {
    return value === undefined || value === null ? value : redactedValue;
  }
  if (typeof value !== 'string') return value;
  return redactText(value, redaction.credentials, redaction.queryFields?.includes(name) ?? false);
}

/** An object or list met on a walk over a parsed payload, and its copy once something under it changed. */
interface Visit {
  value: object;
  parent: Visit | undefined;
  name: string;
  copy?: Record<string, unknown>;
}

/** The copy of a visited object, made (with its ancestors' copies, each shallow) the first time it is asked for. */
function copyOf(visit: Visit): Record<string, unknown> {
  const uncopied: Visit[] = [];
  for (let at: Visit | undefined = visit; at && !at.copy; at = at.parent) uncopied.push(at);
  for (let index = uncopied.length - 1; index >= 0; index--) {
    const at = uncopied[index]!;
    at.copy = (Array.isArray(at.value) ? [...(at.value as unknown[])] : { ...at.value }) as Record<string, unknown>;
    if (at.parent) at.parent.copy![at.name] = at.copy;
  }
  return visit.copy!;
}

/**
 * A parsed JSON payload with redaction applied at any depth (a credential's or secret
 * field's value, and every string read as {@link redactText} reads it), and whether only
 * strings of its top level changed. The payload itself when nothing did. A walk with its
 * own stack, never recursion; only the objects on the way to a change are copied.
 */
function redactTree(
  fields: Record<string, unknown>,
  redaction: Redaction,
): { redacted: Record<string, unknown>; topLevelStrings: boolean } {
  const root: Visit = { value: fields, parent: undefined, name: '' };
  const stack = [root];
  let topLevelStrings = true;
  for (let visit = stack.pop(); visit; visit = stack.pop()) {
    const { value } = visit;
    const isList = Array.isArray(value);
    const names = isList ? undefined : Object.keys(value);
    const count = isList ? value.length : names!.length;
    for (let index = 0; index < count; index++) {
      const name = isList ? String(index) : names![index]!;
      const inner: unknown = isList ? (value as unknown[])[index] : (value as Record<string, unknown>)[name];
      const redacted = isList
        ? typeof inner === 'string'
          ? redactText(inner, redaction.credentials)
          : inner
        : redactField(name, inner, redaction);
      if (redacted !== inner) {
        copyOf(visit)[name] = redacted;
        if (visit !== root || typeof redacted !== 'string') topLevelStrings = false;
      } else if (typeof inner === 'object' && inner !== null) stack.push({ value: inner, parent: visit, name });
    }
  }
  return { redacted: root.copy ?? fields, topLevelStrings };
}

/**
 * The publisher's parameters with credentials redacted (the same object when there are
 * none): a credential's value, the credentials inside every value, and every name without
 * a value, which may itself be the secret (`?SECRET`), left out.
 */
export function redactParams(
  params: Record<string, string> | undefined,
  redaction: Redaction,
): Record<string, string> | undefined {
  if (!params) return params;
  let copy: Record<string, string> | undefined;
  for (const name in params) {
    const value = params[name]!;
    if (value === '' && !isCredential(redaction.credentials, name)) {
      copy ??= { ...params };
      delete copy[name];
      continue;
    }
    const redacted = redactField(name, value, redaction);
    if (redacted !== value) (copy ??= { ...params })[name] = redacted as string;
  }
  return copy ?? params;
}

/**
 * A JSON payload's text for `raw`, with the vendor's signature and the publisher's
 * credentials redacted at any depth. A redacted top-level field that holds a string is
 * replaced where it stands, every other byte kept; otherwise (a change deeper down, or a
 * value the sender escaped otherwise than `JSON.stringify` would) the payload is written again.
 */
export function redactJson(text: string, fields: Record<string, unknown>, redaction: Redaction): string {
  if (redaction.secretFields.length === 0 && !redaction.credentials.mayAppearIn.test(text)) return text;
  const { redacted, topLevelStrings } = redactTree(fields, redaction);
  if (redacted === fields) return text;
  let result: string | undefined = text;
  if (topLevelStrings) {
    for (const name in redacted) {
      if (redacted[name] === fields[name]) continue;
      result = replaceStringField(result, name, fields[name], redacted[name] as string);
      if (result === undefined) break;
    }
  }
  return (topLevelStrings && result) || JSON.stringify(redacted);
}

/**
 * The JSON text with the field `name` set from `from` to the string `to`, at every
 * occurrence of `"name": <from>`; undefined when there is none, or when `name` or `from`
 * would need escapes in JSON (the caller then writes the payload again). In valid JSON a
 * string followed by a colon is a key: inside a string its quotes would be escaped.
 */
function replaceStringField(text: string, name: string, from: unknown, to: string): string | undefined {
  const value = typeof from === 'number' ? String(from) : from;
  if (typeof value !== 'string' || !plainText.test(name) || !plainText.test(value)) return undefined;
  const quoted = typeof from === 'string';
  const key = `"${name}"`;
  let result = '';
  let done = 0;
  for (let at = text.indexOf(key); at !== -1; at = text.indexOf(key, at + key.length)) {
    let start = skipSpace(text, at + key.length);
    if (text[start] !== ':') continue;
    start = skipSpace(text, start + 1);
    const end = start + value.length + (quoted ? 2 : 0);
    const found = quoted
      ? text[start] === '"' && text[end - 1] === '"' && text.slice(start + 1, end - 1) === value
      : text.slice(start, end) === value;
    if (!found) continue;
    result += `${text.slice(done, start)}${JSON.stringify(to)}`;
    done = end;
  }
  return done === 0 ? undefined : result + text.slice(done);
}

/** Printable ASCII but `"` and `\\`: written in JSON as it is, between quotes. */
const plainText = /^[ !#-[\]-~]*$/;

/** The index of the first character from `at` on that is not JSON white space. */
const skipSpace = (text: string, at: number) => {
  while (text[at] === ' ' || text[at] === '\n' || text[at] === '\r' || text[at] === '\t') at++;
  return at;
};

/** A pair without `=` in a query or form. */
const barePair = /(?:^|&)[^=&]*(?:&|$)/;

/**
 * A query string or form body for `raw`, pair by pair: a credential's or signature's value
 * becomes `[redacted]`, and so does a pair without `=` (`&SECRET`, which nginx-rtmp
 * forwards from a publisher's `?SECRET`); a value holding credentials is written again
 * (encodeURIComponent), and every other pair stays byte for byte.
 */
export function redactForm(text: string, redaction: Redaction): string {
  const { secretFields, queryFields, credentials } = redaction;
  if (
    secretFields.length === 0 &&
    !queryFields?.length &&
    !credentials.mayAppearIn.test(text) &&
    !barePair.test(text)
  ) {
    return text;
  }
  let changed = false;
  const pairs: string[] = [];
  forEachFormPair(text, (name, value, pair) => {
    const equals = pair.indexOf('=');
    if (equals === -1) {
      changed = true;
      return void pairs.push(redactedValue);
    }
    const redacted = redactField(name, value, redaction) as string;
    if (redacted === value) return void pairs.push(pair);
    changed = true;
    pairs.push(`${pair.slice(0, equals)}=${redacted === redactedValue ? redactedValue : encodeURIComponent(redacted)}`);
  });
  return changed ? pairs.join('&') : text;
}
