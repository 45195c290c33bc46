import type middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 as FunctionUrlResult, LambdaFunctionURLEvent } from 'aws-lambda';
import { awsClientSettings } from './aws-client';
import { commaList, type ProviderConfig, type SecretParameters } from './config';
import { unavailable, type Rejection } from './answer';

/** An SSM client class, as `@middy/ssm` takes it. */
export type SsmClientClass = new (config: object) => { send(command: unknown): Promise<unknown> };

/** The parameters under the path, by name: what `@middy/ssm` puts in `context.secrets`. */
type SecretValues = Readonly<Record<string, unknown>>;

/**
 * A middleware that reads a provider's keys and tokens from SSM Parameter Store with
 * middy's own `@middy/ssm`, one GetParametersByPath call, decrypted, into
 * `context.secrets`: fetched at cold start, kept `maxAgeSeconds`, then read again. A
 * parameter that does not exist is simply absent (the provider then refuses callbacks as
 * not configured), and a read that fails answers `503 secrets_unavailable`, tried again on
 * the next callback.
 *
 * `@middy/ssm` loads the SSM client; it is imported here on first use, so that a function
 * configured through plain variables never loads either.
 *
 * @param AwsClient - the SSM client class; tests pass a stand-in, as no SSM engine runs here
 */
export function ssmSecrets(
  provider: string,
  { path, maxAgeSeconds }: SecretParameters,
  AwsClient?: SsmClientClass,
): middy.MiddlewareObj<LambdaFunctionURLEvent, FunctionUrlResult> {
  const middleware = import('@middy/ssm').then(({ default: ssm }) =>
    ssm({
      fetchData: { secrets: path },
      setToContext: true,
      cacheExpiry: maxAgeSeconds * 1000,
      // A key of its own per handler: several share one process in `npm start` and tests.
      cacheKey: `livehooks-${provider}-${++handlers}`,
      awsClientOptions: awsClientSettings,
      ...(AwsClient ? { AwsClient: AwsClient as never } : {}),
    }),
  );
  return {
    before: async (request) => {
      try {
        await (
          await middleware
        ).before!(request as never);
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
let handlers = 0;

/** What the middleware leaves in the Lambda context: the secrets, or why they could not be read. */
export interface SecretsContext {
  secrets?: SecretValues;
  secretsRefusal?: Rejection;
}

const listOf = (value: unknown) =>
  Array.isArray(value) ? value.map(String) : commaList(typeof value === 'string' ? value : '');

/** The provider's settings with the keys and tokens read from SSM. */
export function withSecrets(config: ProviderConfig, values: SecretValues | undefined): ProviderConfig {
  if (!values) return config;
  // Keys a vendor's adapter defaults to (Kick's published public key) stay without a `keys` parameter.
  const keys = values.keys === undefined ? config.keys : listOf(values.keys);
  return { ...config, keys, tokens: listOf(values.tokens) };
}
