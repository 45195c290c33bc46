import { envPrefix } from '../shared/config';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readProviderConfig } from '../shared/config';
import fc from 'fast-check';
import { forEachFormPair, parseFormFields, readRequest } from '../shared/request';
import { createTestTable } from './support/dynamo';
import { functionUrlEvent } from './support/function-url';
import { call, handlerFor } from './support/harness';
import { keys, providerFixtures, startOf, tokens } from './support/providers';

afterEach(() => vi.restoreAllMocks());

describe('configuration', () => {
  it('reads lists, the off switch and window overrides', () => {
    const env = {
      LIVEHOOKS_NGINX_RTMP_KEYS: ' a, b ,,',
      LIVEHOOKS_NGINX_RTMP_AUTH: 'OFF',
      LIVEHOOKS_NGINX_RTMP_WINDOW_PAST: '30',
    };
    expect(readProviderConfig('nginx-rtmp', env, { past: 300, future: 60 })).toEqual({
      keys: ['a', 'b'],
      tokens: [],
      authOff: true,
      domains: [],
      window: { past: 30, future: 60 },
      credentials: expect.objectContaining({
        names: new Set(['auth_key', 'txsecret', 'hwsecret', 'auth_info', 'secret', 'token', 'key', 'password', 'sign', 'signature']),
      }),
    });
  });

  it('fails the cold start on a malformed setting instead of weakening a check', () => {
    const fixture = providerFixtures[0]!;
    expect(() => handlerFor(fixture, {} as never, { LIVEHOOKS_ALIBABA_AUTH: 'no' })).toThrow(
      'LIVEHOOKS_ALIBABA_AUTH must be "on" or "off"',
    );
    expect(() => handlerFor(fixture, {} as never, { LIVEHOOKS_ALIBABA_WINDOW_FUTURE: '1m' })).toThrow(
      'LIVEHOOKS_ALIBABA_WINDOW_FUTURE must be a whole number',
    );
  });
});

describe('reading a Function URL event', () => {
  it('lower-cases header names, decodes base64 bodies and keeps the raw query', () => {
    const event = functionUrlEvent({
      method: 'post',
      path: '/x',
      rawQuery: 'a=%20b&a=c',
      headers: { 'Content-Type': 'Application/JSON; charset=utf-8' },
      body: Buffer.from('{"é":1}').toString('base64'),
      isBase64Encoded: true,
    });
    event.headers = { 'Content-Type': 'Application/JSON; charset=utf-8' };
    expect(readRequest(event)).toEqual({
      method: 'POST',
      rawQuery: 'a=%20b&a=c',
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
      body: '{"é":1}',
      bodyBytes: 8,
      bodyIsUtf8: true,
      contentType: 'application/json',
    });
  });
});

describe('reading a Function URL event (bodies)', () => {
  const eventWith = (body: string, isBase64Encoded: boolean) => ({
    ...functionUrlEvent({ method: 'POST', path: '/x', rawQuery: '', headers: {} }),
    body,
    isBase64Encoded,
  });

  it('keeps a text body as it is, counting its UTF-8 bytes', () => {
    expect(readRequest(eventWith('{"é":1}', false))).toMatchObject({ body: '{"é":1}', bodyBytes: 8, bodyIsUtf8: true });
  });

  it('marks a text body holding a lone surrogate as not UTF-8, rather than replace it', () => {
    expect(readRequest(eventWith('a\ud800b', false))).toMatchObject({ bodyIsUtf8: false });
    expect(readRequest(eventWith('a\ud83d\ude00b', false))).toMatchObject({ bodyIsUtf8: true, bodyBytes: 6 });
  });

  it('marks a base64 body that is not UTF-8, keeping its size', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    expect(readRequest(eventWith(bytes.toString('base64'), true))).toMatchObject({
      body: '',
      bodyBytes: 4,
      bodyIsUtf8: false,
    });
  });
});

describe('parsing query strings and form bodies', () => {
  const formText = fc
    .array(
      fc.constantFrom(
        'a',
        'b',
        'token',
        '=',
        '&',
        '+',
        '%',
        '%2',
        '%20',
        '%3D',
        '%26',
        '%e9',
        '%C3%A9',
        '%ff',
        'é',
        '?',
      ),
      {
        maxLength: 24,
      },
    )
    .map((parts) => parts.join(''));

  it('decodes as URLSearchParams does, the first of a repeated name winning', () => {
    fc.assert(
      fc.property(formText, (text) => {
        const expected: Record<string, string> = {};
        for (const [name, value] of new URLSearchParams(text)) if (!(name in expected)) expected[name] = value;
        expect({ ...parseFormFields(text) }).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps names like __proto__ as own fields, as JSON.parse does, never as the prototype', () => {
    const fields = parseFormFields('__proto__=x&constructor=y&hasOwnProperty=z&a=1&a=2');
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect(Object.entries(fields)).toEqual([
      ['__proto__', 'x'],
      ['constructor', 'y'],
      ['hasOwnProperty', 'z'],
      ['a', '1'],
    ]);
    expect(fields).toEqual(JSON.parse('{"__proto__":"x","constructor":"y","hasOwnProperty":"z","a":"1"}'));
  });

  it('hands each pair over as it was written, so that one can be left out', () => {
    const pairs: string[] = [];
    forEachFormPair('a=1&token=x%20y&&b', (name, value, pair) => pairs.push(`${name}|${value}|${pair}`));
    expect(pairs).toEqual(['a|1|a=1', 'token|x y|token=x%20y', 'b||b']);
  });
});

describe('logging', () => {
  it('logs each rejection once as JSON with provider and reason, and never a key or token', async () => {
    const lines: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    }
    const { store } = await createTestTable();
    const start = startOf('cam');
    for (const fixture of providerFixtures) {
      const env = {
        ...fixture.env,
        [`${envPrefix(fixture.adapter.name)}TOKENS`]: `${tokens.newest},${tokens.older}`,
      };
      const handler = handlerFor(fixture, store, env);
      await call(handler, fixture.callback(start, { token: tokens.newest }));
      await call(handler, fixture.callback(start, { token: tokens.unknown }));
      await call(handler, fixture.callback({ ...start, kind: 'stop' }, { key: keys.unknown, token: tokens.older }));
    }
    const rejections = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'callback rejected');
    expect(rejections.map((entry) => [entry.provider, entry.reason])).toEqual(
      providerFixtures.flatMap(({ adapter, signature }) => [
        [adapter.name, 'bad_token'],
        ...(signature ? [[adapter.name, 'bad_signature']] : []),
      ]),
    );
    const logged = lines.join('\n');
    for (const secret of [...Object.values(keys), ...Object.values(tokens)]) expect(logged).not.toContain(secret);
  });
});
