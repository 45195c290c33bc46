/** SSM Parameter Store over the light client (core.ts). */
import type { GetParametersByPathRequest, GetParametersByPathResult } from '@aws-sdk/client-ssm';
import { awsJsonClient, type AwsClientOptions, type CallOptions } from './core';

/** An SSM client: the call the secrets middleware makes, in the wire API's shapes. */
export interface SsmClient {
  getParametersByPath(input: GetParametersByPathRequest, options?: CallOptions): Promise<GetParametersByPathResult>;
}

/** An SSM client; endpoint, region and credentials from the AWS variables unless `options` names them. */
export function createSsmClient(options: AwsClientOptions = {}): SsmClient {
  const call = awsJsonClient(
    { envName: 'SSM', endpointPrefix: 'ssm', signingName: 'ssm', targetPrefix: 'AmazonSSM', jsonVersion: '1.1' },
    options,
  );
  return { getParametersByPath: (input, callOptions) => call('GetParametersByPath', input, callOptions) };
}

/**
 * Every parameter under `path` (recursively), decrypted, by its name below the path
 * (`/livehooks/prod/tencent/keys` under `/livehooks/prod/tencent` is `keys`), page after page.
 */
export async function parametersByPath(
  client: SsmClient,
  path: string,
  options?: CallOptions,
): Promise<Record<string, string>> {
  const prefix = path.endsWith('/') ? path : `${path}/`;
  const values: Record<string, string> = {};
  let NextToken: string | undefined;
  do {
    const page = await client.getParametersByPath(
      { Path: path, Recursive: true, WithDecryption: true, NextToken },
      options,
    );
    for (const { Name, Value } of page.Parameters ?? []) {
      if (Name !== undefined && Value !== undefined)
        values[Name.startsWith(prefix) ? Name.slice(prefix.length) : Name] = Value;
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return values;
}
