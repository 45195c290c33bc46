/**
 * Faults against the real engine, through the functions' own AWS client (shared/aws/):
 * the store stops in the middle of a run, turns slow, loses answers after the write went
 * through, is throttled, and fails between two writes of one callback; and a duplicate's
 * failed condition hands the stored item back, as DynamoDB does. Each time the vendor gets
 * a 503 within the handler's time bound, and its retries leave the table exactly as one
 * fault-free, in-order delivery does.
 */
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import dynalite from 'dynalite';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../shared/handler';
import { createDynamoClient } from '../../shared/store/dynamo-store';
import type { EventStore } from '../../shared/store/port';
import { createDynamoStore } from '../../shared/store/reader';
import { createTestTable, type TestTable } from '../support/dynamo';
import { stateSk } from '../../shared/store/table';
import {
  clientLosingAnswers,
  clientWithInjectedFaults,
  dynamoLayer,
  tcpProxy,
  throttled,
  type DynamoCall,
} from '../support/faults';
import { handlerTimeoutMs } from '../support/harness';
import { keepingPublisher } from '../support/notifications';
import { cloudFixtures, fixtureFor, nowMs, twoStreamsHistory, type ProviderFixture } from '../support/providers';

const history = twoStreamsHistory;

const handlerOver = (fixture: ProviderFixture, store: EventStore) =>
  createHandler(fixture.adapter, { env: fixture.env, store, now: () => nowMs });

async function answer(handler: ReturnType<typeof handlerOver>, event: LambdaFunctionURLEvent) {
  const started = performance.now();
  const result = await handler(event, {} as Context);
  return { status: result.statusCode, body: JSON.parse(result.body ?? '{}'), ms: performance.now() - started };
}

/** The table after one fault-free, in-order delivery of `history`. */
async function reference(fixture: ProviderFixture) {
  const table = await createTestTable();
  const handler = handlerOver(fixture, table.store);
  for (const spec of history) expect((await answer(handler, fixture.callback(spec))).status).toBe(200);
  return table.contents();
}

describe.each(cloudFixtures.map((fixture) => [fixture.adapter.name, fixture] as const))('%s', (_name, fixture) => {
  it('completes with its retry a callback that failed at any one of its store calls', async () => {
    const expected = await reference(fixture);
    for (const [index, spec] of history.entries()) {
      for (let failAt = 1; ; failAt += 1) {
        let calls = 0;
        let armed = false;
        const table = await createTestTable();
        const client = clientWithInjectedFaults(table.endpoint, () => armed && ++calls === failAt);
        const handler = handlerOver(fixture, createDynamoStore({ tableName: table.tableName, client }));
        for (const earlier of history.slice(0, index)) await answer(handler, fixture.callback(earlier));

        armed = true;
        const first = await answer(handler, fixture.callback(spec));
        armed = false;
        if (calls < failAt) {
          // This callback makes fewer store calls than that: every one of them has failed once.
          expect(first.status).toBe(200);
          break;
        }
        expect(first).toMatchObject({ status: 503, body: { reason: 'store_unavailable' } });
        expect((await answer(handler, fixture.callback(spec))).status).toBe(200);
        for (const later of history.slice(index + 1)) await answer(handler, fixture.callback(later));
        expect(await table.contents(), `callback ${index}, store call ${failAt} failed`).toEqual(expected);
      }
    }
  }, 120_000);
});

describe.each(
  [fixtureFor('tencent'), fixtureFor('alibaba')].map((fixture) => [fixture.adapter.name, fixture] as const),
)('%s against an engine that goes away or turns bad', (_name, fixture) => {
  let dataDir: string;
  let engine: Server;
  let port: number;
  const startEngine = async (onPort = 0) => {
    engine = dynalite({ path: dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => engine.listen(onPort, '127.0.0.1', resolve));
    port = (engine.address() as AddressInfo).port;
  };
  const stopEngine = () =>
    new Promise<void>((resolve) => {
      engine.close(() => resolve());
      engine.closeAllConnections();
    });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'livehooks-faults-'));
    await startEngine();
  });
  afterAll(async () => {
    await stopEngine();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The production client (timeouts, two attempts) pointed at `endpoint`. */
  const productionStore = (table: TestTable, endpoint: string) =>
    createDynamoStore({
      tableName: table.tableName,
      client: createDynamoClient({
        endpoint,
        region: 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    });

  it('answers 503 in time while the engine is down, and lands every retry once when it is back', async () => {
    const expected = await reference(fixture);
    const table = await createTestTable(`http://127.0.0.1:${port}`);
    const handler = handlerOver(fixture, productionStore(table, `http://127.0.0.1:${port}`));
    const half = Math.ceil(history.length / 2);
    for (const spec of history.slice(0, half)) expect((await answer(handler, fixture.callback(spec))).status).toBe(200);

    await stopEngine();
    for (const spec of history.slice(half)) {
      const refused = await answer(handler, fixture.callback(spec));
      expect(refused).toMatchObject({ status: 503, body: { reason: 'store_unavailable' } });
      expect(refused.ms).toBeLessThan(handlerTimeoutMs);
    }

    await startEngine(port);
    // The vendors retry what failed, and some of what had already landed.
    for (const spec of [...history.slice(half), ...history.slice(0, half), ...history.slice(half)]) {
      expect((await answer(handler, fixture.callback(spec))).status).toBe(200);
    }
    expect(await table.contents()).toEqual(expected);
  }, 60_000);

  /** Runs `check` with the production store reaching the engine through a TCP proxy. */
  async function behindProxy(
    check: (
      proxy: Awaited<ReturnType<typeof tcpProxy>>,
      handler: ReturnType<typeof handlerOver>,
      table: TestTable,
    ) => Promise<void>,
  ) {
    const proxy = await tcpProxy(port);
    try {
      const table = await createTestTable(`http://127.0.0.1:${port}`);
      await check(proxy, handlerOver(fixture, productionStore(table, proxy.endpoint)), table);
    } finally {
      await proxy.close();
    }
  }

  it('answers 503 in time when the engine is too slow, and the retry lands once', async () => {
    const expected = await reference(fixture);
    await behindProxy(async (proxy, handler, table) => {
      const [first, ...rest] = history;
      proxy.mode = 'delay';
      const slow = await answer(handler, fixture.callback(first!));
      expect(slow).toMatchObject({ status: 503, body: { reason: 'store_unavailable' } });
      expect(slow.ms).toBeLessThan(handlerTimeoutMs);
      proxy.mode = 'pass';
      for (const spec of [first!, ...rest]) expect((await answer(handler, fixture.callback(spec))).status).toBe(200);
      // The delayed writes may land after all: give them time, then compare.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(await table.contents()).toEqual(expected);
    });
  }, 60_000);

  /** Runs `check` with the production store reaching the engine through {@link dynamoLayer}. */
  async function behindLayer(
    options: Parameters<typeof dynamoLayer>[1],
    check: (
      layer: Awaited<ReturnType<typeof dynamoLayer>>,
      handler: ReturnType<typeof handlerOver>,
      table: TestTable,
    ) => Promise<void>,
  ) {
    const layer = await dynamoLayer(port, options);
    try {
      const table = await createTestTable(`http://127.0.0.1:${port}`);
      await check(layer, handlerOver(fixture, productionStore(table, layer.endpoint)), table);
    } finally {
      await layer.close();
    }
  }

  it.each(['ProvisionedThroughputExceededException', 'ThrottlingException'])(
    'rides out one %s with its second attempt, and answers 503 when the second is throttled too',
    async (name) => {
      const expected = await reference(fixture);
      let left = 0;
      const answer503 = (call: DynamoCall) =>
        left > 0 && call.operation === 'PutItem' ? (left--, throttled(name)) : undefined;
      await behindLayer({ answer: answer503 }, async (layer, handler, table) => {
        const [first, second, ...rest] = history;
        left = 1;
        expect(await answer(handler, fixture.callback(first!))).toMatchObject({ status: 200 });
        expect(layer.answered).toHaveLength(1);
        // Every PutItem throttled: the state's, on both attempts; a 503 saying `throttled`.
        left = 1_000;
        const refused = await answer(handler, fixture.callback(second!));
        expect(refused).toMatchObject({ status: 503, body: { reason: 'throttled' } });
        expect(refused.ms).toBeLessThan(handlerTimeoutMs);
        expect(layer.answered.length).toBeGreaterThanOrEqual(3);
        left = 0;
        for (const spec of [second!, ...rest]) expect((await answer(handler, fixture.callback(spec))).status).toBe(200);
        expect(await table.contents()).toEqual(expected);
      });
    },
    60_000,
  );

  it('takes the stored item a failed condition hands back, and reads no event for a duplicate', async () => {
    const expected = await reference(fixture);
    await behindLayer({ handBackOldItem: true }, async (layer, _handler, table) => {
      // With a destination, a duplicate announces what its first delivery did, from the
      // stored event: not the stream's state now, which later callbacks have changed.
      const { publisher, notifications } = keepingPublisher();
      const store = productionStore(table, layer.endpoint);
      const handler = createHandler(fixture.adapter, { env: fixture.env, store, publisher, now: () => nowMs });
      const [first] = history;
      const stored = await answer(handler, fixture.callback(first!));
      expect(stored).toMatchObject({ status: 200, body: { duplicate: false } });
      for (const spec of history.slice(1)) expect((await answer(handler, fixture.callback(spec))).status).toBe(200);
      const before = layer.calls.length;
      const again = await answer(handler, fixture.callback(first!));
      expect(again).toMatchObject({ status: 200, body: { duplicate: true, id: stored.body.id } });
      expect(notifications.at(-1)).toEqual(notifications[0]);
      // The event's put failed its condition and brought the event back: the only read is the state's.
      const retried = layer.calls.slice(before);
      expect(retried.filter((call) => call.operation === 'PutItem').length).toBeGreaterThanOrEqual(1);
      const reads = retried.filter((call) => call.operation === 'GetItem');
      expect(reads.map((call) => call.input.Key?.sk?.S)).toEqual(reads.map(() => stateSk));
      // The same table, but for the notices kept with the events.
      expect((await table.contents()).map(({ notice: _notice, ...item }) => item)).toEqual(expected);
    });
  }, 60_000);

  it('keeps a write whose answer was lost, and counts the retry as a duplicate', async () => {
    const expected = await reference(fixture);
    const table = await createTestTable();
    // The event's put lands, and its answer is lost on the way back (the state's landed before it).
    let lose = true;
    const client = clientLosingAnswers(
      table.endpoint,
      (command, input) => lose && command === 'PutItemCommand' && String(input.Item?.sk?.S).startsWith('event#'),
    );
    const handler = handlerOver(fixture, createDynamoStore({ tableName: table.tableName, client }));
    const [first, ...rest] = history;
    expect(await answer(handler, fixture.callback(first!))).toMatchObject({ status: 503 });
    lose = false;
    expect(await answer(handler, fixture.callback(first!))).toMatchObject({ status: 200, body: { duplicate: true } });
    for (const spec of rest) expect((await answer(handler, fixture.callback(spec))).status).toBe(200);
    expect(await table.contents()).toEqual(expected);
  }, 60_000);
});
