/**
 * Notifications end to end (docs/notifications.md): every provider's real handler, the
 * table on dynalite, the FIFO queue on the run's SQS engine (local-aws-sqs), EventBridge
 * through a recorder of its API; then the faults: a queue or bus that is down or refuses,
 * a queue that took the message but whose answer was lost, a store that fails after the
 * publish, a slow queue, and a deployment without a table.
 */
import { createSqsClient } from '../../shared/aws/sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClientSettings } from '../../shared/aws-client';
import { messageGroupOf, type StreamNotification } from '../../shared/notification';
import { createEventBridgePublisher } from '../../shared/publishers/eventbridge';
import { publishToAll, type Publisher } from '../../shared/publishers/port';
import { createSqsPublisher } from '../../shared/publishers/sqs';
import type { EventStore } from '../../shared/store/port';
import { createDynamoStore } from '../../shared/store/reader';
import { applyNotification, emptyLiveView } from '../../tools/live-view';
import { createTestTable } from '../support/dynamo';
import { clientWithInjectedFaults, tcpProxy } from '../support/faults';
import { call, handlerFor, handlerTimeoutMs } from '../support/harness';
import { checkedNotification, createTestQueue, startEventBridgeRecorder } from '../support/notifications';
import {
  fixtureFor,
  nowSec,
  providerFixtures,
  twoStreamsHistory,
  type CallbackSpec,
  type ProviderFixture,
} from '../support/providers';

const history = twoStreamsHistory;

/** The SQS client a deployed function makes (two attempts, short timeouts), at `endpoint`. */
const productionSqs = (endpoint: string) =>
  createSqsClient({
    ...awsClientSettings,
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

/** Answers a callback the vendor sends at its own time: the handler's clock reads the event's time. */
async function deliver(
  fixture: ProviderFixture,
  store: EventStore | undefined,
  publisher: Publisher,
  spec: CallbackSpec,
  env: Record<string, string> = fixture.env,
) {
  const handler = handlerFor(fixture, store!, env, spec.timeSec * 1000, publisher);
  const started = performance.now();
  const answer = await call(handler, fixture.callback(spec));
  return { ...answer, ms: performance.now() - started };
}

let bus: Awaited<ReturnType<typeof startEventBridgeRecorder>>;
beforeAll(async () => {
  bus = await startEventBridgeRecorder();
});
afterAll(() => bus.close());

describe.each(providerFixtures.map((fixture) => [fixture.adapter.name, fixture] as const))('%s', (name, fixture) => {
  it('sends one message per distinct callback, grouped by stream and deduplicated by record id, and an event per delivery with the same content', async () => {
    const table = await createTestTable();
    const queue = await createTestQueue();
    bus.events.length = 0;
    const publisher = publishToAll([
      createSqsPublisher({ queueUrl: queue.queueUrl, client: queue.client }),
      createEventBridgePublisher({ busName: 'live-events', client: bus.client() }),
    ])!;
    const ids: string[] = [];
    for (const spec of history) {
      // Each callback twice, as a vendor that did not see the first answer sends it again.
      for (const delivery of [1, 2]) {
        const answer = await deliver(fixture, table.store, publisher, spec);
        expect(answer.status).toBe(200);
        expect(answer.body.duplicate).toBe(delivery === 2);
        ids.push(answer.body.id!);
      }
    }

    const messages = await queue.take();
    const distinct = [...new Set(ids)];
    expect(distinct).toHaveLength(history.length);
    expect(messages.map((message) => message.Attributes?.MessageDeduplicationId)).toEqual(distinct);
    const sent = new Map<string, string>();
    for (const message of messages) {
      const notification = checkedNotification(message.Body!);
      sent.set(notification.id, message.Body!);
      expect(notification.record.provider).toBe(name);
      expect(message.Attributes?.MessageGroupId).toBe(notification.record.streamKey);
      expect(message.MessageAttributes).toEqual({
        provider: { DataType: 'String', StringValue: name },
        kind: { DataType: 'String', StringValue: notification.record.kind },
        live: { DataType: 'String', StringValue: String(notification.state!.live) },
      });
      expect(notification.type).toBe(notification.record.kind === 'start' ? 'stream.started' : 'stream.stopped');
    }

    // EventBridge does not deduplicate: each delivery is an event, each one alike.
    expect(bus.violations).toEqual([]);
    expect(bus.events.map((event) => checkedNotification(event.Detail).id)).toEqual(ids);
    for (const event of bus.events) {
      const notification = JSON.parse(event.Detail) as StreamNotification;
      expect(event).toMatchObject({
        EventBusName: 'live-events',
        Source: 'livehooks',
        DetailType: notification.type === 'stream.started' ? 'Stream started' : 'Stream stopped',
        Time: Date.parse(notification.record.occurredAt) / 1000,
      });
      expect(event.Detail).toBe(sent.get(notification.id));
    }

    // What they say: the table's states, and each push's halves.
    const view = [...sent.values()].map(checkedNotification).reduce(applyNotification, emptyLiveView());
    const states = await table.store.listStreams();
    expect(states.length).toBe(2);
    for (const state of states) {
      expect(view.streams.get(state.streamKey)).toMatchObject({ live: state.live, since: state.since });
    }
    const north = [...view.sessions.values()].filter((session) => session.streamKey.endsWith('/north'));
    expect(north.map((session) => [session.startedAt, session.stoppedAt])).toEqual(
      [
        [200, 150],
        [100, 60],
      ].map(([start, stop]) => [
        new Date((nowSec - start!) * 1000).toISOString(),
        new Date((nowSec - stop!) * 1000).toISOString(),
      ]),
    );
  });
});

describe('message groups', () => {
  it('keeps a stream key that SQS cannot take as a group (spaces, non-ASCII, over 128 characters) in one group of its own', async () => {
    const fixture = fixtureFor('tencent');
    const queue = await createTestQueue();
    const table = await createTestTable();
    const publisher = createSqsPublisher({ queueUrl: queue.queueUrl, client: queue.client });
    const streams = [`café live ${'x'.repeat(150)}`, `café live ${'x'.repeat(149)}y`, 'plain'];
    for (const stream of streams) {
      for (const kind of ['start', 'stop'] as const) {
        const spec = { kind, stream, sessionStartSec: nowSec - 60, timeSec: nowSec - (kind === 'start' ? 60 : 30) };
        expect((await deliver(fixture, table.store, publisher, spec)).status).toBe(200);
      }
    }
    const messages = await queue.take();
    expect(messages).toHaveLength(6);
    const groups = messages.map((message) => message.Attributes!.MessageGroupId!);
    expect(new Set(groups).size).toBe(3);
    for (const message of messages) {
      const { record } = checkedNotification(message.Body!);
      expect(message.Attributes!.MessageGroupId).toBe(messageGroupOf(record.streamKey));
    }
    expect(groups.filter((group) => /^sha256:[0-9a-f]{64}$/.test(group))).toHaveLength(4);
    expect(groups).toContain('tencent/push.example.com/live/plain');
  });
});

describe('faults', () => {
  const fixture = fixtureFor('tencent');
  /** Start and stop of a first push on one stream, and the start of its second. */
  const north = history.filter((spec) => spec.stream === 'north');

  it('answers 503 while the queue is down, and the retry announces what its first attempt did, once', async () => {
    const table = await createTestTable();
    const queue = await createTestQueue();
    const proxy = await tcpProxy(Number(new URL(queue.queueUrl).port));
    try {
      const publisher = createSqsPublisher({ queueUrl: queue.queueUrl, client: productionSqs(proxy.endpoint) });
      const [startA, stopA, startB] = north;
      expect((await deliver(fixture, table.store, publisher, startA!)).status).toBe(200);

      proxy.mode = 'refuse';
      const refused = await deliver(fixture, table.store, publisher, stopA!);
      expect(refused).toMatchObject({ status: 503, body: { reason: 'publish_unavailable' } });
      expect(refused.ms).toBeLessThan(handlerTimeoutMs);
      // The store took it: the table says the stream stopped.
      expect((await table.store.readStream(`tencent/push.example.com/live/north`)).state?.live).toBe(false);

      proxy.mode = 'pass';
      expect((await deliver(fixture, table.store, publisher, startB!)).status).toBe(200);
      // The vendor's retry, after the next push began: a duplicate, announced as it happened then.
      const retried = await deliver(fixture, table.store, publisher, stopA!);
      expect(retried).toMatchObject({ status: 200, body: { duplicate: true } });

      const told = (await queue.take()).map((message) => checkedNotification(message.Body!));
      expect(told.map((notification) => notification.type)).toEqual([
        'stream.started',
        'stream.started',
        'stream.stopped',
      ]);
      const stop = told[2]!;
      expect(stop.id).toBe(retried.body.id);
      expect(stop.state).toMatchObject({ live: false, since: stop.record.occurredAt, changed: true });
      expect(stop.session).toMatchObject({ startedAt: told[0]!.record.occurredAt, stoppedAt: stop.record.occurredAt });
      // Out of order, yet a consumer's view is the table's: live, in the second push.
      const view = told.reduce(applyNotification, emptyLiveView());
      expect(view.streams.get(stop.record.streamKey)).toMatchObject({
        live: true,
        sessionId: told[1]!.record.sessionId,
      });
    } finally {
      await proxy.close();
    }
  });

  it('sends no second message when the queue took one but its answer was lost; past the deduplication window, the same id and body again', async () => {
    const table = await createTestTable();
    const queue = await createTestQueue();
    const proxy = await tcpProxy(Number(new URL(queue.queueUrl).port));
    try {
      const publisher = createSqsPublisher({ queueUrl: queue.queueUrl, client: productionSqs(proxy.endpoint) });
      proxy.mode = 'cut';
      const lost = await deliver(fixture, table.store, publisher, north[0]!);
      expect(lost).toMatchObject({ status: 503, body: { reason: 'publish_unavailable' } });

      proxy.mode = 'pass';
      const retried = await deliver(fixture, table.store, publisher, north[0]!);
      expect(retried).toMatchObject({ status: 200, body: { duplicate: true } });
      const [message, ...more] = await queue.take();
      expect(more).toEqual([]);
      expect(message!.Attributes?.MessageDeduplicationId).toBe(retried.body.id);

      // This engine forgets an id once its message is deleted, as SQS does after 5 minutes.
      const later = await deliver(fixture, table.store, publisher, north[0]!);
      expect(later.status).toBe(200);
      const [again] = await queue.take();
      expect(again!.Attributes?.MessageDeduplicationId).toBe(retried.body.id);
      expect(again!.Body).toBe(message!.Body);
    } finally {
      await proxy.close();
    }
  });

  it('answers 503 in time while the queue is slow, and the retry lands once', async () => {
    const table = await createTestTable();
    const queue = await createTestQueue();
    const proxy = await tcpProxy(Number(new URL(queue.queueUrl).port), 5_000);
    try {
      const publisher = createSqsPublisher({ queueUrl: queue.queueUrl, client: productionSqs(proxy.endpoint) });
      proxy.mode = 'delay';
      const slow = await deliver(fixture, table.store, publisher, north[0]!);
      expect(slow).toMatchObject({ status: 503, body: { reason: 'publish_unavailable' } });
      expect(slow.ms).toBeLessThan(handlerTimeoutMs);
      proxy.mode = 'pass';
      const retried = await deliver(fixture, table.store, publisher, north[0]!);
      expect(retried).toMatchObject({ status: 200, body: { duplicate: true } });
      // The held requests may still land: the deduplication id keeps them one message.
      await new Promise((resolve) => setTimeout(resolve, 5_500));
      expect((await queue.take()).map((message) => message.Attributes?.MessageDeduplicationId)).toEqual([
        retried.body.id,
      ]);
    } finally {
      await proxy.close();
    }
  });

  it.each(['unavailable', 'fail-entries'] as const)(
    'answers 503 while the bus is %s, and the retry puts the same event',
    async (mode) => {
      const table = await createTestTable();
      const publisher = createEventBridgePublisher({ busName: 'live-events', client: bus.client() });
      bus.events.length = 0;
      const [startA, stopA] = north;
      expect((await deliver(fixture, table.store, publisher, startA!)).status).toBe(200);
      bus.mode = mode;
      const refused = await deliver(fixture, table.store, publisher, stopA!);
      bus.mode = 'accept';
      expect(refused).toMatchObject({ status: 503, body: { reason: 'publish_unavailable' } });
      expect((await deliver(fixture, table.store, publisher, north[2]!)).status).toBe(200);
      const retried = await deliver(fixture, table.store, publisher, stopA!);
      expect(retried.body).toMatchObject({ duplicate: true });
      const told = bus.events.map((event) => checkedNotification(event.Detail));
      expect(told.map((notification) => notification.type)).toEqual([
        'stream.started',
        'stream.started',
        'stream.stopped',
      ]);
      expect(told[2]).toMatchObject({ id: retried.body.id, state: { live: false, changed: true } });
      expect(bus.violations).toEqual([]);
    },
  );

  it('publishes nothing when the store fails, and the retry publishes once, its announcement kept with its event', async () => {
    const table = await createTestTable();
    const queue = await createTestQueue();
    // The state's put goes through, the event's (which carries the announcement) fails.
    let failEvent = true;
    let puts = 0;
    const client = clientWithInjectedFaults(
      table.endpoint,
      (command) => failEvent && command === 'PutItemCommand' && ++puts === 2,
    );
    const store = createDynamoStore({ tableName: table.tableName, client });
    const publisher = createSqsPublisher({ queueUrl: queue.queueUrl, client: queue.client });
    const first = await deliver(fixture, store, publisher, north[0]!);
    expect(first).toMatchObject({ status: 503, body: { reason: 'store_unavailable' } });
    failEvent = false;
    const retried = await deliver(fixture, store, publisher, north[0]!);
    expect(retried).toMatchObject({ status: 200, body: { duplicate: false } });
    const messages = await queue.take();
    expect(messages.map((message) => message.Attributes?.MessageDeduplicationId)).toEqual([retried.body.id]);
    // The state's write was the first attempt's: the retry still announces the change it made.
    const sent = checkedNotification(messages[0]!.Body!);
    expect(sent).toMatchObject({ type: 'stream.started', state: { live: true, changed: true } });
    const event = (await table.scanAll()).find((item) => item.sk === `event#${retried.body.id}`);
    expect(event?.notice).toEqual({ type: sent.type, state: sent.state, session: sent.session });
  });

  it('with the table off (LIVEHOOKS_STORE=off), sends the record alone, deduplicated by SQS only', async () => {
    const queue = await createTestQueue();
    const publisher = createSqsPublisher({ queueUrl: queue.queueUrl, client: queue.client });
    const env = { ...fixture.env, LIVEHOOKS_STORE: 'off' };
    for (const spec of [north[0]!, north[1]!, north[0]!]) {
      const answer = await deliver(fixture, undefined, publisher, spec, env);
      // Nothing to know a duplicate by: every delivery is answered as new.
      expect(answer).toMatchObject({ status: 200, body: { duplicate: false } });
    }
    const told = (await queue.take()).map((message) => checkedNotification(message.Body!));
    // Without a table, what each callback says of its push: the stream's state is not known.
    expect(told.map((notification) => notification.type)).toEqual(['push.started', 'push.stopped']);
    for (const notification of told) {
      expect(notification.state).toBeUndefined();
      expect(notification.session).toBeUndefined();
    }
  });
});
