/**
 * Local end-to-end throughput: `npm start` (every handler and its embedded dynalite in one
 * process, as a developer runs it) over real HTTP, fed signed callbacks by this process
 * with fetch at a bounded concurrency. Every callback is a new stream's start, every
 * provider in turn; every answer must be a 200. Then the ceiling its engine sets: PutItems
 * of the same size, straight to that engine, at the same concurrency.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { localClient } from '../tools/local/embedded-store';
import { startLocalServer } from '../test/support/local-server';
import { providerEnv, providerNames, signedCallback } from './lib/callbacks';
import { quantile } from './lib/stats';

export interface ThroughputResult {
  callbacks: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** A bare PutItem loop against the same engine at the same concurrency: the ceiling. */
  putsPerSecond: number;
}

export async function measureThroughput(callbacks: number, concurrency: number): Promise<ThroughputResult> {
  const env = Object.assign({}, ...providerNames.map(providerEnv)) as Record<string, string>;
  const server = await startLocalServer(env);
  try {
    const send = async (index: number) => {
      const provider = providerNames[index % providerNames.length]!;
      const { request, pathAndQuery } = signedCallback(
        provider,
        `http-${index}-${Date.now()}`,
        Math.floor(Date.now() / 1000),
      );
      const started = performance.now();
      const response = await fetch(`${server.baseUrl}${pathAndQuery}`, {
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${provider}: ${response.status} ${text}`);
      return performance.now() - started;
    };
    // Warm-up: the server's first callbacks compile its code paths.
    for (let index = 0; index < 60; index += 1) await send(index);

    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < callbacks) latencies.push(await send(next++));
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    const client = localClient(server.storeUrl);
    let put = 0;
    const putsStarted = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (put < callbacks) {
          const index = put++;
          await client.send(
            new PutItemCommand({
              TableName: 'livehooks',
              Item: { pk: { S: `ceiling#${index}` }, sk: { S: 'event#x' }, raw: { S: ''.padEnd(400, ' ') } },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
        }
      }),
    );
    const putsPerSecond = callbacks / ((performance.now() - putsStarted) / 1000);
    client.destroy();
    return {
      callbacks,
      concurrency,
      seconds,
      perSecond: callbacks / seconds,
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99),
      putsPerSecond,
    };
  } finally {
    server.stop();
  }
}
