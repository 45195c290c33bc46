import { envPrefix } from '../shared/config';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readProviderConfig } from '../shared/config';
import { readRequest } from '../shared/request';
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
      parameters: {},
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
      body: Buffer.from('{"é":1}'),
      contentType: 'application/json',
    });
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
