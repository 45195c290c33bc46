import { createServer as createHttpServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type { AwsRequest } from '../../shared/aws/core';
import { createDynamoClient, type DynamoClient } from '../../shared/aws/dynamodb';
import { localStoreClient, withOldItem } from '../../tools/local/embedded-store';

/** One DynamoDB request as a fault layer sees it: its operation (`PutItem`) and its input, as the wire carries it. */
export interface DynamoCall {
  operation: string;
  input: Record<string, any>;
}

const callOf = (target: string, body: string): DynamoCall => ({
  operation: target.slice(target.indexOf('.') + 1),
  input: JSON.parse(body || '{}') as Record<string, any>,
});
/** The DynamoDB call a signed request of the light client carries. */
export const callOfRequest = ({ headers, body }: AwsRequest) => callOf(headers['X-Amz-Target'] ?? '', body);

/**
 * The deployed functions' DynamoDB client with a fault switch: a test double by design,
 * for the one fault a real engine cannot produce on cue, a failure between two writes of
 * one callback. `fail(commandName)` (the operation as the SDK names its command:
 * `PutItemCommand`) is asked before each call; when it says so, the request fails before
 * reaching the engine, as a connection that could not be made.
 */
export function clientWithInjectedFaults(endpoint: string, fail: (commandName: string) => boolean): DynamoClient {
  return localStoreClient(endpoint, (request, send) =>
    fail(`${callOfRequest(request).operation}Command`)
      ? Promise.reject(Object.assign(new Error('injected fault'), { name: 'InjectedFault' }))
      : send(request),
  );
}

/**
 * The deployed functions' DynamoDB client that loses answers: the call reaches the engine
 * and is carried out, then fails as if the connection had dropped, when
 * `lose(commandName, input)` says so (a write that landed, whose answer never came back).
 */
export function clientLosingAnswers(
  endpoint: string,
  lose: (commandName: string, input: Record<string, any>) => boolean,
): DynamoClient {
  return localStoreClient(endpoint, async (request, send) => {
    const answer = await send(request);
    const { operation, input } = callOfRequest(request);
    if (lose(`${operation}Command`, input)) throw Object.assign(new Error('answer lost'), { name: 'LostAnswer' });
    return answer;
  });
}

/** An answer a {@link dynamoLayer} gives in the engine's place: an AWS JSON error. */
export interface LayerAnswer {
  status: number;
  /** The error's name (`ProvisionedThroughputExceededException`). */
  type: string;
  message: string;
}

/** DynamoDB's answer to a throttled request (a hot partition, or a request-rate limit), as the wire carries it. */
export const throttled = (type = 'ProvisionedThroughputExceededException'): LayerAnswer => ({
  status: 400,
  type,
  message: 'The level of configured provisioned throughput for the table was exceeded.',
});

/**
 * An HTTP layer in front of the real engine, for what DynamoDB does and dynalite does not.
 * `answer` is asked about every request, in order of arrival; what it gives (say
 * {@link throttled}) is answered in the engine's place as the wire carries it (status,
 * `__type` `com.amazonaws.dynamodb.v20120810#<type>`), and the request never reaches the
 * engine; undefined passes it on. With `handBackOldItem`, a PutItem that asked for
 * `ReturnValuesOnConditionCheckFailure: ALL_OLD` and failed its condition gets the item as
 * it stands in its error's `Item`, read from the engine just after, as DynamoDB hands it back.
 */
export async function dynamoLayer(
  targetPort: number,
  {
    answer = (_call: DynamoCall): LayerAnswer | undefined => undefined,
    handBackOldItem = false,
  }: { answer?: (call: DynamoCall) => LayerAnswer | undefined; handBackOldItem?: boolean } = {},
) {
  const calls: DynamoCall[] = [];
  const answered: DynamoCall[] = [];
  const engine = createDynamoClient({
    endpoint: `http://127.0.0.1:${targetPort}`,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const server = createHttpServer(
    (request, response) =>
      void (async () => {
        let text = '';
        for await (const chunk of request) text += chunk;
        const call = callOf(String(request.headers['x-amz-target'] ?? ''), text);
        calls.push(call);
        const instead = answer(call);
        if (instead) {
          answered.push(call);
          response.writeHead(instead.status, { 'content-type': 'application/x-amz-json-1.0' });
          return void response.end(
            JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${instead.type}`, message: instead.message }),
          );
        }
        const upstream = await new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>(
          (resolve, reject) => {
            const forward = httpRequest(
              {
                host: '127.0.0.1',
                port: targetPort,
                method: request.method,
                path: request.url,
                headers: request.headers,
              },
              (reply) =>
                void (async () => {
                  let body = '';
                  for await (const chunk of reply) body += chunk;
                  resolve({ status: reply.statusCode ?? 502, headers: reply.headers, body });
                })(),
            );
            forward.on('error', reject);
            forward.end(text);
          },
        ).catch(() => undefined);
        if (!upstream) return void response.destroy();
        const body = handBackOldItem ? await withOldItem(text, upstream.status, upstream.body, engine) : upstream.body;
        const { 'content-length': _length, ...headers } = upstream.headers;
        response.writeHead(upstream.status, headers);
        response.end(body);
      })(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Every request, in order of arrival. */
    calls,
    /** The requests `answer` answered in the engine's place, in order. */
    answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * How the proxy treats connections: pass them, hold their data, cut them after the request
 * went through, or refuse them (a service that is down).
 */
export type ProxyMode = 'pass' | 'delay' | 'cut' | 'refuse';

/**
 * A TCP proxy in front of the real engine, to make it slow or unreliable: `delay` holds
 * every chunk from the client for `delayMs`; `cut` forwards the request and destroys the
 * connection as soon as the engine answers, so the write lands but its answer is lost;
 * `refuse` closes every connection at once, as a service that is down.
 */
export async function tcpProxy(targetPort: number, delayMs = 2_500) {
  let mode: ProxyMode = 'pass';
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (mode === 'refuse') return void client.destroy();
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const drop = () => (client.destroy(), upstream.destroy());
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.on('data', (chunk) => {
      if (mode === 'delay') setTimeout(() => upstream.write(chunk), delayMs);
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (mode === 'cut') drop();
      else client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    set mode(next: ProxyMode) {
      mode = next;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
