/**
 * Warm latency with the store: a callback through the real handler and the real DynamoDB
 * store (the production client, keep-alive, timeouts), against the engine in its own
 * process, next to one PutItem round trip of the same event item with the same client, and
 * next to two such PutItems sent together (what a callback's event and state writes cost
 * when nothing else is in their way). Sequential, one at a time: latency, not throughput.
 * Starts and stops are timed apart, because vendors without a session value pair them with
 * queries that differ by kind.
 */
import { buildRecord, streamKeyOf } from '../shared/record';
import { createDynamoClient, createDynamoEventStore } from '../shared/store/dynamo-store';
import { accepted, benchHandler, lambdaContext, providerEnv, signedCallback, type ProviderName } from './lib/callbacks';
import { toItem, type Engine } from './lib/engine';
import { median, timed } from './lib/stats';

export interface StoreLatencyResult {
  provider: ProviderName;
  putMs: number;
  /** Two PutItems sent together, as a callback's two writes are. */
  twoPutsMs: number;
  /** Store requests per callback (median), counted on the client. */
  startRequests: number;
  stopRequests: number;
  /** Round trips to the store per callback (median): requests sent together count once. */
  startRoundTrips: number;
  stopRoundTrips: number;
  startMs: number;
  stopMs: number;
  startRatio: number;
  stopRatio: number;
}

/** `pairs` start/stop pairs of new streams, each callback followed by one PutItem, after a warm-up. */
export async function measureStoreLatency(
  engine: Engine,
  provider: ProviderName,
  pairs: number,
): Promise<StoreLatencyResult> {
  // Requests, and round trips: a request sent while none is in flight begins one; those
  // sent while it is in flight go along with it (a callback's writes sent together).
  let requests = 0;
  let roundTrips = 0;
  let inFlight = 0;
  const client = createDynamoClient({
    endpoint: engine.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    layer: async (request, send) => {
      requests += 1;
      if (inFlight === 0) roundTrips += 1;
      inFlight += 1;
      try {
        return await send(request);
      } finally {
        inFlight -= 1;
      }
    },
  });
  const handler = benchHandler(provider, {
    env: { ...providerEnv(provider), LIVEHOOKS_TABLE: engine.tableName },
    store: createDynamoEventStore({ tableName: engine.tableName, client }),
  });
  const put = (stream: string) => {
    const draft = { kind: 'start', domain: 'push.example.com', app: 'live', stream } as const;
    const record = buildRecord(draft, {
      provider,
      streamKey: streamKeyOf(provider, draft),
      raw: '{}'.padEnd(300, ' '),
      receivedAtMs: Date.now(),
    });
    return client.send('PutItem', {
      TableName: engine.tableName,
      Item: toItem({ ...record, pk: `stream#${record.streamKey}`, sk: `event#${record.id}` }),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  };
  const callback = async (stream: string, kind: 'start' | 'stop') => {
    // Signed just before it is sent, as a vendor does; the stop a second after its start.
    const event = signedCallback(provider, stream, Math.floor(Date.now() / 1000), kind).event;
    const [before, tripsBefore] = [requests, roundTrips];
    const ms = await timed(async () => {
      const answer = await handler(event, lambdaContext);
      if (!accepted(answer)) throw new Error(`${provider} ${kind}: ${JSON.stringify(answer)}`);
    });
    return { ms, requests: requests - before, roundTrips: roundTrips - tripsBefore };
  };

  const starts: number[] = [];
  const stops: number[] = [];
  const puts: number[] = [];
  const twoPuts: number[] = [];
  const startRequests: number[] = [];
  const stopRequests: number[] = [];
  const startRoundTrips: number[] = [];
  const stopRoundTrips: number[] = [];
  const warmup = Math.min(50, pairs);
  for (let index = -warmup; index < pairs; index += 1) {
    const stream = `latency-${provider}-${index}-${Date.now()}`;
    const start = await callback(stream, 'start');
    const putA = await timed(() => put(`${stream}-a`));
    const stop = await callback(stream, 'stop');
    const putB = await timed(() => put(`${stream}-b`));
    const putPair = await timed(() => Promise.all([put(`${stream}-c`), put(`${stream}-d`)]));
    if (index < 0) continue;
    starts.push(start.ms);
    stops.push(stop.ms);
    startRequests.push(start.requests);
    stopRequests.push(stop.requests);
    startRoundTrips.push(start.roundTrips);
    stopRoundTrips.push(stop.roundTrips);
    puts.push(putA, putB);
    twoPuts.push(putPair);
  }
  const putMs = median(puts);
  const startMs = median(starts);
  const stopMs = median(stops);
  return {
    provider,
    putMs,
    twoPutsMs: median(twoPuts),
    startRequests: median(startRequests),
    stopRequests: median(stopRequests),
    startRoundTrips: median(startRoundTrips),
    stopRoundTrips: median(stopRoundTrips),
    startMs,
    stopMs,
    startRatio: startMs / putMs,
    stopRatio: stopMs / putMs,
  };
}
