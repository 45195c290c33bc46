import { forEachFormPair } from './request';

/** What a redacted value reads in a record's `raw` and `params`. */
export const redactedValue = '[redacted]';

/**
 * Names of publisher URL parameters that are push credentials (`LIVEHOOKS_REDACT_PARAMS`
 * replaces the list). Vendors forward the publisher's query into their callbacks, and a
 * reader of the table could push with these until they expire: Alibaba, Huawei (method
 * A) and JD Cloud `auth_key`, Tencent and Huawei (method B) `txSecret`, Huawei `auth_info`
 * (C) and `hwSecret` (D), Oryx `secret`, and the names origins are usually guarded with.
 */
export const defaultCredentialNames = [
  'auth_key',
  'txSecret',
  'hwSecret',
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
   * Matches text that may hold a credential: one of the names in any case, a %-escape of
   * a character a name is made of (`%61uth_key`), or a JSON `\\u` escape. Text it does not
   * match is passed over without being parsed.
   */
  mayAppearIn: RegExp;
  /** Field names already looked up, as they were written: a vendor sends the same few each time. */
  known: Map<string, boolean>;
}

/** {@link Credentials} of a list of names. */
export function credentialsOf(names: readonly string[]): Credentials {
  const lowerCase = names.map((name) => name.toLowerCase());
  const literal = lowerCase.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  // Escapes of letters, digits, `_`, `-` and `.`; not of `=`, `&`, `/` or `:`, which every
  // nested query and URL has.
  const nameCharacterEscape = '%(?:[46][1-9a-f]|[57][0-9a]|3[0-9]|5f|2[de])';
  const mayAppearIn = new RegExp([...literal, nameCharacterEscape, '\\\\u'].join('|'), 'i');
  return { names: new Set(lowerCase), mayAppearIn, known: new Map() };
}

/** What to redact from a callback. */
export interface Redaction {
  /** The vendor's fields that hold a secret (its signature, a stream's push key), as it spells them: always redacted. */
  secretFields: readonly string[];
  /** Publisher parameters that are credentials. */
  credentials: Credentials;
}

/** Enough for every vendor's fields; a sender's own names beyond it are looked up each time. */
const knownNamesLimit = 1024;

function isCredential({ names, known }: Credentials, name: string): boolean {
  let credential = known.get(name);
  if (credential === undefined) {
    credential = names.has(name.toLowerCase());
    if (known.size < knownNamesLimit) known.set(name, credential);
  }
  return credential;
}

/**
 * A text with the credentials among its query parameters redacted: a URL's query
 * (`rtmp://host/live?token=…`), or text that is itself a query (`?token=…`, `a=1&token=…`).
 * Returns the text itself when nothing in it is a credential.
 */
function redactQueryIn(text: string, credentials: Credentials): string {
  const equals = text.indexOf('=');
  if (equals === -1) return text;
  // A `?` before the first `=` starts a URL's query; one after it is inside a value.
  const question = text.indexOf('?');
  const start = question !== -1 && question < equals ? question + 1 : 0;
  if (!namesCredential(text, start, credentials)) return text;
  const pairs: string[] = [];
  forEachFormPair(text.slice(start), (name, _value, pair) => {
    if (!isCredential(credentials, name)) return void pairs.push(pair);
    const at = pair.indexOf('=');
    pairs.push(`${at === -1 ? pair : pair.slice(0, at)}=${redactedValue}`);
  });
  return text.slice(0, start) + pairs.join('&');
}

/** Whether a pair of the query from `start` on has a credential's name: names decoded, values not. */
function namesCredential(text: string, start: number, credentials: Credentials): boolean {
  for (let pair = start; pair < text.length;) {
    const end = text.indexOf('&', pair) === -1 ? text.length : text.indexOf('&', pair);
    const equals = text.indexOf('=', pair);
    const name = text.slice(pair, equals !== -1 && equals < end ? equals : end);
    if (isCredential(credentials, name.includes('%') || name.includes('+') ? decodeLeniently(name) : name)) return true;
    pair = end + 1;
  }
  return false;
}

/** A name decoded as a query's names are, malformed escapes kept. */
function decodeLeniently(name: string): string {
  let decoded = name;
  forEachFormPair(`${name}=`, (text) => (decoded = text));
  return decoded;
}

/** One field's value, redacted: a credential's whole value, or the credentials inside it. */
function redactField(name: string, value: unknown, redaction: Redaction, nested: boolean): unknown {
  if (isCredential(redaction.credentials, name) || redaction.secretFields.includes(name)) {
    return value === undefined || value === null ? value : redactedValue;
  }
  if (typeof value === 'string') return redactQueryIn(value, redaction.credentials);
  if (nested || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  // One level below the payload's fields: JD Cloud sends the publisher's parameters as an object.
  return redactObject(value as Record<string, unknown>, redaction, true);
}

/** An object with its fields redacted: the same object when none was. */
function redactObject<T extends Record<string, unknown>>(fields: T, redaction: Redaction, nested: boolean): T {
  let copy: Record<string, unknown> | undefined;
  for (const name in fields) {
    const value = fields[name];
    const redacted = redactField(name, value, redaction, nested);
    if (redacted !== value) (copy ??= { ...fields })[name] = redacted;
  }
  return (copy as T | undefined) ?? fields;
}

/** The publisher's parameters with credentials redacted (the same object when there are none). */
export function redactParams(
  params: Record<string, string> | undefined,
  redaction: Redaction,
): Record<string, string> | undefined {
  return params && redactObject(params, redaction, true);
}

/**
 * A JSON payload's text for `raw`, with the vendor's signature and the publisher's
 * credentials redacted. A redacted field that holds a string is replaced where it stands,
 * every other byte kept; when that cannot be done (an object changed, or the sender
 * escaped the value otherwise than `JSON.stringify` would) the payload is written again.
 */
export function redactJson(text: string, fields: Record<string, unknown>, redaction: Redaction): string {
  if (redaction.secretFields.length === 0 && !redaction.credentials.mayAppearIn.test(text)) return text;
  let result = text;
  for (const name in fields) {
    const value = fields[name];
    const redacted = redactField(name, value, redaction, false);
    if (redacted === value) continue;
    const replaced = typeof redacted === 'string' ? replaceStringField(result, name, value, redacted) : undefined;
    if (replaced === undefined) return JSON.stringify(redactObject(fields, redaction, false));
    result = replaced;
  }
  return result;
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

/**
 * A query string or form body for `raw`, pair by pair: a credential's or signature's value
 * becomes `[redacted]`, a value holding credentials is written again (encodeURIComponent),
 * and every other pair stays byte for byte.
 */
export function redactForm(text: string, redaction: Redaction): string {
  if (redaction.secretFields.length === 0 && !redaction.credentials.mayAppearIn.test(text)) return text;
  let changed = false;
  const pairs: string[] = [];
  forEachFormPair(text, (name, value, pair) => {
    const redacted = redactField(name, value, redaction, true) as string;
    if (redacted === value) return void pairs.push(pair);
    changed = true;
    const equals = pair.indexOf('=');
    const encodedName = equals === -1 ? pair : pair.slice(0, equals);
    pairs.push(`${encodedName}=${redacted === redactedValue ? redactedValue : encodeURIComponent(redacted)}`);
  });
  return changed ? pairs.join('&') : text;
}
