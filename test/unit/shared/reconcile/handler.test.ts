/**
 * Where a reconcile function finds its list's credentials (docs/behaviour.md §7): its
 * provider's variables, and for an AWS service's list the role's own AWS_* variables.
 */
import { describe, expect, it } from 'vitest';
import { readApiCredentials } from '../../../../shared/reconcile/handler';
import { muxLiveList } from '../../../../shared/vendor-api/mux-live';
import { ivsLiveList } from '../../../../shared/vendor-api/ivs-live';
import { nginxRtmpLiveList } from '../../../../shared/reconcile/sources/nginx-rtmp';

const noSsm = () => {
  throw new Error('no SSM path was given: nothing should be read from SSM');
};

describe('readApiCredentials', () => {
  it("reads a vendor's fields from its variables, and is off while one is missing", async () => {
    const env = { LIVEHOOKS_MUX_API_TOKEN_ID: 'id', LIVEHOOKS_MUX_API_TOKEN_SECRET: 'secret' };
    expect(await readApiCredentials(muxLiveList, env, noSsm)).toBeUndefined();
    expect(await readApiCredentials(muxLiveList, { ...env, LIVEHOOKS_MUX_API_ENVIRONMENT_ID: 'env-1' }, noSsm)).toEqual(
      { tokenId: 'id', tokenSecret: 'secret', environmentId: 'env-1' },
    );
    // A role's AWS credentials are no Mux token.
    expect(
      await readApiCredentials(muxLiveList, { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's' }, noSsm),
    ).toBeUndefined();
  });

  it("signs IVS's list with the function's own role, as Lambda gives it, with no parameters", async () => {
    const lambda = {
      AWS_ACCESS_KEY_ID: 'ASIA',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
      AWS_REGION: 'eu-west-1',
    };
    expect(await readApiCredentials(ivsLiveList, lambda, noSsm)).toEqual({
      accessKeyId: 'ASIA',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      region: 'eu-west-1',
    });
    // Its own variables win: another region from a laptop.
    expect(
      await readApiCredentials(ivsLiveList, { ...lambda, LIVEHOOKS_IVS_API_REGION: 'us-west-2' }, noSsm),
    ).toMatchObject({ region: 'us-west-2', accessKeyId: 'ASIA' });
    expect(await readApiCredentials(ivsLiveList, { AWS_REGION: 'eu-west-1' }, noSsm)).toBeUndefined();
  });

  it('reads an optional field when it is set, and needs it not', async () => {
    const env = {
      LIVEHOOKS_NGINX_RTMP_API_ENDPOINT: 'http://origin.example/stat',
      LIVEHOOKS_NGINX_RTMP_API_DOMAIN: 'origin.example',
    };
    expect(await readApiCredentials(nginxRtmpLiveList, env, noSsm)).toEqual({
      endpoint: 'http://origin.example/stat',
      domain: 'origin.example',
    });
    expect(
      await readApiCredentials(
        nginxRtmpLiveList,
        { ...env, LIVEHOOKS_NGINX_RTMP_API_AUTHORIZATION: 'Basic eDp5' },
        noSsm,
      ),
    ).toMatchObject({ authorization: 'Basic eDp5' });
  });
});
