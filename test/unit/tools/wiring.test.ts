/**
 * Every file generated from the registry is as `npm run wiring` would write it now: a vendor
 * added to tools/providers.ts reaches the deployment (and every other generated list) only
 * through the generator, never by hand.
 */
import { describe, expect, it } from 'vitest';
import { providerNames } from '../../../tools/providers';
import { reconcilables } from '../../../shared/reconcile/sources';
import { generatedFiles, reconcilerWiring, staleFiles, vendorWiring } from '../../../tools/wiring';

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

  it('lists every reconcile function for the deployment, its role and what its list may call', () => {
    expect(reconcilerWiring().map(({ name }) => name)).toEqual(reconcilables.map(({ adapter }) => adapter.name));
    expect(JSON.parse(generatedFiles()['tools/serverless/reconcilers.json']!)).toEqual(reconcilerWiring());
    expect(reconcilerWiring().find(({ name }) => name === 'nginx-rtmp')).toEqual({
      name: 'nginx-rtmp',
      role: 'ReconcileNginxRtmpRole',
      envPrefix: 'LIVEHOOKS_NGINX_RTMP_',
      parameters: true,
      actions: [],
    });
    // IVS's list signs with the function's own role: an action, no parameters.
    expect(reconcilerWiring().find(({ name }) => name === 'ivs')).toMatchObject({
      parameters: false,
      actions: ['ivs:ListStreams'],
    });
  });

  it("puts every provider that reconciles in the README, with its list's credential fields", () => {
    const readme = generatedFiles()['README.md']!;
    for (const { adapter, source } of reconcilables) {
      const row = readme
        .split('\n')
        .find((line) => line.startsWith(`| \`${adapter.name}\` |`) && line.includes('api/'));
      if (source.awsActions) expect(readme).toContain(`| \`${adapter.name}\` |`);
      else for (const field of source.credentials) expect(row, adapter.name).toContain(`\`${field}\``);
    }
  });
});
