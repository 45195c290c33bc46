import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 as FunctionUrlResult, LambdaFunctionURLEvent } from 'aws-lambda';
import { envPrefix, readProviderConfig, type ProviderConfig } from './config';
import { logAuthOff, logUnhandled } from './log';
import { receive, refuse } from './pipeline';
import { unavailable } from './answer';
import { withSecrets, type ParameterReader } from './secrets';
import type { ProviderAdapter } from './provider';
import { readRequest } from './request';
import { createDynamoEventStore, type EventStore } from './store';

/** What a handler is built from; every field has a production default. */
export interface HandlerOptions {
  /** Environment to read settings from; `process.env` by default. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The store; by default DynamoDB, table `LIVEHOOKS_TABLE`. */
  store?: EventStore;
  /** The clock, in milliseconds. Tests pass their own; deployed functions use the real one. */
  now?: () => number;
  /** Reads SSM parameters (`LIVEHOOKS_<PROVIDER>_KEYS_PARAMETER`, ...); the AWS SDK by default. */
  readParameters?: ParameterReader;
}

/**
 * A middy middleware that turns an error nothing else handled into a plain 500 (a bug,
 * not a vendor's fault), logged without the request. Store failures never get here:
 * the pipeline answers them with 503 so that the vendor retries.
 */
function unhandledErrorAnswer(provider: string): middy.MiddlewareObj<LambdaFunctionURLEvent, FunctionUrlResult> {
  return {
    onError: async (request) => {
      logUnhandled(provider, request.error);
      request.response = {
        statusCode: 500,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          code: 500,
          reason: 'internal_error',
          message: 'unexpected error; see the function log',
        }),
      };
    },
  };
}

/**
 * Builds the Lambda Function URL handler of one provider. Settings are read here, once
 * per cold start; a malformed setting throws, failing the cold start loudly.
 */
export function createHandler<Message>(adapter: ProviderAdapter<Message>, options: HandlerOptions = {}) {
  const env = options.env ?? process.env;
  const config = readProviderConfig(adapter.name, env, adapter.defaultWindow);
  if (config.authOff) logAuthOff(adapter.name, `${envPrefix(adapter.name)}AUTH`);
  const store = options.store ?? createDynamoEventStore({ tableName: env.LIVEHOOKS_TABLE || 'livehooks' });
  const now = options.now ?? Date.now;
  // Fetched on the first callback and kept for the life of the container; a failed fetch
  // is not kept, so the vendor's retry tries again.
  let secretConfig: Promise<ProviderConfig> | undefined;
  const resolveConfig = () =>
    (secretConfig ??= withSecrets(config, config.parameters, options.readParameters).catch((error: unknown) => {
      secretConfig = undefined;
      throw error;
    }));

  // No early-timeout timer per callback: the store's own budget answers 503 (a retry) well
  // inside the function's timeout, where middy's timer would answer 500.
  return middy<LambdaFunctionURLEvent, FunctionUrlResult>({ timeoutEarlyInMillis: 0 })
    .use(unhandledErrorAnswer(adapter.name))
    .handler(async (event) => {
      const nowMs = now();
      let resolved: ProviderConfig;
      try {
        resolved = await resolveConfig();
      } catch (error) {
        return refuse(adapter.name, unavailable('secrets_unavailable', 'the keys could not be read; retry', error));
      }
      return receive(readRequest(event), { adapter, config: resolved, store, nowMs });
    });
}
