import type { ProviderConfig } from './config';

/** Where a deployed provider's keys and tokens live: SSM parameter names, from the environment. */
export interface SecretParameters {
  keys?: string;
  tokens?: string;
}

/** Reads a batch of SSM parameters by name; absent names are left out of the result. */
export type ParameterReader = (names: readonly string[]) => Promise<Map<string, string>>;

/**
 * Reads SecureString parameters with the AWS SDK. The SSM client is loaded on first use,
 * so that functions configured through plain variables never pay for it at cold start.
 */
export const readSsmParameters: ParameterReader = async (names) => {
  const { SSMClient, GetParametersCommand } = await import('@aws-sdk/client-ssm');
  const client = new SSMClient({
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 1500, throwOnRequestTimeout: true },
  });
  const { Parameters = [] } = await client.send(new GetParametersCommand({ Names: [...names], WithDecryption: true }));
  return new Map(Parameters.map((parameter) => [parameter.Name!, parameter.Value ?? '']));
};

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/**
 * Fills a provider's keys and tokens from SSM. A parameter that does not exist leaves its
 * list empty, so the provider refuses callbacks as not configured rather than accepting
 * them unchecked.
 */
export async function withSecrets(
  config: ProviderConfig,
  parameters: SecretParameters,
  read: ParameterReader = readSsmParameters,
): Promise<ProviderConfig> {
  const names = [parameters.keys, parameters.tokens].filter((name): name is string => Boolean(name));
  if (names.length === 0) return config;
  const values = await read(names);
  return {
    ...config,
    keys: parameters.keys ? list(values.get(parameters.keys)) : config.keys,
    tokens: parameters.tokens ? list(values.get(parameters.tokens)) : config.tokens,
  };
}
