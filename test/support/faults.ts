import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { dynamoClient } from './dynamo';

/**
 * A real DynamoDB client with a fault switch: a test double by design, for the one fault
 * a real engine cannot produce on cue, a failure between two writes of one callback.
 * `fail(commandName)` is asked before each call; when it says so, the call throws before
 * reaching the engine.
 */
export function clientWithInjectedFaults(endpoint: string, fail: (commandName: string) => boolean): DynamoDBClient {
  const client = dynamoClient(endpoint);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (fail(context.commandName ?? '')) throw Object.assign(new Error('injected fault'), { name: 'InjectedFault' });
      return next(args);
    },
    { step: 'initialize', name: 'injectedFaults' },
  );
  return client;
}

/**
 * A real DynamoDB client that loses answers: the call reaches the engine and is carried out,
 * then throws as if the connection had dropped, when `lose(commandName, input)` says so
 * (a write that landed, whose answer never came back).
 */
export function clientLosingAnswers(
  endpoint: string,
  lose: (commandName: string, input: Record<string, any>) => boolean,
): DynamoDBClient {
  const client = dynamoClient(endpoint);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const output = await next(args);
      if (lose(context.commandName ?? '', args.input as Record<string, any>)) {
        throw Object.assign(new Error('answer lost'), { name: 'LostAnswer' });
      }
      return output;
    },
    { step: 'initialize', name: 'lostAnswers' },
  );
  return client;
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
