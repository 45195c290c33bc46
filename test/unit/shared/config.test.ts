import { describe, expect, it } from 'vitest';
import { readProviderConfig } from '../../../shared/config';
import { handlerFor } from '../../support/harness';
import { providerFixtures } from '../../support/providers';

describe('configuration', () => {
  it('reads lists, the off switch and window overrides', () => {
    const env = {
      LIVEHOOKS_NGINX_RTMP_KEYS: ' a, b ,,',
      LIVEHOOKS_NGINX_RTMP_AUTH: 'OFF',
      LIVEHOOKS_NGINX_RTMP_WINDOW_PAST: '30',
      LIVEHOOKS_NGINX_RTMP_STALE_AFTER: '86400',
    };
    expect(readProviderConfig('nginx-rtmp', env, { past: 300, future: 60 })).toEqual({
      keys: ['a', 'b'],
      tokens: [],
      authOff: true,
      domains: [],
      window: { past: 30, future: 60 },
      staleAfter: 86_400,
      logical: new Map(),
      credentials: expect.objectContaining({
        names: new Set([
          'auth_key',
          'txsecret',
          'hwsecret',
          'volcsecret',
          'auth_info',
          'secret',
          'token',
          'key',
          'password',
          'sign',
          'signature',
        ]),
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
