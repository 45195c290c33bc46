import { afterEach, describe, expect, it } from 'vitest';
import { createSsmClient, parametersByPath } from '../../../../shared/aws/ssm';
import { standInCredentials, startAwsStandIn } from '../../../support/aws-stand-in';

// No SSM engine runs here: the stand-in checks each request's signature with the SDK's signer.
let standIn: Awaited<ReturnType<typeof startAwsStandIn>> | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

describe('parametersByPath', () => {
  it('reads every page under the path, recursively and decrypted, by the name below it', async () => {
    const path = '/livehooks/prod/tencent/';
    const pages = [
      { Parameters: [{ Name: `${path}keys`, Type: 'SecureString', Value: 'k1,k2' }], NextToken: 'page-2' },
      { Parameters: [{ Name: `${path}tokens`, Type: 'SecureString', Value: 't1' }] },
    ];
    standIn = await startAwsStandIn((_request, index) => ({ status: 200, body: pages[index] }));
    const client = createSsmClient({
      endpoint: standIn.endpoint,
      region: 'eu-west-1',
      credentials: standInCredentials,
    });
    expect(await parametersByPath(client, path)).toEqual({ keys: 'k1,k2', tokens: 't1' });
    expect(
      standIn.requests.map(({ target, body, signatureValid, scope }) => ({ target, body, signatureValid, scope })),
    ).toEqual([
      {
        target: 'AmazonSSM.GetParametersByPath',
        body: { Path: path, Recursive: true, WithDecryption: true },
        signatureValid: true,
        scope: { region: 'eu-west-1', service: 'ssm' },
      },
      {
        target: 'AmazonSSM.GetParametersByPath',
        body: { Path: path, Recursive: true, WithDecryption: true, NextToken: 'page-2' },
        signatureValid: true,
        scope: { region: 'eu-west-1', service: 'ssm' },
      },
    ]);
    expect(standIn.requests[0]!.headers['content-type']).toBe('application/x-amz-json-1.1');
  });

  it('fails with SSM’s error by name', async () => {
    standIn = await startAwsStandIn(() => ({
      status: 400,
      body: { __type: 'AccessDeniedException', message: 'not authorized to perform ssm:GetParametersByPath' },
    }));
    const client = createSsmClient({
      endpoint: standIn.endpoint,
      region: 'eu-west-1',
      credentials: standInCredentials,
    });
    await expect(parametersByPath(client, '/x/')).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
