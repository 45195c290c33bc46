import type middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 as FunctionUrlResult, LambdaFunctionURLEvent } from 'aws-lambda';
import { awsClientSettings } from './aws-client';
import { createSsmClient, parametersByPath, type SsmClient } from './aws/ssm';
import { commaList, type ProviderConfig, type SecretParameters } from './config';
import { unavailable, type Rejection } from './answer';

/** The parameters under the path, by name below it: what the middleware puts in `context.secrets`. */
type SecretValues = Readonly<Record<string, string>>;

/**
 * A middy middleware that reads a provider's keys and tokens from SSM Parameter Store, one
 * GetParametersByPath call (page after page), decrypted, into `context.secrets`: the read
 * starts as the function is made (at cold start, inside Lambda's init), is kept
 * `maxAgeSeconds`, then made again. A parameter that does not exist is simply absent (the
 * provider then refuses callbacks as not configured), and a read that fails answers
 * `503 secrets_unavailable`, and is made again on the next callback.
 *
 * @param client - the SSM client; tests pass a stand-in, as no SSM engine runs here
 */
export function ssmSecrets(
  { path, maxAgeSeconds }: SecretParameters,
  client: SsmClient = createSsmClient(awsClientSettings),
): middy.MiddlewareObj<LambdaFunctionURLEvent, FunctionUrlResult> {
  let read: { values: Promise<SecretValues>; readAtMs: number } | undefined;
  const fetch = () => {
    const values = parametersByPath(client, path);
    // A failed read is forgotten, so that the next callback reads again.
    values.catch(() => {
      if (read?.values === values) read = undefined;
    });
    read = { values, readAtMs: Date.now() };
    return values;
  };
  void fetch();
  return {
    before: async (request) => {
      try {
        const current = read && Date.now() - read.readAtMs < maxAgeSeconds * 1000 ? read.values : fetch();
        Object.assign(request.context, { secrets: await current });
        return undefined;
      } catch (error) {
        // Answered by the pipeline, as every refusal is (logged, kept, counted).
        (request.context as SecretsContext).secretsRefusal = unavailable(
          'secrets_unavailable',
          'the keys could not be read; retry',
          error,
        );
        return undefined;
      }
    },
  };
}

/** What the middleware leaves in the Lambda context: the secrets, or why they could not be read. */
export interface SecretsContext {
  secrets?: SecretValues;
  secretsRefusal?: Rejection;
}

/** The provider's settings with the keys and tokens read from SSM. */
export function withSecrets(config: ProviderConfig, values: SecretValues | undefined): ProviderConfig {
  if (!values) return config;
  // Keys a vendor's adapter defaults to (Kick's published public key) stay without a `keys` parameter.
  const keys = values.keys === undefined ? config.keys : commaList(values.keys);
  return { ...config, keys, tokens: commaList(values.tokens) };
}
