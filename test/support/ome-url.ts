/**
 * OvenMediaEngine's reading of a publish URL, ported from its source as the oracle for
 * shared/providers/ome.ts (test support only, never bundled). Source:
 * github.com/OvenMediaLabs/OvenMediaEngine at 37b3fc38122db0b19344a1c386e2363923a4a989:
 *
 * - src/base/ovlibrary/url.cpp: `Url::Parse` (one unanchored PCRE2 match of
 *   `g_url_parse_regex`), `UpdatePathComponentsFromPath` (app, stream and file are path
 *   components 1, 2 and 3 of `path.Split("/")`), `SetStream`, `SetPort`,
 *   `AppendQueryString` and `ToUrlStringInternal`, which writes the `url` of an admission
 *   request (src/modules/access_control/admission_webhooks/admission_webhooks.cpp,
 *   `MakeMessageBody`: `requested_url->ToUrlString(true)`);
 * - src/base/ovlibrary/string.cpp: `String::Split` keeps empty tokens, `""` is `[""]`;
 * - src/providers/rtmp/rtmp_stream_v2.cpp: `UpdateConnectInfo` parses the tcUrl, and
 *   `PostPublish` cuts the publish name at its first `?`, appends that query and sets the
 *   name as path component 2 as it is (`#`, `/` and all), then the port if there was none;
 * - src/modules/srt/srt_stream_url_resolver.cpp: `Resolve` takes the `u=` value of a
 *   `#!::` streamid, %-decodes it once (`Url::Decode`), and parses `srt://` + a
 *   `{host}/{app}/{stream}[/{playlist}]` path (or a whole deprecated `srt://` URL);
 * - src/modules/http/server/http_request.cpp (`UpdateUri`), src/modules/rtc_signalling/
 *   rtc_signalling_server.cpp and src/providers/webrtc/webrtc_provider.cpp (`OnRequestOffer`,
 *   and `OnSdpOffer` for WHIP): the request URI is `scheme://host` + the request target,
 *   parsed; the stream is its path component 2.
 */

import fc from 'fast-check';

/** PCRE2 reads `.` as any character but a newline (its default NEWLINE is LF); JavaScript's `.` also stops at `\r`, U+2028 and U+2029. */
const urlPattern = new RegExp(
  String.raw`(?<scheme>[^\n]*):\/\/((?<id>[^\n]+):(?<password>[^\n]+)@)?` +
    String.raw`(?<host>(\[[0-9A-Za-z:.]+\]|[^:\/?#]*))` +
    String.raw`(:(?<port>[0-9]+))?` +
    String.raw`(?<path>\/([^\?]+)?)?` +
    String.raw`(\?(?<qs>[^\?]+)?([^\n]+)?)?`,
);

/** An `ov::Url` as OME holds it. */
export interface OmeUrl {
  scheme: string;
  id: string;
  password: string;
  host: string;
  port: number;
  path: string;
  components: string[];
  query: string;
  app: string;
  stream: string;
}

/** `Url::Parse`: undefined where OME's parse fails. */
export function parseUrl(source: string): OmeUrl | undefined {
  const groups = urlPattern.exec(source)?.groups;
  if (!groups) return undefined;
  const path = groups.path ?? '';
  const components = path.split('/');
  return {
    scheme: groups.scheme ?? '',
    id: groups.id ?? '',
    password: groups.password ?? '',
    host: groups.host ?? '',
    // `ov::Converter::ToUInt32`; the generators keep ports short.
    port: Number(groups.port ?? 0),
    path,
    components,
    query: groups.qs ?? '',
    app: components[1] ?? '',
    stream: components[2] ?? '',
  };
}

/** `Url::SetStream`: path component 2, the path joined again; the app is left as it was. */
function setStream(url: OmeUrl, stream: string): void {
  while (url.components.length <= 2) url.components.push('');
  url.components[2] = stream;
  url.path = url.components.join('/');
  url.stream = stream;
}

/** `Url::AppendQueryString`. */
function appendQueryString(url: OmeUrl, query: string): void {
  if (url.query !== '') url.query += '&';
  url.query += query.startsWith('?') || query.startsWith('&') ? query.slice(1) : query;
}

/** `Url::ToUrlString(true)`: what an admission request's `url` holds. */
export function urlStringOf(url: OmeUrl): string {
  let text = `${url.scheme}://`;
  if (url.id !== '') text += url.id + (url.password === '' ? '@' : '');
  if (url.password !== '') text += `:${url.password}@`;
  text += url.host;
  if (url.port > 0) text += `:${url.port}`;
  text += url.path;
  if (url.query !== '') text += `?${url.query}`;
  return text;
}

/** What OME publishes and asks about for one RTMP publish; undefined where it asks nothing. */
export function rtmpPublish(tcUrl: string, publishName: string, localPort: number): OmeUrl | undefined {
  if (tcUrl === '') return undefined;
  const url = parseUrl(tcUrl);
  if (!url) return undefined;
  let name = publishName;
  const query = name.indexOf('?');
  if (query >= 0) {
    appendQueryString(url, name.slice(query));
    name = name.slice(0, query);
  }
  if (name !== '') setStream(url, name);
  if (url.port === 0) url.port = localPort;
  return url;
}

/** `Url::Decode`: `%` and two hex digits become that byte; everything else stays. */
function decode(text: string): string | undefined {
  const bytes: number[] = [];
  const raw = Buffer.from(text, 'utf8');
  for (let index = 0; index < raw.length;) {
    const hex = raw.subarray(index + 1, index + 3).toString('latin1');
    if (raw[index] === 0x25 && raw.length - index > 2 && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      index += 3;
    } else bytes.push(raw[index++]!);
  }
  // Bytes that are not UTF-8 reach the JSON body as they are, and the receiver refuses it.
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(bytes));
  } catch {
    return undefined;
  }
}

/** What OME publishes and asks about for one SRT streamid; undefined where it refuses the caller first. */
export function srtPublish(streamId: string): OmeUrl | undefined {
  let id = streamId;
  if (id === '') return undefined;
  if (id.startsWith('#!::')) {
    id = id.slice(4);
    const user = id.split(',').find((pair) => pair.startsWith('u='));
    if (user !== undefined) id = user.slice(2);
  }
  if (id === '') return undefined;
  let path = decode(id);
  if (path === undefined || path === '') return undefined;
  if (!path.startsWith('srt://')) {
    const parts = path.split('/').length;
    if (parts !== 3 && parts !== 4) return undefined;
    path = `srt://${path}`;
  }
  return parseUrl(path);
}

/** What OME publishes and asks about for one WebRTC (WebSocket signalling or WHIP) request. */
export function webrtcPublish(scheme: string, host: string, target: string, localPort: number): OmeUrl | undefined {
  const url = parseUrl(`${scheme}://${host}${target}`);
  if (!url) return undefined;
  if (url.port === 0) url.port = localPort;
  return url;
}

/*
 * Publishes as OME would see them from a publisher who controls every part of the URL:
 * `#`, `%23`, `//`, extra segments, user info, queries with `?` and `://`, per protocol.
 */
const piece = fc.constantFrom(
  'a',
  'B',
  '-',
  '#',
  '%23',
  '%2F',
  '/',
  '//',
  '?',
  '&',
  '=',
  '@',
  ':',
  '://',
  '.',
  ' ',
  '\n',
  '[',
  '1',
);
const text = (max: number) => fc.array(piece, { maxLength: max }).map((parts) => parts.join(''));
const name = fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,6}$/), text(4));
const host = fc.oneof(fc.constantFrom('ome.example.com', 'OME.Example.com', '[::1]', '10.0.0.1'), text(3));
const userinfo = fc.oneof(
  fc.constant(''),
  fc.constant('u:p@'),
  text(3).map((t) => `${t}@`),
);
const port = fc.oneof(
  fc.constant(''),
  fc.integer({ min: 1, max: 65535 }).map((n) => `:${n}`),
);
const query = fc.oneof(
  fc.constant(''),
  fc.constant('?token=x&room=1'),
  text(3).map((t) => `?${t}`),
);
const path = fc.array(name, { minLength: 0, maxLength: 4 }).map((parts) => parts.map((p) => `/${p}`).join(''));
const rtmp = fc
  .record({
    scheme: fc.constantFrom('rtmp', 'rtmps', 'RTMP'),
    userinfo,
    host,
    port,
    path,
    publish: fc.tuple(name, query),
  })
  .map(({ scheme, userinfo, host, port, path, publish }) => ({
    protocol: 'RTMP',
    published: rtmpPublish(`${scheme}://${userinfo}${host}${port}${path}`, publish.join(''), 1935),
  }));
const srt = fc
  .record({
    prefix: fc.constantFrom('', '#!::u=', '#!::r=x,u=', 'srt://'),
    host,
    path,
    query,
    encode: fc.boolean(),
  })
  .map(({ prefix, host, path, query, encode }) => {
    const id = `${host}${path}${query}`;
    return { protocol: 'SRT', published: srtPublish(prefix + (encode ? encodeURIComponent(id) : id)) };
  });
const webrtc = fc
  .record({ scheme: fc.constantFrom('ws', 'wss', 'http', 'https'), host, path, query })
  .map(({ scheme, host, path, query }) => ({
    protocol: 'WebRTC',
    published: webrtcPublish(scheme, host, path + query, 3333),
  }));

/** One publish of any protocol OME asks about, with what OME holds of it (undefined where OME asks nothing). */
export const omePublishes = fc.oneof(rtmp, srt, webrtc);
