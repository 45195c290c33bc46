/**
 * Every file generated from the registry is as `npm run wiring` would write it now: a vendor
 * added to tools/providers.ts reaches the deployment (and every other generated list) only
 * through the generator, never by hand.
 */
import { describe, expect, it } from 'vitest';
import { providerNames } from '../../../tools/providers';
import { generatedFiles, staleFiles, vendorWiring } from '../../../tools/wiring';

describe('tools/wiring.ts', () => {
  it('has written every generated file from the registry as it is now', () => {
    expect(staleFiles(), 'generated from tools/providers.ts: run `npm run wiring` and commit the result').toEqual([]);
  });

  it('lists every vendor for the deployment, in the registry’s order', () => {
    expect(vendorWiring().map(({ name }) => name)).toEqual(providerNames);
    expect(JSON.parse(generatedFiles()['tools/serverless/vendors.json']!)).toEqual(vendorWiring());
  });

  it('names roles and variables as osls and the functions read them', () => {
    const nginx = vendorWiring().find(({ name }) => name === 'nginx-rtmp')!;
    expect(nginx).toEqual({
      name: 'nginx-rtmp',
      role: 'NginxRtmpRole',
      envPrefix: 'LIVEHOOKS_NGINX_RTMP_',
      parameters: true,
    });
    // An AWS service's events carry no secret: no SSM parameters to read.
    expect(vendorWiring().find(({ name }) => name === 'ivs')!.parameters).toBe(false);
  });
});
