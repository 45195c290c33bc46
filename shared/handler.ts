import middy from '@middy/core';
import type {
  APIGatewayProxyStructuredResultV2 as FunctionUrlResult,
  EventBridgeEvent,
  LambdaFunctionURLEvent,
} from 'aws-lambda';
import type { EventResult } from './answer';
import { envPrefix, readProviderConfig, type Env } from './config';
import { logAuthOff, logUnhandled } from './log';
import { receive, receiveEvent, type EventOrigin } from './pipeline';
import type { SsmClient } from './aws/ssm';
import { ssmSecrets, withSecrets, type SecretsContext } from './secrets';
import type { EventBridgeAdapter, ProviderAdapter, SourceAdapter } from './provider';
import { readRequest } from './request';
import { createObserver, readObserveSettings, type Observer } from './observe';
import { publisherOf, readDestinations } from './destinations';
import type { Publisher } from './publishers/port';
import { createDynamoEventStore } from './store/dynamo-store';
import type { EventStore } from './store/port';

/** What a handler is built from; every field has a production default. */
export interface HandlerOptions {
  /** Environment to read settings from; `process.env` by default. */
  env?: Env;
  /** The store; by default DynamoDB, table `LIVEHOOKS_TABLE` (none with `LIVEHOOKS_STORE=off`). */
  store?: EventStore;
  /** Where notifications go; by default `LIVEHOOKS_QUEUE_URL` and `LIVEHOOKS_EVENT_BUS`, if set. */
  publisher?: Publisher;
  /** The clock, in milliseconds. Tests pass their own; deployed functions use the real one. */
  now?: () => number;
  /** The SSM client that reads `LIVEHOOKS_<PROVIDER>_PARAMETERS_PATH`; the light client (shared/aws/ssm.ts) by default. */
  ssmClient?: SsmClient;
  /** Whether a provider whose checks are off says so in its log at cold start; yes by default (`npm start` says it in its banner). */
  announceChecksOff?: boolean;
}

/**
 * A middy middleware that turns an error nothing else handled into a plain 500 (a bug,
 * not a vendor's fault), logged without the request. Store failures never get here:
 * the pipeline answers them with 503 so that the vendor retries.
 */
function unhandledErrorAnswer(
  provider: string,
  observer: Observer | undefined,
  now: () => number,
): middy.MiddlewareObj<LambdaFunctionURLEvent, FunctionUrlResult> {
  return {
    onError: async (request) => {
      logUnhandled(provider, request.error);
      observer?.report({ provider, outcome: 'failed', reason: 'internal_error' }, now());
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

/** What both kinds of handler are built on: settings, the store, the destinations, the clock. */
function prepare(adapter: SourceAdapter<unknown>, options: HandlerOptions) {
  const env = options.env ?? process.env;
  const config = { ...readProviderConfig(adapter.name, env, adapter.defaultWindow), ...adapter.readSettings?.(env) };
  if (config.authOff && options.announceChecksOff !== false) logAuthOff(adapter.name, `${envPrefix(adapter.name)}AUTH`);
  const destinations = readDestinations(env);
  const store = destinations.store
    ? (options.store ?? createDynamoEventStore({ tableName: env.LIVEHOOKS_TABLE || 'livehooks' }))
    : undefined;
  const publisher = options.publisher ?? publisherOf(destinations);
  if (!store && !publisher) {
    throw new Error('LIVEHOOKS_STORE=off needs LIVEHOOKS_QUEUE_URL or LIVEHOOKS_EVENT_BUS: callbacks would go nowhere');
  }
  const format = 'format' in adapter ? (adapter as ProviderAdapter<unknown>).format : 'json';
  const observer = createObserver(adapter.name, format, readObserveSettings(env), store);
  return { config, store, publisher, observer, now: options.now ?? Date.now };
}

/**
 * Builds the Lambda Function URL handler of one provider. Settings are read here, once
 * per cold start; a malformed setting throws, failing the cold start loudly.
 */
export function createHandler<Message>(adapter: ProviderAdapter<Message>, options: HandlerOptions = {}) {
  const { config, store, publisher, observer, now } = prepare(adapter, options);
  // No early-timeout timer per callback: the store's own budget answers 503 (a retry) well
  // inside the function's timeout, where middy's timer would answer 500.
  const handler = middy<LambdaFunctionURLEvent, FunctionUrlResult>({ timeoutEarlyInMillis: 0 }).use(
    unhandledErrorAnswer(adapter.name, observer, now),
  );
  if (config.parameters) handler.use(ssmSecrets(config.parameters, options.ssmClient));
  return handler.handler(async (event, context) => {
    const { secrets, secretsRefusal } = context as SecretsContext;
    const resolved = withSecrets(config, secrets);
    const pipeline = { adapter, config: resolved, store, publisher, observer, nowMs: now() };
    return receive(readRequest(event), pipeline, secretsRefusal);
  });
}

/**
 * Builds the handler of a source whose events reach the function through an EventBridge
 * rule. It returns what an HTTP callback would be answered with (`invoke local` and the
 * tests read it; Lambda drops it). A refusal is logged and returned, not thrown: thrown,
 * Lambda would only run the same event again. A store or destination failure is thrown,
 * so that Lambda retries the event (twice by default), and the retry lands once.
 */
export function createEventHandler<Message>(adapter: EventBridgeAdapter<Message>, options: HandlerOptions = {}) {
  const { config, store, publisher, observer, now } = prepare(adapter, options);
  return middy<EventBridgeEvent<string, unknown>, EventResult>({ timeoutEarlyInMillis: 0 }).handler((event, context) =>
    receiveEvent(event, originOf(context.invokedFunctionArn), {
      adapter,
      config,
      store,
      publisher,
      observer,
      nowMs: now(),
    }),
  );
}

/** The account and region a function runs in, from its ARN (`arn:aws:lambda:<region>:<account>:function:…`). */
export function originOf(functionArn: string | undefined): EventOrigin | undefined {
  const [, , service, region, account] = functionArn?.split(':') ?? [];
  return service === 'lambda' && region && account ? { account, region } : undefined;
}
